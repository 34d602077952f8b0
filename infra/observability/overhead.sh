#!/usr/bin/env bash
# Throughput with Embedder's observability on (meters, request log line, timing headers; tracing off, the default)
# vs off (embedder.observability.metrics/request-log/timing-headers=false), two servers side by side, interleaved
# rounds of REQUESTS requests of 4 sentences from 8 concurrent curl clients. Quarkus's own HTTP meters are a build-time
# choice and stay in both. Prints requests/s per round and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=target/quarkus-app/quarkus-run.jar
OUT=target/overhead; mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3}; REQUESTS=${REQUESTS:-200}
common=(-Xmx512m -Dquarkus.http.host=127.0.0.1 -Dembedder.bundle.models=all-minilm-l6-v2)
OPT_OUT_TRACKING=true DJL_OFFLINE=true java "${common[@]}" -Dquarkus.http.port=18095 -jar "$JAR" > "$OUT/on.log" 2>&1 &
ON=$!
OPT_OUT_TRACKING=true DJL_OFFLINE=true java "${common[@]}" -Dquarkus.http.port=18096 -Dembedder.observability.metrics=false \
  -Dembedder.observability.request-log=false -Dembedder.observability.timing-headers=false -jar "$JAR" > "$OUT/off.log" 2>&1 &
OFF=$!
trap 'kill $ON $OFF 2>/dev/null; wait 2>/dev/null' EXIT
for port in 18095 18096; do for _ in $(seq 1 120); do curl -sf "127.0.0.1:$port/q/health/ready" > /dev/null && break; sleep 1; done; done
load() { # port -> requests/s
  local start end
  start=$(date +%s.%N)
  seq 1 "$REQUESTS" | xargs -P 8 -I{} curl -sf -o /dev/null "127.0.0.1:$1/v1/embeddings" -H 'Content-Type: application/json' \
    -d '{"input": ["A man is eating food {}.", "A man is eating a piece of bread.", "The girl is carrying a baby.", "A man is riding a horse."]}'
  end=$(date +%s.%N)
  python3 -c "print(round($REQUESTS / ($end - $start), 1))"
}
load 18095 > /dev/null; load 18096 > /dev/null   # warm-up
on=(); off=()
for r in $(seq 1 "$ROUNDS"); do
  on+=("$(load 18095)"); off+=("$(load 18096)")
  echo "round $r: on ${on[-1]} req/s, off ${off[-1]} req/s"
done
python3 -c "
import statistics as s
on=[$(IFS=,; echo "${on[*]}")]; off=[$(IFS=,; echo "${off[*]}")]
print(f'median on {s.median(on)} req/s, off {s.median(off)} req/s, on/off {s.median(on)/s.median(off):.3f}')"
