#!/usr/bin/env python3
"""Makes hf-external/tiny-vit from hf-vision/models/tiny-vit: the same graph and weights, saved as an optimum
export > 2 GiB would be (onnx/model.onnx + onnx/model.onnx_data, every initializer in the external file), and
with the hand-added hidden_states.* outputs removed, so that only the structure of the graph tells where the
hidden states are. Needs only the onnx package (Debian: python3-onnx). Run from this folder:
    /usr/bin/python3 make_external.py
"""
import os
import shutil

import onnx

SRC = os.path.join("..", "hf-vision", "models", "tiny-vit")
OUT = "tiny-vit"

model = onnx.load(os.path.join(SRC, "model.onnx"))
keep = [o for o in model.graph.output if not o.name.startswith("hidden_states.")]
del model.graph.output[:]
model.graph.output.extend(keep)
os.makedirs(os.path.join(OUT, "onnx"), exist_ok=True)
for name in ("config.json", "preprocessor_config.json"):
    shutil.copyfile(os.path.join(SRC, name), os.path.join(OUT, name))
onnx.save_model(model, os.path.join(OUT, "onnx", "model.onnx"), save_as_external_data=True,
                all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=0)
print([o.name for o in model.graph.output], os.path.getsize(os.path.join(OUT, "onnx", "model.onnx")),
      os.path.getsize(os.path.join(OUT, "onnx", "model.onnx_data")))
