#!/usr/bin/env python3
"""Writes dense.safetensors and dense.expected.json: a sentence-transformers Dense module's weights
(linear.weight [3, 4] and linear.bias [3], F32) plus an F16 and a BF16 tensor, in the safetensors format
written out here by hand with numpy (8-byte little-endian header length, JSON header, raw little-endian
bytes, per the format's specification), and y = W x + b, tanh(W x + b) computed by numpy in float64.
Run: /usr/bin/python3 make_dense.py  (Debian python3-numpy)."""
import json
import struct

import numpy as np

rng = np.random.default_rng(7)
w = rng.standard_normal((3, 4)).astype("<f4")
b = rng.standard_normal(3).astype("<f4")
half = np.array([1.5, -0.25, 65504.0, 6.0e-8], dtype="<f2")
bf16_source = np.array([3.140625, -2.0], dtype="<f4")
bf16 = (bf16_source.view("<u4") >> 16).astype("<u2")  # exact: both values fit in bfloat16

tensors = [("linear.weight", "F32", w.shape, w.tobytes()), ("linear.bias", "F32", b.shape, b.tobytes()),
           ("half", "F16", half.shape, half.tobytes()), ("brain", "BF16", bf16.shape, bf16.tobytes())]
header, offset, data = {"__metadata__": {"format": "pt"}}, 0, b""
for name, dtype, shape, raw in tensors:
    header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
    offset += len(raw)
    data += raw
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)  # the format pads the header with spaces to 8-byte alignment
with open("dense.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)

x = np.array([0.5, -1.0, 2.0, 0.25])
y = w.astype(np.float64) @ x + b.astype(np.float64)
with open("dense.expected.json", "w") as f:
    json.dump({"x": x.tolist(), "weight": w.astype(float).tolist(), "bias": b.astype(float).tolist(),
               "identity": y.tolist(), "tanh": np.tanh(y).tolist(), "half": half.astype(float).tolist(),
               "brain": bf16_source.astype(float).tolist()}, f, indent=1)
print(len(text), offset)


def write(path, named):
    header, offset, data = {}, 0, b""
    for name, arr in named:
        raw = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


# A Dense 384 -> 2 module with tanh for all-MiniLM-L6-v2 (modules: Transformer, Pooling, Dense, Normalize), and
# what sentence-transformers would output for the first two golden sentences: normalize(tanh(W mean + b)), from
# the JS pipeline's mean-pooled vectors (../golden/all-minilm-l6-v2.json).
w2 = (rng.standard_normal((2, 384)) * 0.1).astype("<f4")
b2 = rng.standard_normal(2).astype("<f4")
write("dense384.safetensors", [("linear.weight", w2), ("linear.bias", b2)])
golden = json.load(open("../golden/all-minilm-l6-v2.json"))
out = []
for s in golden["sentences"][:2]:
    z = np.tanh(w2.astype(np.float64) @ np.array(s["mean"]) + b2.astype(np.float64))
    out.append((z / np.linalg.norm(z)).tolist())
with open("dense384.expected.json", "w") as f:
    json.dump({"texts": [s["text"] for s in golden["sentences"][:2]], "embeddings": out}, f, indent=1)
