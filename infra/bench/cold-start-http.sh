#!/usr/bin/env bash
# Cold start of the packaged runner jar over HTTP: time from spawning the JVM to the first embedding answered
# by POST /v1/embeddings on loopback, median of RUNS runs. JVM flags of a short-lived instance (C1 only, serial
# GC), and the same again with an AppCDS archive written by one training run. Only the text model is loaded.
# Unlike infra/native/cold-start.sh this needs nothing but the runner jar (no native-smoke artifacts, no Lambda
# Runtime API), so run-all.sh can always include it.
#
# Each run gets a fresh temporary folder (java.io.tmpdir, DJL_CACHE_DIR): ONNX Runtime and the DJL tokenizer
# unpack their native libraries there, as they would in a new container, so that cost is part of the number.
# Prints a markdown table, then RESULT key=value lines for run-all.sh.
#
# Variant "unpacked" is the container-image layout of infra/container/Dockerfile.jvm on top of AppCDS: the bundle
# as a folder on disk (EMBEDDER_BUNDLE_LOCATIONS; no inflating of a 90 MB jar entry) and ONNX Runtime's native
# library unpacked once at build time (onnxruntime.native.path). The tokenizer's library is still unpacked per
# start: DJL 0.38's override (RUST_LIBRARY_PATH) fails with a NullPointerException when it detects a CUDA runtime.
#
# Environment: RUNS (default 5), JAR (default target/*-runner.jar), COLD_JAVA_OPTS (extra JVM flags, e.g. -Xmx512m),
#              VARIANTS (default "plain appcds unpacked").
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
JAR=${JAR:-$(ls target/*-runner.jar | head -1)}
JAR_ABS=$(realpath "$JAR")
VARIANTS=${VARIANTS:-plain appcds unpacked}
OUT=$PWD/target/bench/cold-start
FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${COLD_JAVA_OPTS:-}"
PROPS="-Dembedder.bundle.models=all-minilm-l6-v2 -Dquarkus.http.host=127.0.0.1"
BODY='{"input": ["A man is eating a piece of bread."]}'
ARCHIVE=target/bench/cold-start/app.jsa
# A start that takes longer than this is reported as failed rather than waited for forever.
DEADLINE_S=${DEADLINE_S:-180}
rm -rf "$OUT"; mkdir -p "$OUT"

SERVER=
TMP=
MS=
# SIGTERM, then wait for the process to be gone: the training run writes its archive while it exits, and the
# next run must not share the cores with a JVM still shutting down. SIGKILL only if it hangs.
stop() {
  if [ -n "$SERVER" ]; then
    kill -TERM "$SERVER" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
  fi
  [ -z "$TMP" ] || rm -rf "$TMP"
  TMP=
}
trap stop EXIT
trap 'exit 130' INT TERM

# One start: log file, extra JVM flags... Sets MS to the milliseconds from spawn to the first 200, or "fail".
# Leaves the process running (in SERVER) so that the caller decides how to stop it. Not called in $(...): a
# subshell would keep SERVER to itself and the trap could not stop the JVM.
start_and_embed() {
  local log=$1; shift
  local port t0 now code
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  TMP=$(mktemp -d "$OUT/tmp.XXXXXX")
  t0=$(date +%s%N)
  OPT_OUT_TRACKING=true DJL_OFFLINE=true DJL_CACHE_DIR="$TMP/djl" java $FLAGS "$@" $PROPS \
    -Djava.io.tmpdir="$TMP" -Dquarkus.http.port="$port" -jar "$JAR" > "$log" 2>&1 &
  SERVER=$!
  while :; do
    # Connection refused returns at once; once the port is open the request waits for its answer.
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
      -d "$BODY" "http://127.0.0.1:$port/v1/embeddings" || true)
    now=$(date +%s%N)
    [ "$code" = 200 ] && { MS=$(( (now - t0) / 1000000 )); return; }
    # A server whose models failed to load keeps running (readiness DOWN): give up at once rather than poll it
    # until the deadline, which would load the machine while later measurements run.
    if ! kill -0 "$SERVER" 2>/dev/null || grep -q "Model loading failed" "$log" \
        || [ $(( (now - t0) / 1000000000 )) -ge "$DEADLINE_S" ]; then
      MS=fail; return
    fi
    sleep 0.01
  done
}

# Median, min, max of whole milliseconds given as arguments ("-" when none).
summary() {
  [ $# -gt 0 ] || { echo "- - -"; return; }
  printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; print m, v[1], v[NR]}'
}

declare -A ROW CMD
measure() {  # variant, extra JVM flags...
  local v=$1; shift
  local times=()
  for i in $(seq 1 "$RUNS"); do
    start_and_embed "$OUT/$v-$i.log" "$@"
    stop
    echo "cold start $v run $i/$RUNS: $MS ms" >&2
    [ "$MS" = fail ] || times+=("$MS")
  done
  read -r med min max <<< "$(summary "${times[@]+"${times[@]}"}")"
  ROW[$v]="| $v | ${#times[@]}/$RUNS | $med ms ($min–$max) |"
  echo "RESULT cold.$v.median=$med" >> "$OUT/results"
  echo "RESULT cold.$v.min=$min" >> "$OUT/results"
  echo "RESULT cold.$v.max=$max" >> "$OUT/results"
  echo "RESULT cold.$v.answered=${#times[@]}" >> "$OUT/results"
  # echo of the unquoted words: one space between flags however FLAGS was assembled
  CMD[$v]=$(echo java $FLAGS "$@" $PROPS "-Dquarkus.http.port=<free port> -Djava.io.tmpdir=<fresh dir>" -jar "$JAR")
  echo "RESULT cold.$v.command=${CMD[$v]}" >> "$OUT/results"
}

: > "$OUT/results"
echo "RESULT cold.runs=$RUNS" >> "$OUT/results"
for v in $VARIANTS; do
  case $v in
    plain) measure plain ;;
    appcds)
      start_and_embed "$OUT/appcds-training.log" -XX:ArchiveClassesAtExit="$ARCHIVE"
      stop
      echo "AppCDS training run: first embedding after $MS ms; archive $(du -h "$ARCHIVE" 2>/dev/null | cut -f1)" >&2
      if [ "$MS" = fail ] || [ ! -s "$ARCHIVE" ]; then
        echo "appcds: the training run wrote no archive (see $OUT/appcds-training.log)" >&2
        echo "RESULT cold.appcds.answered=0" >> "$OUT/results"
        ROW[$v]="| $v | training failed | - |"
        continue
      fi
      # The JVM silently ignores an archive that does not match the class path or flags; this check (not timed)
      # makes such a mismatch visible instead of reporting a plain start as an AppCDS one.
      if ! java $FLAGS -XX:SharedArchiveFile="$ARCHIVE" -XX:+PrintSharedArchiveAndExit -jar "$JAR" \
          > "$OUT/appcds-check.log" 2>&1; then
        echo "appcds: the archive does not validate (see $OUT/appcds-check.log)" >&2
        echo "RESULT cold.appcds.answered=0" >> "$OUT/results"
        ROW[$v]="| $v | archive invalid | - |"
        continue
      fi
      echo "RESULT cold.appcds.archive_mb=$(( $(stat -c %s "$ARCHIVE") / 1048576 ))" >> "$OUT/results"
      measure appcds -XX:SharedArchiveFile="$ARCHIVE" ;;
    unpacked)
      if [ ! -s "$ARCHIVE" ]; then
        echo "unpacked: needs the appcds variant's archive first" >&2
        continue
      fi
      LAYOUT=$OUT/layout
      mkdir -p "$LAYOUT/native/onnxruntime"
      # The same extraction infra/container/stage-jvm.sh does for the image.
      (cd "$LAYOUT" && unzip -q -o "$JAR_ABS" 'model-bundle/all-minilm-l6-v2/*')
      unzip -q -j -o "$(ls target/lib/com.microsoft.onnxruntime.onnxruntime*.jar | head -1)" \
        'ai/onnxruntime/native/linux-x64/*' -d "$LAYOUT/native/onnxruntime"
      measure unpacked -XX:SharedArchiveFile="$ARCHIVE" -Dembedder.bundle.locations="$LAYOUT/model-bundle" \
        -Donnxruntime.native.path="$LAYOUT/native/onnxruntime" ;;
    *) echo "unknown variant $v" >&2 ;;
  esac
done

echo
echo "| variant | runs answered | spawn → first embedding over HTTP, median (min–max) |"
echo "|---|---|---|"
for v in $VARIANTS; do [ -z "${ROW[$v]:-}" ] || echo "${ROW[$v]}"; done
echo
for v in $VARIANTS; do [ -z "${CMD[$v]:-}" ] || echo "- $v: \`${CMD[$v]}\`"; done
echo
cat "$OUT/results"
