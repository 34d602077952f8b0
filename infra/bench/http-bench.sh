#!/usr/bin/env bash
# Embedder over HTTP against the plain ONNX Runtime ceiling, in one run (see HttpThroughputBenchmark).
# Builds the application (target/quarkus-app), starts it as shipped (java -jar, no tuning flags; only the text model, as the ceiling
# has only it) on a free loopback port, runs the client, prints a markdown table, stops the server.
# Usage: infra/bench/http-bench.sh [threads of the ceiling] [shapes, e.g. 4x32,16x1] [rounds]
# Environment: JAVA_OPTS (extra server JVM flags, for experiments; empty = what ships),
#              SERVER_PROPS (extra server -D settings, for A/B runs), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${1:-$(nproc)}; SHAPES=${2:-4x32,16x1}; ROUNDS=${3:-3}
export MAVEN_ARGS="${MAVEN_ARGS:-} -B -q -Dquarkus.analytics.disabled=true"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw package -DskipTests
JAR=target/quarkus-app/quarkus-run.jar
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OPT_OUT_TRACKING=true DJL_OFFLINE=true EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 \
  java ${JAVA_OPTS:-} ${SERVER_PROPS:-} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$JAR" \
  > target/http-bench-server.log 2>&1 &
SERVER=$!
# Wait for the exit too: whatever runs next (run-all.sh's cold starts) must not share the cores with it.
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "server not ready"; cat target/http-bench-server.log; exit 1; }
./mvnw test-compile exec:java -Dexec.mainClass=dev.embedder.bench.HttpThroughputBenchmark \
  -Dembedder.bench.clk-tck="$(getconf CLK_TCK)" \
  -Dexec.args="http://127.0.0.1:$PORT $SERVER $THREADS $SHAPES $ROUNDS"
