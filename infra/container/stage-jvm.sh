#!/usr/bin/env bash
# Lays out the build context of infra/container/Dockerfile.jvm from the output of `./mvnw package`:
#   <stage>/quarkus-app/                          the application (Quarkus's fast-jar layout, target/quarkus-app)
#   <stage>/model-bundle/                         the built-in bundles as plain folders, prepared (prepare-models)
#   <stage>/native/onnxruntime/                  ONNX Runtime's linux-x64 native libraries, unpacked once here
# Why: at every start the JVM would otherwise inflate each model out of its jar (a 90 MB entry) and unpack
# ONNX Runtime's native library (28 MB) into a temporary folder; in a container that happens on every cold start.
# The tokenizer's library is left to DJL: its override (RUST_LIBRARY_PATH) fails in DJL 0.38 with a
# NullPointerException on hosts where it detects a CUDA runtime. infra/bench/cold-start-http.sh measures this layout (variant "container").
#   <stage>/hf-hub/                               a Hugging Face cache with the Hub models named in EMBEDDER_PREFETCH
#                                                 (space-separated org/name[@revision]; empty folder when unset)
# Usage: [EMBEDDER_PREFETCH="BAAI/bge-small-en-v1.5"] infra/container/stage-jvm.sh <stage-dir>
#        (hard links where possible: no copy of ~250 MB; HF_TOKEN / HF_ENDPOINT are used for the prefetch)
set -euo pipefail
cd "$(dirname "$0")/../.."
STAGE=${1:?usage: stage-jvm.sh <stage-dir>}
APP=target/quarkus-app
[ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar: run ./mvnw package (the plain build) first" >&2; exit 1; }
rm -rf "$STAGE"; mkdir -p "$STAGE/native/onnxruntime"
cp -al "$APP" "$STAGE/quarkus-app" 2>/dev/null || cp -a "$APP" "$STAGE/quarkus-app"
# The application's own jar (app/embedder-*.jar) holds the built-in bundles.
APP_JAR=$(realpath "$(ls "$APP"/app/embedder-*.jar | head -1)")
(cd "$STAGE" && unzip -q -o "$APP_JAR" 'model-bundle/*')
# The outputs a start appends (hidden states, the pooling run in the graph) written into the model files once, so
# each container start loads them in place instead of copying 90 MB of weights first.
java -jar "$APP/quarkus-run.jar" prepare-models "$STAGE/model-bundle"
unzip -q -j -o "$(ls "$APP"/lib/main/com.microsoft.onnxruntime.onnxruntime*.jar | head -1)" \
    'ai/onnxruntime/native/linux-x64/*' -d "$STAGE/native/onnxruntime"
mkdir -p "$STAGE/hf-hub"
if [ -n "${EMBEDDER_PREFETCH:-}" ]; then
  # shellcheck disable=SC2086 # one argument per id
  java -jar "$APP/quarkus-run.jar" prefetch $EMBEDDER_PREFETCH --cache "$STAGE/hf-hub"
fi
echo "staged $(du -sh "$STAGE" | cut -f1) in $STAGE"
