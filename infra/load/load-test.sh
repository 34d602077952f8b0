#!/usr/bin/env bash
# Starts the packaged application on loopback, runs the load test against it and stops it again.
#   infra/load/load-test.sh [clients] [seconds] [warm-up seconds] [sample every N s]
#   (defaults: 64 clients, 60 s, 10 s warm-up, memory sampled only after warm-up and at the end)
# Needs ./mvnw package first (target/quarkus-app). Nothing leaves 127.0.0.1.
# SERVER_JAVA_OPTS replaces the server's JVM options (default -Xmx1g); the server inherits the environment,
# so e.g. MALLOC_ARENA_MAX=2 infra/load/load-test.sh ... applies to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS="${1:-64}"
SECONDS_RUN="${2:-60}"
WARMUP="${3:-10}"
SAMPLE_EVERY="${4:-0}"
PORT="${LOAD_PORT:-18089}"
JAR=target/quarkus-app/quarkus-run.jar

java ${SERVER_JAVA_OPTS:--Xmx1g} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$JAR" > target/load-test-server.log 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

# Ready within 120 s or give up (the models load at startup).
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "server exited; see target/load-test-server.log" >&2; exit 1; fi
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null || { echo "server not ready after 120 s" >&2; exit 1; }

./mvnw -q -B test-compile exec:java -Dquarkus.analytics.disabled=true -Dexec.mainClass=dev.embedder.load.LoadTest \
  -Dexec.args="--url http://127.0.0.1:$PORT --clients $CLIENTS --seconds $SECONDS_RUN --warmup $WARMUP --pid $SERVER --sample-every $SAMPLE_EVERY"
