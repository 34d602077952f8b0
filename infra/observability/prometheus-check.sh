#!/usr/bin/env bash
# A real Prometheus (Debian's prometheus package) on loopback scrapes the packaged server every second during a
# short load; the check then asks Prometheus (PromQL over its HTTP API) whether the request count it saw equals
# what the load sent and whether the queue and inference histograms are populated. About a minute.
# Skips (exit 0 with a message) where prometheus is not installed: apt-get install -y prometheus.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROMETHEUS=$(command -v prometheus || true)
if [ -z "$PROMETHEUS" ]; then echo "prometheus-check: skipped, no prometheus (apt-get install -y prometheus)"; exit 0; fi
OUT=target/prometheus-check; rm -rf "$OUT"; mkdir -p "$OUT"
. infra/observability/server.sh
APP_PORT=${APP_PORT:-18094}; PROM_PORT=${PROM_PORT:-19094}
start_server "$APP_PORT" -Dembedder.bundle.models=all-minilm-l6-v2 -Dembedder.observability.request-log=false
cat > "$OUT/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: embedder
    metrics_path: /q/metrics
    static_configs: [{targets: ['127.0.0.1:$APP_PORT']}]
YML
"$PROMETHEUS" --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$OUT/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" > "$OUT/prometheus.log" 2>&1 &
PROM_PID=$!
trap 'kill $PROM_PID $SERVER_PID 2>/dev/null; wait 2>/dev/null || true' EXIT
PROM="http://127.0.0.1:$PROM_PORT"
for _ in $(seq 1 60); do curl -sf "$PROM/-/ready" > /dev/null && break; sleep 1; done

# The load: REQUESTS requests of 4 texts each, 4 at a time.
REQUESTS=${REQUESTS:-60}
seq 1 "$REQUESTS" | xargs -P 4 -I{} curl -sf -o /dev/null "$BASE/v1/embeddings" -H 'Content-Type: application/json' \
  -d '{"input": ["request {} first text", "second text of it", "a third one, somewhat longer than the others", "4"]}'
sleep 4   # a few scrapes after the last request

query() { curl -sf "$PROM/api/v1/query" --data-urlencode "query=$1" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'; }
failures=0
expect() { # name, PromQL, python condition on v
  local v; v=$(query "$2")
  if python3 -c "import sys; v=float('nan') if '$v'=='none' else float('$v'); sys.exit(0 if ($3) else 1)"; then
    echo "ok   $1: $v"; else echo "FAIL $1: $v (wanted $3)"; failures=$((failures + 1)); fi
}
expect "requests counted" 'sum(embedder_requests_seconds_count{route="/v1/embeddings",outcome="success"})' "v == $REQUESTS"
expect "inputs counted" 'sum(embedder_request_inputs_sum)' "v == 4 * $REQUESTS"
expect "HTTP server requests" 'sum(http_server_requests_seconds_count{uri="/v1/embeddings",status="200"})' "v == $REQUESTS"
expect "queue histogram populated" 'sum(embedder_queue_duration_seconds_bucket{le="+Inf"})' "v == $REQUESTS"
expect "inference histogram populated" 'sum(embedder_inference_duration_seconds_bucket{le="+Inf"})' "v == $REQUESTS"
expect "inference p90 from buckets" 'histogram_quantile(0.9, sum by (le) (embedder_inference_duration_seconds_bucket))' "0 < v < 30"
expect "padded >= real tokens" 'sum(embedder_batch_tokens_sum{kind="padded"}) - sum(embedder_batch_tokens_sum{kind="real"})' "v >= 0"
expect "queue depth gauge scraped" 'max(embedder_queue_depth_sequences)' "v >= 0"
echo "prometheus-check: $((8 - failures)) passed, $failures failed"
exit $(( failures > 0 ))
