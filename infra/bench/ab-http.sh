#!/usr/bin/env bash
# A/B of server settings over HTTP (see HttpAbBenchmark): starts one server per setting side by side on free
# loopback ports (MiniLM only, as http-bench.sh), measures them in turns with the same client shape, stops them.
# Usage: infra/bench/ab-http.sh SHAPE ROUNDS "LABEL|-Dkey=value ..." ["LABEL|..." ...]
#   e.g. infra/bench/ab-http.sh 4x32 3 "default|" "spinning|-Dembedder.inference.allow-spinning=true"
# CORPUS=<file> (default ../shared/bench/corpus.txt when present). Uses the existing target/quarkus-app/quarkus-run.jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHAPE=${1:?shape}; ROUNDS=${2:?rounds}; shift 2
JAR=target/quarkus-app/quarkus-run.jar
if [ -z "${CORPUS:-}" ] && [ -s ../shared/bench/corpus.txt ]; then CORPUS=$(realpath ../shared/bench/corpus.txt); fi
mkdir -p target/bench/ab
PIDS=(); ARGS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done' EXIT
for spec in "$@"; do
  label=${spec%%|*}; props=${spec#*|}
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # shellcheck disable=SC2086
  OPT_OUT_TRACKING=true DJL_OFFLINE=true EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java $props \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -jar "$JAR" > "target/bench/ab/$label.log" 2>&1 &
  PIDS+=($!); ARGS+=("$label=http://127.0.0.1:$port=$!")
  for _ in $(seq 1 360); do curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null || { echo "$label not ready"; tail "target/bench/ab/$label.log"; exit 1; }
done
./mvnw -B -q -Dquarkus.analytics.disabled=true test-compile exec:java -Dexec.mainClass=dev.embedder.bench.HttpAbBenchmark \
  -Dembedder.bench.clk-tck="$(getconf CLK_TCK)" ${CORPUS:+-Dembedder.bench.corpus=$CORPUS} \
  -Dexec.args="$SHAPE $ROUNDS ${ARGS[*]}"
