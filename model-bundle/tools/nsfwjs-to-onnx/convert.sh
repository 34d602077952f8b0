#!/usr/bin/env bash
# Rebuilds model-bundle/mobilenet-v2-nsfwjs/model.onnx (and its LICENSE) from
# the published nsfwjs npm package. Needs node/npm and Debian's python3-onnx
# and python3-numpy; the Debian interpreter is named explicitly because a
# pyenv python earlier on PATH would not see those packages.
# Running it again must give a byte-identical model.onnx.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-/usr/bin/python3}"
bundle="../../mobilenet-v2-nsfwjs"
work="build/convert"

./fetch_nsfwjs.sh build/nsfwjs
rm -rf "$work"
node extract.mjs build/nsfwjs/dist/models/mobilenet_v2 "$work"
mkdir -p "$bundle"
"$PYTHON" build_onnx.py "$work" "$bundle/model.onnx"
# The weights are MIT-licensed by nsfwjs; ship the licence text from the package itself.
cp build/nsfwjs/LICENSE "$bundle/LICENSE"
sha256sum "$bundle/model.onnx"
