#!/usr/bin/env python3
"""Append every BERT hidden state as an extra graph output of an ONNX encoder.

Usage: expose_hidden_states.py IN.onnx OUT.onnx

Hidden states follow the Hugging Face convention (index 0 = embeddings output,
index L = last encoder layer). In the exported BERT graphs used by Embedder the
tensors are named:

  hidden_states[0]     = /embeddings/LayerNorm/Add_1_output_0
  hidden_states[k]     = /encoder/layer.{k-1}/output/LayerNorm/Add_1_output_0   (1 <= k <= L-1)
  hidden_states[L]     = last_hidden_state  (already the graph's only output)

The graph is otherwise left untouched. The number of layers L is discovered
from the graph and printed on stdout as "hidden_states=<L+1>".
Needs only the `onnx` Python package (Debian: python3-onnx).
"""

import re
import sys

import onnx
from onnx import TensorProto, helper

EMBEDDINGS = "/embeddings/LayerNorm/Add_1_output_0"
LAYER_OUT = "/encoder/layer.{}/output/LayerNorm/Add_1_output_0"
LAYER_NODE = "/encoder/layer.{}/output/LayerNorm/Add_1"
LAST = "last_hidden_state"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: expose_hidden_states.py IN.onnx OUT.onnx\n")
        return 2
    src, dst = argv[1], argv[2]
    model = onnx.load(src)
    graph = model.graph

    produced = {}
    for node in graph.node:
        for out in node.output:
            produced[out] = node

    outputs = [o.name for o in graph.output]
    if outputs != [LAST]:
        raise SystemExit(f"expected a single output {LAST!r}, got {outputs}")

    # The last layer's output LayerNorm writes last_hidden_state directly, so
    # count layers from the node names and check that structure.
    layer_ids = set()
    pattern = re.compile(r"^/encoder/layer\.(\d+)/output/LayerNorm/Add_1$")
    for node in graph.node:
        m = pattern.match(node.name)
        if m:
            layer_ids.add(int(m.group(1)))
    if not layer_ids:
        raise SystemExit("no encoder layers found")
    num_layers = max(layer_ids) + 1
    if layer_ids != set(range(num_layers)):
        raise SystemExit(f"non-contiguous encoder layers: {sorted(layer_ids)}")

    last_node = produced.get(LAST)
    if last_node is None or last_node.name != LAYER_NODE.format(num_layers - 1):
        raise SystemExit(
            f"{LAST} is not produced by {LAYER_NODE.format(num_layers - 1)} "
            f"(got {last_node.name if last_node else None})")

    # Every hidden state has the shape of last_hidden_state: [batch, sequence, hidden].
    last_dims = graph.output[0].type.tensor_type.shape.dim
    shape = [d.dim_param if d.dim_param else d.dim_value for d in last_dims]

    extra = [EMBEDDINGS] + [LAYER_OUT.format(k - 1) for k in range(1, num_layers)]
    for name in extra:
        if name not in produced:
            raise SystemExit(f"tensor {name} not found in graph")
        graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))

    onnx.checker.check_model(model)
    onnx.save(model, dst)
    print(f"layers={num_layers} hidden_states={num_layers + 1} outputs={[o.name for o in graph.output]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
