#!/usr/bin/env python3
"""Golden output data types (int8, uint8, binary, ubinary) for Embedder, from numpy alone.

Usage: python3 make_golden.py [GOLDEN_DIR]      (default: src/test/resources/golden of this repository)

Reads the float vectors of all-minilm-l6-v2.json (written by model-bundle/tools/golden-text, i.e. transformers.js
+ onnxruntime-node, not Embedder) and writes quantization.json next to it. The quantization is written here from
sentence-transformers' definition of quantize_embeddings (sentence_transformers/quantization.py), not imported:

  int8 / uint8   ranges = per-component [min, max] over the embeddings (or given calibration ranges);
                 steps = (max - min) / 255;  uint8 = ((x - min) / steps).astype(uint8),
                 int8 = ((x - min) / steps - 128).astype(int8)   (astype truncates toward zero)
  ubinary        numpy.packbits(x > 0) per vector: first component in the most significant bit
  binary         (ubinary - 128).astype(int8)

All arithmetic in float32, as sentence-transformers does on float32 embeddings.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

# The request: these sentences of the golden file, embedded normalised (mean_normalized), in this order.
BATCH = [0, 1, 2, 3, 4, 5, 6, 7]
# Calibration: every sentence of the golden file (a superset of BATCH, so the batch lies inside the ranges).
PACKED_DIMENSIONS = 128


def scalar(emb, ranges, signed):
    starts = ranges[0, :]
    steps = (ranges[1, :] - ranges[0, :]) / np.float32(255)
    scaled = (emb - starts) / steps
    if signed:
        return (scaled - np.float32(128)).astype(np.int8)
    return scaled.astype(np.uint8)


def ubinary(emb):
    return np.packbits(emb > 0, axis=-1)


def binary(emb):
    return (ubinary(emb).astype(np.int16) - 128).astype(np.int8)


def rows(a):
    return [[int(x) for x in row] for row in a]


def main(argv):
    golden_dir = argv[1] if len(argv) > 1 else os.path.join(REPO, "src", "test", "resources", "golden")
    with open(os.path.join(golden_dir, "all-minilm-l6-v2.json"), encoding="utf-8") as f:
        golden = json.load(f)
    all_vectors = np.array([s["mean_normalized"] for s in golden["sentences"]], dtype=np.float32)
    emb = all_vectors[BATCH]
    assert emb.dtype == np.float32 and emb.shape == (len(BATCH), 384)

    batch_ranges = np.vstack((emb.min(axis=0), emb.max(axis=0)))
    calibration = np.vstack((all_vectors.min(axis=0), all_vectors.max(axis=0)))
    assert (emb >= calibration[0]).all() and (emb <= calibration[1]).all()

    # Matryoshka cut: the first PACKED_DIMENSIONS components (renormalising keeps every sign, so bits are unchanged).
    cut = emb[:, :PACKED_DIMENSIONS]

    out = {
        "model": golden["model"],
        "generator": "model-bundle/tools/golden-quantization/make_golden.py",
        "numpy": np.__version__,
        "source": "mean_normalized of all-minilm-l6-v2.json",
        "batch": BATCH,
        "texts": [golden["sentences"][i]["text"] for i in BATCH],
        "calibration_ranges": [[float(x) for x in row] for row in calibration],
        "int8": rows(scalar(emb, batch_ranges, True)),
        "uint8": rows(scalar(emb, batch_ranges, False)),
        "int8_calibrated": rows(scalar(emb, calibration, True)),
        "uint8_calibrated": rows(scalar(emb, calibration, False)),
        "binary": rows(binary(emb)),
        "ubinary": rows(ubinary(emb)),
        "packed_dimensions": PACKED_DIMENSIONS,
        "ubinary_dimensions": rows(ubinary(cut)),
    }
    # Checks of the definition itself.
    assert len(out["binary"][0]) == 384 // 8 and len(out["ubinary_dimensions"][0]) == PACKED_DIMENSIONS // 8
    assert (np.array(out["binary"]) == np.array(out["ubinary"]) - 128).all()
    u = np.array(out["uint8"])
    assert u.min() == 0 and u.max() >= 254

    path = os.path.join(golden_dir, "quantization.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(out, separators=(", ", ": ")) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
