# Sourced by the checks in this folder: starts the packaged server on a loopback port and stops it on exit.
# Needs target/quarkus-app/quarkus-run.jar (./mvnw package). Sets SERVER_PID and BASE.
start_server() {
  local port="$1"; shift
  local jar
  jar=target/quarkus-app/quarkus-run.jar
  if ! [ -f "$jar" ]; then echo "no $jar; run ./mvnw package first" >&2; return 1; fi
  OPT_OUT_TRACKING=true DJL_OFFLINE=true java -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    "$@" -jar "$jar" > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$port"
  trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -sf "$BASE/q/health/ready" > /dev/null && return 0
    kill -0 $SERVER_PID 2>/dev/null || { echo "server exited; see $OUT/server.log" >&2; return 1; }
    sleep 1
  done
  echo "server not ready after 120 s" >&2; return 1
}
