#!/usr/bin/env bash
# Cross-checks the committed model.onnx against the original nsfwjs TF.js
# model, then prints the cosine matrix of pooled `features` embeddings for
# scikit-image sample photos (the originals from Debian's python3-skimage, and
# the downscaled copies committed under src/test/resources/images if present).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-/usr/bin/python3}"
model="../../mobilenet-v2-nsfwjs/model.onnx"
fixtures="../../../src/test/resources/images"
photos=(motorcycle_left motorcycle_right chelsea astronaut coffee rocket)

# onnxruntime-node's install script would try to download CUDA provider
# binaries; the CPU build is inside the package, so skip that step.
if [ ! -d node_modules ]; then
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi

./fetch_nsfwjs.sh build/nsfwjs

# Sample photos come from the Debian package rather than the network.
skimage_data="build/skimage/pkg/usr/lib/python3/dist-packages/skimage/data"
if [ ! -d "$skimage_data" ]; then
  mkdir -p build/skimage
  (cd build/skimage && apt-get download python3-skimage)
  dpkg-deb -x build/skimage/python3-skimage_*.deb build/skimage/pkg
fi
echo "sample photos from $(basename build/skimage/python3-skimage_*.deb)"

rm -rf build/tensors
originals=()
for p in "${photos[@]}"; do originals+=("$(ls "$skimage_data/$p".*)"); done
"$PYTHON" images.py tensors build/tensors/original "${originals[@]}" >/dev/null

echo "== TF.js vs ONNX Runtime ($(sha256sum "$model" | cut -d' ' -f1))"
node verify_with_tfjs.mjs build/nsfwjs/dist/models/mobilenet_v2 "$model" \
  build/tensors/original/chelsea.bin build/tensors/original/rocket.bin

echo "== cosine of mean-pooled features, original skimage photos"
bins=(); for p in "${photos[@]}"; do bins+=("build/tensors/original/$p.bin"); done
node cosines.mjs "$model" "${bins[@]}"
if [ -d "$fixtures" ]; then
  small=()
  for p in "${photos[@]}"; do small+=("$(ls "$fixtures/$p".*)"); done
  "$PYTHON" images.py tensors build/tensors/fixtures "${small[@]}" >/dev/null
  echo "== cosine of mean-pooled features, downscaled copies in src/test/resources/images"
  bins=(); for p in "${photos[@]}"; do bins+=("build/tensors/fixtures/$p.bin"); done
  node cosines.mjs "$model" "${bins[@]}"
fi
