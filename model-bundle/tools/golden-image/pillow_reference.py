#!/usr/bin/env python3
"""Pillow reference goldens for dev.embedder.image.ImagePreprocessor.

Creates small input images covering decoder and resampling corner cases, then applies the steps HF image
processors (ViT/CLIP/Bit) apply, using Pillow and numpy only, and writes float32 [3,H,W] .npy goldens plus
an index.json describing every case.

Why this exists beside the transformers goldens: those cover three RGB images and two filters; here we pin
down the cases transformers fixtures do not reach (grayscale, palette, alpha, CMYK, 16-bit, EXIF rotation,
padding crops, every PIL filter) against the library whose behaviour we replicate.

Steps (mirroring transformers' image_transforms for a uint8 PIL input):
  exif_transpose (HF does not do this; our service does, so the golden does too) -> convert('RGB')
  -> resize with PIL (size {shortest_edge} truncates the long edge: int(s * long / short))
  -> center crop (offset (size - crop) // 2, zero padding when the crop is larger)
  -> x * rescale_factor -> (x - mean) / std -> CHW float32.

Usage: python3 pillow_reference.py OUT_DIR   (needs python3-pil and python3-numpy)
"""
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageOps

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
rng = np.random.default_rng(1234)


def smooth_rgb(w, h):
    """A smooth colour field with some texture: resampling differences show, JPEG stays faithful."""
    x = np.linspace(0, 1, w)[None, :]
    y = np.linspace(0, 1, h)[:, None]
    r = 0.5 + 0.5 * np.sin(6.0 * x + 2.0 * y)
    g = 0.5 + 0.5 * np.cos(4.0 * y - 3.0 * x * y)
    b = (x + y) / 2
    img = np.stack([r + 0 * y, g + 0 * x, b], axis=2)
    img += rng.normal(0, 0.04, img.shape)
    return (np.clip(img, 0, 1) * 255).round().astype(np.uint8)


def asymmetric(w, h):
    """Distinct colours in each corner so any wrong rotation or flip is obvious."""
    a = smooth_rgb(w, h)
    a[: h // 3, : w // 3] = (255, 0, 0)
    a[: h // 3, -w // 3:] = (0, 255, 0)
    a[-h // 3:, : w // 3] = (0, 0, 255)
    return a


def png_rgb16(path, arr16):
    """Pillow cannot write 16-bit RGB, so write the PNG chunks by hand (big-endian samples)."""
    h, w, _ = arr16.shape
    raw = b"".join(b"\x00" + arr16[y].astype(">u2").tobytes() for y in range(h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def make_inputs(d):
    """Writes the input files; returns nothing, cases refer to them by name."""
    Image.fromarray(smooth_rgb(157, 113)).save(os.path.join(d, "rgb_157x113.png"))
    Image.fromarray(smooth_rgb(23, 17)).save(os.path.join(d, "rgb_23x17.png"))
    Image.fromarray(smooth_rgb(20, 14)).save(os.path.join(d, "rgb_20x14.png"))
    Image.fromarray(smooth_rgb(90, 70)[:, :, 1]).save(os.path.join(d, "gray_90x70.png"))
    Image.fromarray(smooth_rgb(90, 70)[:, :, 0]).save(os.path.join(d, "gray_90x70.jpg"), quality=95)
    rgba = np.dstack([smooth_rgb(100, 80), (np.arange(100)[None, :] * 2.55 + np.zeros((80, 1))).astype(np.uint8)])
    Image.fromarray(rgba, "RGBA").save(os.path.join(d, "rgba_100x80.png"))
    pal = Image.fromarray(smooth_rgb(80, 60)).quantize(colors=32)
    pal.save(os.path.join(d, "palette_80x60.png"), transparency=3)
    Image.fromarray(smooth_rgb(60, 40)[:, :, 2] > 128).save(os.path.join(d, "bilevel_60x40.png"))
    # Real CMYK with a black channel (convert("CMYK") would leave K at 0 and hide half of the formula).
    cmyk = np.dstack([smooth_rgb(96, 64), smooth_rgb(64, 96).transpose(1, 0, 2)[:, :, :1]])
    Image.fromarray(cmyk, "CMYK").save(os.path.join(d, "cmyk_96x64.jpg"), quality=95)
    Image.fromarray(asymmetric(120, 80)).save(os.path.join(d, "exif6_120x80.jpg"), quality=95,
                                              exif=exif_with_orientation(6))
    for o in range(1, 9):
        Image.fromarray(asymmetric(12, 8)).save(os.path.join(d, f"orient{o}_12x8.jpg"), quality=100,
                                                exif=exif_with_orientation(o))
    Image.fromarray(smooth_rgb(130, 90)).save(os.path.join(d, "progressive_130x90.jpg"), quality=90,
                                              progressive=True)
    png_rgb16(os.path.join(d, "rgb16_64x48.png"), smooth_rgb(64, 48).astype(np.uint16) * 257
              + rng.integers(0, 257, (48, 64, 3)).astype(np.uint16))
    frames = [Image.fromarray(smooth_rgb(70, 50)), Image.fromarray(255 - smooth_rgb(70, 50))]
    frames[0].save(os.path.join(d, "animated_70x50.gif"), save_all=True, append_images=frames[1:], duration=100,
                   loop=0)
    Image.fromarray(smooth_rgb(75, 45)).save(os.path.join(d, "rgb_75x45.bmp"))
    Image.fromarray(smooth_rgb(66, 44)).save(os.path.join(d, "lossless_66x44.webp"), lossless=True)
    Image.fromarray(smooth_rgb(66, 44)).save(os.path.join(d, "lossy_66x44.webp"), quality=90)


def cfg(size, resample, crop=None, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5), do_resize=True):
    c = {"do_resize": do_resize, "size": size, "resample": resample, "do_rescale": True,
         "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": list(mean), "image_std": list(std),
         "do_convert_rgb": True, "do_center_crop": crop is not None}
    if crop is not None:
        c["crop_size"] = {"height": crop[0], "width": crop[1]}
    return c


CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

CASES = [
    ("bilinear_down_noninteger", "rgb_157x113.png", cfg({"height": 48, "width": 64}, 2)),
    ("bicubic_down_shortest_crop", "rgb_157x113.png", cfg({"shortest_edge": 50}, 3, (33, 31), CLIP_MEAN, CLIP_STD)),
    ("lanczos_down", "rgb_157x113.png", cfg({"height": 40, "width": 52}, 1)),
    ("box_down", "rgb_157x113.png", cfg({"height": 40, "width": 52}, 4)),
    ("hamming_down", "rgb_157x113.png", cfg({"height": 40, "width": 52}, 5)),
    ("nearest_down", "rgb_157x113.png", cfg({"height": 37, "width": 29}, 0)),
    ("bicubic_up_shortest_crop", "rgb_23x17.png", cfg({"shortest_edge": 40}, 3, (31, 33))),
    ("bilinear_up", "rgb_23x17.png", cfg({"height": 64, "width": 48}, 2)),
    ("nearest_up", "rgb_23x17.png", cfg({"height": 40, "width": 50}, 0)),
    ("crop_pads_small_image", "rgb_20x14.png", cfg(None, 2, (24, 17), do_resize=False)),
    ("grayscale_png", "gray_90x70.png", cfg({"shortest_edge": 64}, 3, (64, 64), CLIP_MEAN, CLIP_STD)),
    ("grayscale_jpeg", "gray_90x70.jpg", cfg({"height": 32, "width": 32}, 2)),
    ("rgba_png_alpha_dropped", "rgba_100x80.png", cfg({"height": 48, "width": 48}, 2)),
    ("palette_png_transparency", "palette_80x60.png", cfg({"shortest_edge": 32}, 3, (32, 32))),
    ("bilevel_png", "bilevel_60x40.png", cfg({"height": 32, "width": 48}, 2)),
    ("cmyk_jpeg", "cmyk_96x64.jpg", cfg({"shortest_edge": 48}, 3, (48, 48), (0.485, 0.456, 0.406), (0.229, 0.224, 0.225))),
    ("exif_orientation_6", "exif6_120x80.jpg", cfg({"height": 60, "width": 40}, 2)),
    ("progressive_jpeg", "progressive_130x90.jpg", cfg({"shortest_edge": 45}, 3, (45, 45))),
    ("rgb16_png", "rgb16_64x48.png", cfg({"shortest_edge": 32}, 2, (32, 32))),
    ("animated_gif_first_frame", "animated_70x50.gif", cfg({"height": 40, "width": 56}, 2)),
    ("bmp_24bit", "rgb_75x45.bmp", cfg({"shortest_edge": 30}, 3, (30, 30))),
    ("webp_lossless", "lossless_66x44.webp", cfg({"height": 44, "width": 66}, 2)),
    ("webp_lossy", "lossy_66x44.webp", cfg({"height": 32, "width": 48}, 3)),
] + [(f"orientation_{o}", f"orient{o}_12x8.jpg",
       # A resize to the upright size is an identity, so these pin down orientation and decoding only.
       cfg({"height": 12, "width": 8} if o >= 5 else {"height": 8, "width": 12}, 2)) for o in range(1, 9)]


def output_size(h, w, size):
    if "shortest_edge" in size:
        s = size["shortest_edge"]
        short, long = (w, h) if w <= h else (h, w)
        new_long = int(s * long / short)
        return (new_long, s) if w <= h else (s, new_long)
    return size["height"], size["width"]


def center_crop(arr, ch, cw):
    h, w = arr.shape[:2]
    top, left = (h - ch) // 2, (w - cw) // 2
    out = np.zeros((ch, cw, 3), dtype=arr.dtype)
    for y in range(ch):
        sy = y + top
        if 0 <= sy < h:
            for x in range(cw):
                sx = x + left
                if 0 <= sx < w:
                    out[y, x] = arr[sy, sx]
    return out


def preprocess(path, c):
    im = Image.open(path)
    im.seek(0)
    im = ImageOps.exif_transpose(im)
    im = im.convert("RGB")
    if c["do_resize"]:
        h, w = output_size(im.height, im.width, c["size"])
        im = im.resize((w, h), resample=c["resample"])
    arr = np.asarray(im)
    if c["do_center_crop"]:
        arr = center_crop(arr, c["crop_size"]["height"], c["crop_size"]["width"])
    x = (arr.astype(np.float64) * c["rescale_factor"]).astype(np.float32)
    x = (x - np.array(c["image_mean"], dtype=np.float32)) / np.array(c["image_std"], dtype=np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1).astype(np.float32)), Image.open(path).mode


def main():
    os.makedirs(OUT, exist_ok=True)
    make_inputs(OUT)
    index = {"produced_by": f"pillow_reference.py, Pillow {Image.__version__}, numpy {np.__version__}", "cases": []}
    for name, image, c in CASES:
        arr, mode = preprocess(os.path.join(OUT, image), c)
        np.save(os.path.join(OUT, name + ".npy"), arr)
        index["cases"].append({"name": name, "image": image, "source_mode": mode, "golden": name + ".npy",
                               "shape": list(arr.shape), "preprocessor_config": c})
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    print("wrote", len(CASES), "cases to", OUT)


if __name__ == "__main__":
    main()
