#!/usr/bin/env bash
# Cold starts of what ships, each the way a user starts it: time from spawning the JVM to the first embedding
# answered, median of RUNS runs, with the process's peak RSS at that moment. No tuning flags: each variant gets
# exactly the JVM flags and environment its artefact comes with.
#
#   jar        java -jar target/quarkus-app/quarkus-run.jar, nothing else (default bundles: MiniLM + MobileNetV2); POST /v1/embeddings
#   jar-minilm the same with EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 (the text model alone)
#   container  infra/container/Dockerfile.jvm's layout, environment and class-data archive: bundle folders on disk,
#              ONNX Runtime's library unpacked at build time, its JAVA_TOOL_OPTIONS and MALLOC_ARENA_MAX, and the
#              archive its build-time `warm-up` training run writes (here with this machine's JVM); no podman
#   container-nocds (not in the default set) the container variant without the archive (the A/B of it)
#   lambda     the function as Lambda's managed Java runtime starts it: the runtime interface client's main with
#              the Funqy handler, -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC (the managed
#              runtime's defaults), the SAM template's environment (profile prod,lambda: JSON logs), through a
#              loopback Lambda Runtime API (infra/native/lambda_harness.py), 2,048 MB
#   jar-minilm-late (not in the default set) jar-minilm with -Dembedder.bundle.open-during-boot=false: the models
#              open after Quarkus's boot instead of beside it (the A/B of that default)
#   c1         (not in the default set) the jar with -XX:TieredStopAtLevel=1 -XX:+UseSerialGC, MiniLM only
#   appcds     (not in the default set) c1 + an AppCDS archive written by one training run
#
# Each run gets a fresh temporary folder (java.io.tmpdir, DJL_CACHE_DIR): ONNX Runtime and the DJL tokenizer
# unpack their native libraries there, as they would in a new container, so that cost is part of the number.
# The lambda variant runs the -Dlambda build's jar layout (target/*-runner.jar + target/lib: the Lambda binding
# needs the legacy-jar layout), i.e. what function.zip holds; run ./mvnw package -Dlambda first (run-all.sh does).
# Prints a markdown table, then RESULT key=value lines for run-all.sh.
#
# Environment: RUNS (default 5), JAR (default target/quarkus-app/quarkus-run.jar), LAMBDA_JAR (default
# target/*-runner.jar, from -Dlambda), VARIANTS (default "jar jar-minilm container lambda").
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
JAR_ABS=$(realpath "$JAR")
LAMBDA_JAR=${LAMBDA_JAR:-$(ls target/*-runner.jar 2>/dev/null | head -1 || true)}
VARIANTS=${VARIANTS:-jar jar-minilm container lambda}
OUT=$PWD/target/bench/cold-start
BODY='{"input": ["A man is eating a piece of bread."]}'
ARCHIVE=$OUT/app.jsa
RIC_VERSION=2.10.1
# A start that takes longer than this is reported as failed rather than waited for forever.
DEADLINE_S=${DEADLINE_S:-180}
rm -rf "$OUT"; mkdir -p "$OUT"

SERVER=
TMP=
MS=
RSS=
# SIGTERM, then wait for the process to be gone: the next run must not share the cores with a JVM still
# shutting down (and the AppCDS training run writes its archive while it exits). SIGKILL only if it hangs.
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

# A loopback port nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# One start over HTTP: log file, then "env NAME=VALUE..." words and JVM args. Sets MS to the milliseconds from
# spawn to the first 200 (or "fail") and RSS to the peak RSS in MB then. Leaves the process running (in SERVER).
# Not called in $(...): a subshell would keep SERVER to itself and the trap could not stop the JVM.
start_and_embed() {
  local log=$1; shift
  local port t0 now code
  port=$(free_port)
  TMP=$(mktemp -d "$OUT/tmp.XXXXXX")
  t0=$(date +%s%N)
  env OPT_OUT_TRACKING=true DJL_OFFLINE=true DJL_CACHE_DIR="$TMP/djl" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_PORT="$port" "${@//@TMP@/$TMP}" > "$log" 2>&1 &
  SERVER=$!
  while :; do
    # Connection refused returns at once; once the port is open the request waits for its answer.
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
      -d "$BODY" "http://127.0.0.1:$port/v1/embeddings" || true)
    now=$(date +%s%N)
    if [ "$code" = 200 ]; then
      MS=$(( (now - t0) / 1000000 ))
      RSS=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status" 2>/dev/null || echo "?")
      return
    fi
    # A server whose models failed to load keeps running (readiness DOWN): give up at once rather than poll it
    # until the deadline, which would load the machine while later measurements run.
    if ! kill -0 "$SERVER" 2>/dev/null || grep -q "Model loading failed" "$log" \
        || [ $(( (now - t0) / 1000000000 )) -ge "$DEADLINE_S" ]; then
      MS=fail; return
    fi
    sleep 0.01
  done
}

# Median, min, max of whole numbers given as arguments ("- - -" when none).
summary() {
  [ $# -gt 0 ] || { echo "- - -"; return; }
  printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; print m, v[1], v[NR]}'
}

declare -A ROW CMD
record() {  # variant, answered, "times...", "rss..."
  local v=$1 answered=$2 times=$3 rss=$4 med min max rmed
  read -r med min max <<< "$(summary $times)"
  read -r rmed _ _ <<< "$(summary $rss)"
  ROW[$v]="| $v | $answered/$RUNS | $med ms ($min–$max) | $rmed MB |"
  {
    echo "RESULT cold.$v.median=$med"; echo "RESULT cold.$v.min=$min"; echo "RESULT cold.$v.max=$max"
    echo "RESULT cold.$v.answered=$answered"; echo "RESULT cold.$v.rss_mb=$rmed"
    echo "RESULT cold.$v.command=${CMD[$v]}"
  } >> "$OUT/results"
}

measure() {  # variant, env/java words... (as start_and_embed)
  local v=$1; shift
  local times="" rss="" n=0
  for i in $(seq 1 "$RUNS"); do
    start_and_embed "$OUT/$v-$i.log" "$@"
    stop
    echo "cold start $v run $i/$RUNS: $MS ms, peak RSS $RSS MB" >&2
    [ "$MS" = fail ] || { times="$times $MS"; rss="$rss $RSS"; n=$((n + 1)); }
  done
  record "$v" "$n" "$times" "$rss"
}

# The image's build context, laid out by infra/container/stage-jvm.sh itself (bundle folders, prepared, and ONNX
# Runtime's library unpacked); the JVM still starts $JAR in target/, as the A/B runs need.
stage_container() {
  LAYOUT=$OUT/layout
  EMBEDDER_PREFETCH= infra/container/stage-jvm.sh "$LAYOUT" > "$OUT/stage-jvm.log" 2>&1 \
    || { cat "$OUT/stage-jvm.log" >&2; return 1; }
}

# The Lambda runtime interface client (not part of the function; an ordinary Maven artifact), fetched once.
ric() {
  RIC=$PWD/target/bench/ric
  if ! ls "$RIC"/aws-lambda-java-runtime-interface-client-*.jar > /dev/null 2>&1; then
    mkdir -p "$RIC"
    for a in com.amazonaws:aws-lambda-java-runtime-interface-client:$RIC_VERSION \
             com.amazonaws:aws-lambda-java-serialization:1.2.0; do
      ./mvnw -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$RIC" > "$OUT/ric.log" 2>&1 || return 1
    done
  fi
}

C1="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
: > "$OUT/results"
echo "RESULT cold.runs=$RUNS" >> "$OUT/results"
for v in $VARIANTS; do
  case $v in
    jar)
      CMD[$v]="java -jar $JAR"
      measure jar java -Djava.io.tmpdir=@TMP@ -jar "$JAR" ;;
    jar-minilm)
      CMD[$v]="EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java -jar $JAR"
      measure jar-minilm EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java -Djava.io.tmpdir=@TMP@ -jar "$JAR" ;;
    jar-minilm-late)
      CMD[$v]="EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java -Dembedder.bundle.open-during-boot=false -jar $JAR"
      measure jar-minilm-late EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java -Dembedder.bundle.open-during-boot=false \
        -Djava.io.tmpdir=@TMP@ -jar "$JAR" ;;
    container|container-nocds)
      stage_container
      # Dockerfile.jvm's ENV (its QUARKUS_HTTP_HOST aside: loopback here) and its ENTRYPOINT.
      TOOL_OPTS="-XX:MaxRAMPercentage=75 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Donnxruntime.native.path=$LAYOUT/native/onnxruntime"
      ENVS=(MALLOC_ARENA_MAX=2 EMBEDDER_BUNDLE_LOCATIONS="$LAYOUT/model-bundle,classpath:model-bundle" JAVA_TOOL_OPTIONS="$TOOL_OPTS")
      CDS=()
      if [ "$v" = container ]; then
        # The image's build-time training run (Dockerfile.jvm's RUN ... warm-up), with this machine's JVM.
        CONTAINER_ARCHIVE=$OUT/container.jsa
        port=$(free_port)
        TMP=$(mktemp -d "$OUT/tmp.XXXXXX")
        env OPT_OUT_TRACKING=true DJL_OFFLINE=true DJL_CACHE_DIR="$TMP/djl" QUARKUS_HTTP_HOST=127.0.0.1 \
          QUARKUS_HTTP_PORT="$port" "${ENVS[@]}" java -XX:MaxRAM=16g -XX:ArchiveClassesAtExit="$CONTAINER_ARCHIVE" \
          -Djava.io.tmpdir="$TMP" -jar "$JAR" warm-up > "$OUT/container-training.log" 2>&1 || true
        rm -rf "$TMP"; TMP=
        if [ ! -s "$CONTAINER_ARCHIVE" ]; then
          echo "container: the warm-up training run wrote no archive (see $OUT/container-training.log)" >&2
          echo "RESULT cold.container.answered=0" >> "$OUT/results"; ROW[$v]="| container | training failed | - | - |"
          continue
        fi
        CDS=(-XX:SharedArchiveFile="$CONTAINER_ARCHIVE")
      fi
      CMD[$v]="MALLOC_ARENA_MAX=2 EMBEDDER_BUNDLE_LOCATIONS=<layout>/model-bundle,classpath:model-bundle JAVA_TOOL_OPTIONS=\"${TOOL_OPTS/$LAYOUT/<layout>}\" java ${CDS:+-XX:SharedArchiveFile=<warm-up archive> }-jar $JAR"
      measure "$v" "${ENVS[@]}" java "${CDS[@]}" -Djava.io.tmpdir=@TMP@ -jar "$JAR" ;;
    lambda)
      if [ -z "$LAMBDA_JAR" ] || [ ! -d "$(dirname "$LAMBDA_JAR")/lib" ]; then
        echo "lambda: no -Dlambda build (target/*-runner.jar + target/lib); run ./mvnw package -Dlambda -DskipTests" >&2
        echo "RESULT cold.lambda.answered=0" >> "$OUT/results"; ROW[$v]="| lambda | no -Dlambda build | - | - |"
        continue
      fi
      if ! ric; then
        echo "lambda: cannot fetch the runtime interface client (see $OUT/ric.log)" >&2
        echo "RESULT cold.lambda.answered=0" >> "$OUT/results"; ROW[$v]="| lambda | no runtime client | - | - |"
        continue
      fi
      LAMBDA_FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
      MAIN="com.amazonaws.services.lambda.runtime.api.client.AWSLambda io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest"
      # infra/sam/template.yaml's environment for the embeddings function (its Globals and its own variables).
      LAMBDA_ENV="QUARKUS_PROFILE=prod,lambda QUARKUS_FUNQY_EXPORT=embeddings MALLOC_ARENA_MAX=2"
      CMD[$v]="$LAMBDA_ENV java $LAMBDA_FLAGS -cp <-Dlambda runner jar>:lib/*:<runtime client> $MAIN (AWS_LAMBDA_FUNCTION_MEMORY_SIZE=2048)"
      : > "$OUT/lambda.jsonl"
      OPT_OUT_TRACKING=true DJL_OFFLINE=true python3 infra/native/lambda_harness.py coldstart --runs "$RUNS" \
        --label lambda --json "$OUT/lambda.jsonl" --logdir "$OUT" -- \
        env $LAMBDA_ENV java $LAMBDA_FLAGS -Djava.io.tmpdir=@TMP@ -cp "$(realpath "$LAMBDA_JAR"):$(realpath "$(dirname "$LAMBDA_JAR")")/lib/*:$RIC/*" $MAIN \
        > "$OUT/lambda.summary" 2> "$OUT/lambda.err" || echo "lambda: some runs failed (see $OUT)" >&2
      cat "$OUT/lambda.err" >&2
      read -r answered med min max rss <<< "$(python3 -c 'import json,sys
r = json.loads(open(sys.argv[1]).readline() or "{}")
f = lambda k: "-" if r.get(k) is None else "%.0f" % r[k]
print(r.get("answered", 0), f("median_ms"), f("min_ms"), f("max_ms"), f("median_rss_mb"))' "$OUT/lambda.jsonl")"
      ROW[$v]="| lambda | $answered/$RUNS | $med ms ($min–$max) | $rss MB |"
      {
        echo "RESULT cold.lambda.median=$med"; echo "RESULT cold.lambda.min=$min"; echo "RESULT cold.lambda.max=$max"
        echo "RESULT cold.lambda.answered=$answered"; echo "RESULT cold.lambda.rss_mb=$rss"
        echo "RESULT cold.lambda.command=${CMD[$v]}"
      } >> "$OUT/results" ;;
    c1)
      CMD[$v]="EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java $C1 -jar $JAR"
      measure c1 EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java $C1 -Djava.io.tmpdir=@TMP@ -jar "$JAR" ;;
    appcds)
      start_and_embed "$OUT/appcds-training.log" EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java $C1 \
        -XX:ArchiveClassesAtExit="$ARCHIVE" -Djava.io.tmpdir=@TMP@ -jar "$JAR"
      stop
      if [ "$MS" = fail ] || [ ! -s "$ARCHIVE" ]; then
        echo "appcds: the training run wrote no archive (see $OUT/appcds-training.log)" >&2
        echo "RESULT cold.appcds.answered=0" >> "$OUT/results"; ROW[$v]="| appcds | training failed | - | - |"
        continue
      fi
      CMD[$v]="EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java $C1 -XX:SharedArchiveFile=app.jsa -jar $JAR"
      measure appcds EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java $C1 -XX:SharedArchiveFile="$ARCHIVE" \
        -Djava.io.tmpdir=@TMP@ -jar "$JAR" ;;
    *) echo "unknown variant $v" >&2 ;;
  esac
done

echo
echo "| variant | runs answered | spawn → first embedding, median (min–max) | peak RSS then (median) |"
echo "|---|---|---|---|"
for v in $VARIANTS; do [ -z "${ROW[$v]:-}" ] || echo "${ROW[$v]}"; done
echo
for v in $VARIANTS; do [ -z "${CMD[$v]:-}" ] || echo "- $v: \`${CMD[$v]}\`"; done
echo
cat "$OUT/results"
