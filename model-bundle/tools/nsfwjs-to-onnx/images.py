#!/usr/bin/python3
"""Image helpers for the verification scripts (Debian python3 + Pillow only).

  images.py tensors <out dir> <image>...
      Writes <out dir>/<stem>.bin: float32 [1, 3, 224, 224] NCHW, preprocessed
      the way bundle's preprocessor_config.json describes (Hugging Face
      ViTImageProcessor semantics): RGB, Pillow bilinear resize to 224x224,
      multiply by 1/255, no normalisation, no crop.

  images.py downscale <out dir> <image>...
      Writes small copies (long side 256 px, each at most 100 KB) for use as
      test fixtures.
"""
import os
import sys

import numpy as np
from PIL import Image

SIZE = 224
RESCALE = 0.00392156862745098  # 1/255, as written in preprocessor_config.json
FIXTURE_LONG_SIDE = 256
FIXTURE_MAX_BYTES = 100 * 1024


def to_tensor(path):
    img = Image.open(path).convert("RGB")
    # Pillow's resize takes (width, height); resample 2 is BILINEAR, as in HF.
    img = img.resize((SIZE, SIZE), resample=Image.BILINEAR)
    # HF rescales in float64 and then casts to float32; do the same so the
    # numbers here are the ones a HF-compatible preprocessor would produce.
    arr = (np.asarray(img, dtype=np.float64) * RESCALE).astype(np.float32)
    return np.ascontiguousarray(arr.transpose(2, 0, 1)[None])


def tensors(out_dir, paths):
    os.makedirs(out_dir, exist_ok=True)
    for p in paths:
        stem = os.path.splitext(os.path.basename(p))[0]
        to_tensor(p).astype("<f4").tofile(os.path.join(out_dir, stem + ".bin"))
        print(f"{stem}: {p}")


def downscale(out_dir, paths):
    os.makedirs(out_dir, exist_ok=True)
    for p in paths:
        img = Image.open(p).convert("RGB")
        w, h = img.size
        scale = FIXTURE_LONG_SIDE / max(w, h)
        small = img.resize((round(w * scale), round(h * scale)), resample=Image.LANCZOS)
        stem, ext = os.path.splitext(os.path.basename(p))
        # Keep the source format (PNG stays lossless); fall back to JPEG only
        # when a PNG would break the size budget for test fixtures.
        if ext.lower() == ".png":
            target = os.path.join(out_dir, stem + ".png")
            small.save(target, format="PNG")
            if os.path.getsize(target) > FIXTURE_MAX_BYTES:
                os.remove(target)
                ext = ".jpg"
        if ext.lower() in (".jpg", ".jpeg"):
            target = os.path.join(out_dir, stem + ".jpg")
            small.save(target, format="JPEG", quality=92)
        size = os.path.getsize(target)
        if size > FIXTURE_MAX_BYTES:
            sys.exit(f"{target} is {size} bytes, over the fixture budget")
        print(f"{target}: {small.size[0]}x{small.size[1]}, {size} bytes")


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("tensors", "downscale"):
        sys.exit(__doc__)
    {"tensors": tensors, "downscale": downscale}[sys.argv[1]](sys.argv[2], sys.argv[3:])


if __name__ == "__main__":
    main()
