#!/usr/bin/env bash
# Cold start and package size of a model named by Hub id (README "Models by Hub id"), against the built-in bundle.
# The Hub is the test server (src/test/hub-server/hub_server.py, python3) on loopback, serving the build's
# all-MiniLM-L6-v2 export in its Hub layout; nothing leaves the machine. Time = spawn of the application (quarkus-run.jar) to the first
# embedding answered by POST /v1/embeddings, median of RUNS; each run gets a fresh java.io.tmpdir / DJL_CACHE_DIR.
#   builtin       EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 (classpath bundle, inflated from the jar)
#   hub-offline   sentence-transformers/all-MiniLM-L6-v2 from a prefetched cache, HF_HUB_OFFLINE=1 (no network)
#   hub-online    the same cache, online: one model-info call, cached blobs verified (sha256), nothing downloaded
#   hub-download  an empty cache each run: everything fetched from the loopback Hub at startup
# Then the sizes a prefetched cache adds to a package (du, and zip -r as the Lambda zip would store it).
# Environment: RUNS (default 3), JAR (default target/quarkus-app/quarkus-run.jar). Needs curl, python3, zip.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
JAR=$(realpath "${JAR:-target/quarkus-app/quarkus-run.jar}")
WORK=$PWD/target/bench/cold-start-hub
ID=sentence-transformers/all-MiniLM-L6-v2
FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
BODY='{"input": ["A man is eating a piece of bread."]}'
rm -rf "$WORK"; mkdir -p "$WORK"

REPO=$WORK/repos/$ID
mkdir -p "$REPO/onnx"
cp -r src/test/resources/hf-layouts/all-MiniLM-L6-v2/. "$REPO/"
ln -f target/classes/model-bundle/all-minilm-l6-v2/all-minilm-l6-v2.onnx "$REPO/onnx/model.onnx"
ln -f target/classes/model-bundle/all-minilm-l6-v2-q/all-minilm-l6-v2-q.onnx "$REPO/onnx/model_quantized.onnx"
ln -f target/classes/model-bundle/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json "$REPO/tokenizer.json"

HUB=
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -n "$HUB" ] && kill "$HUB" 2>/dev/null || true
}
trap cleanup EXIT
python3 src/test/hub-server/hub_server.py --root "$WORK/repos" --log "$WORK/hub.log" > "$WORK/ports" &
HUB=$!
for _ in $(seq 100); do grep -q READY "$WORK/ports" 2>/dev/null && break; sleep 0.1; done
ENDPOINT=http://127.0.0.1:$(awk '{print $2}' "$WORK/ports")

export HF_ENDPOINT=$ENDPOINT
java -jar "$JAR" prefetch "$ID" --cache "$WORK/prefetched" > "$WORK/prefetch.log" 2>&1 || { cat "$WORK/prefetch.log"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run <name> <env assignments...>: prints the milliseconds to the first embedding
run() {
  local name=$1; shift
  local port tmp start
  port=$(free_port); tmp=$(mktemp -d)
  start=$(date +%s%N)
  env "$@" DJL_CACHE_DIR="$tmp/djl" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
      java $FLAGS -Djava.io.tmpdir="$tmp" -jar "$JAR" > "$WORK/$name.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 9000); do
    if curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$port/v1/embeddings"; then
      echo $(( ($(date +%s%N) - start) / 1000000 ))
      kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; rm -rf "$tmp"; return
    fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.02
  done
  echo "failed"; kill "$SERVER" 2>/dev/null || true; SERVER=; rm -rf "$tmp"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| variant | cold start, median of $RUNS (ms) | runs (ms) | Hub requests per start |"
echo "|---|---:|---|---:|"
for variant in builtin hub-offline hub-online hub-download; do
  times=()
  before=$(wc -l < "$WORK/hub.log")
  for i in $(seq "$RUNS"); do
    case $variant in
      builtin) t=$(run "$variant-$i" EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2) ;;
      hub-offline) t=$(run "$variant-$i" EMBEDDER_BUNDLE_MODELS=$ID HF_HUB_CACHE="$WORK/prefetched" HF_HUB_OFFLINE=1) ;;
      hub-online) t=$(run "$variant-$i" EMBEDDER_BUNDLE_MODELS=$ID HF_HUB_CACHE="$WORK/prefetched") ;;
      hub-download) rm -rf "$WORK/fresh"; t=$(run "$variant-$i" EMBEDDER_BUNDLE_MODELS=$ID HF_HUB_CACHE="$WORK/fresh") ;;
    esac
    times+=("$t")
  done
  requests=$(( ($(wc -l < "$WORK/hub.log") - before) / RUNS ))
  echo "| $variant | $(printf '%s\n' "${times[@]}" | median) | ${times[*]} | $requests |"
done

java -jar "$JAR" prefetch "$ID" --cache "$WORK/zip-fp32" --no-symlinks > /dev/null 2>&1
java -jar "$JAR" prefetch "$ID" --variant quantized --cache "$WORK/zip-int8" --no-symlinks > /dev/null 2>&1
echo
echo "| prefetched cache | on disk | zipped (zip -r, deflate) |"
echo "|---|---:|---:|"
echo "| fp32, symlinks (image layout) | $(du -sb "$WORK/prefetched" | awk '{printf "%.1f MB", $1/1e6}') | |"
for c in zip-fp32 zip-int8; do
  (cd "$WORK/$c" && zip -qr "$WORK/$c.zip" .)
  echo "| $c (--no-symlinks) | $(du -sb "$WORK/$c" | awk '{printf "%.1f MB", $1/1e6}') | $(stat -c %s "$WORK/$c.zip" | awk '{printf "%.1f MB", $1/1e6}') |"
done
