#!/usr/bin/env bash
# Embedder over HTTP against the plain ONNX Runtime ceiling, in one run (see HttpThroughputBenchmark).
# Builds the runner jar, starts it on a free loopback port with the same ORT thread count as the
# baseline, runs the client, prints a markdown table, stops the server.
# Usage: infra/bench/http-bench.sh [threads] [clients] [sentences-per-request] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${1:-$(nproc)}; CLIENTS=${2:-16}; PER_REQUEST=${3:-4}; ROUNDS=${4:-3}
export MAVEN_ARGS="${MAVEN_ARGS:-} -B -q -Dquarkus.analytics.disabled=true"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw package -DskipTests
JAR=$(ls target/*-runner.jar | head -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# JAVA_OPTS (e.g. -Xmx256m) sizes the server's heap; by default the JVM may take a quarter of the RAM.
OPT_OUT_TRACKING=true DJL_OFFLINE=true java ${JAVA_OPTS:-} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -Dembedder.inference.intra-op-threads="$THREADS" -jar "$JAR" > target/http-bench-server.log 2>&1 &
SERVER=$!
# Wait for the exit too: whatever runs next (run-all.sh's cold starts) must not share the cores with it.
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "server not ready"; cat target/http-bench-server.log; exit 1; }
./mvnw test-compile exec:java -Dexec.mainClass=dev.embedder.bench.HttpThroughputBenchmark \
  -Dexec.args="http://127.0.0.1:$PORT $SERVER $THREADS $CLIENTS $PER_REQUEST $ROUNDS"
