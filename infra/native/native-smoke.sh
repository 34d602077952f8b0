#!/usr/bin/env bash
# Native smoke test: builds the Lambda native executable with the unofficial native-image kit from
# ../shared/native-kit (test tooling only, see infra/native/README.md), then proves that it answers real
# embedding requests over HTTP and as a Lambda function behind a loopback Runtime API, with the same vectors
# as the JVM build (max-abs difference <= 1e-5). Ends with 'N passed, N failed'; exits non-zero on any failure.
#
# Environment:
#   NATIVE_KIT        the kit folder (default: ../shared/native-kit beside the repository)
#   NATIVE_TOOLCHAIN  where the toolchain is built, or an already built one to reuse (default: target/native-toolchain)
#   SKIP_BUILD=1      reuse target/native-smoke/{jvm-app,jvm-task,native-task} from the previous run
#   MVN_OPTS_EXTRA    extra Maven arguments (e.g. -o)
# Needs: JDK 17+ for Maven, Temurin/another JDK 25 with JVMCI for the kit (JDK25=...), gcc, python3, unzip.
# Uses ~4.5 GB of memory and 3-6 minutes for the native build on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
KIT=${NATIVE_KIT:-$ROOT/../shared/native-kit}
TOOLCHAIN=${NATIVE_TOOLCHAIN:-$ROOT/target/native-toolchain}
OUT=$ROOT/target/native-smoke
HARNESS=$ROOT/infra/native/lambda_harness.py
PNG=$ROOT/src/test/resources/images/chelsea.png
RIC_VERSION=2.10.1
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
export MAVEN_ARGS="${MAVEN_ARGS:-} -B -Dquarkus.analytics.disabled=true"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() { echo "native-smoke: $passed passed, $failed failed"; exit $(( failed > 0 )); }
# times a command and records its peak RSS (the largest process of the tree, i.e. the image builder)
timed() {
  local name=$1; shift
  local start=$SECONDS
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$OUT/$name.maxrss" "$@"
  else
    "$@"
  fi
  echo "$((SECONDS - start))" > "$OUT/$name.seconds"
}

mkdir -p "$OUT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # ---- toolchain (reused when present: it depends only on the kit and JDK 25) ----
  if [ ! -x "$TOOLCHAIN/bin/native-image" ]; then
    [ -x "$KIT/build-toolchain.sh" ] || { fail "toolchain: no native kit at $KIT (set NATIVE_KIT)"; finish; }
    if "$KIT/build-toolchain.sh" "$TOOLCHAIN" > "$OUT/toolchain.log" 2>&1; then pass "toolchain built"
    else tail -20 "$OUT/toolchain.log"; fail "toolchain build (see $OUT/toolchain.log)"; finish; fi
  fi

  # The kit's minimal libjvm lacks the one JVM_* function the JDK's libawt.so imports; a tiny library of ours
  # (kit-support/jvm_awt.c, reasons there) is linked into kit builds only and shipped in lib/ with the kit's.
  KIT_SUPPORT=$ROOT/target/native-kit-support
  mkdir -p "$KIT_SUPPORT"
  gcc -O2 -shared -fPIC -Wl,-soname,libkit_jvm_awt.so "$ROOT/infra/native/kit-support/jvm_awt.c" \
    -o "$KIT_SUPPORT/libkit_jvm_awt.so" || { fail "kit support library"; finish; }

  # ---- JVM build: the reference vectors, and the managed-runtime layout for the Lambda check ----
  rm -rf "$OUT/jvm-app" "$OUT/jvm-task"
  if timed jvm-build ./mvnw ${MVN_OPTS_EXTRA:-} package -Dlambda -DskipTests > "$OUT/jvm-build.log" 2>&1; then
    pass "JVM build ($(cat "$OUT/jvm-build.seconds") s)"
  else tail -30 "$OUT/jvm-build.log"; fail "JVM build (see $OUT/jvm-build.log)"; finish; fi
  # The native build below rewrites target/, so keep the JVM artifacts: the legacy-jar layout (runner jar whose
  # manifest Class-Path points at lib/) for HTTP, and function.zip unpacked as Lambda's /var/task.
  mkdir -p "$OUT/jvm-app" "$OUT/jvm-task"
  cp target/*-runner.jar "$OUT/jvm-app/runner.jar"
  cp -r target/lib "$OUT/jvm-app/lib"
  unzip -q target/function.zip -d "$OUT/jvm-task"

  # The AWS managed Java runtime starts the function through its runtime interface client; it is not part of the
  # function's code, so fetch it separately (an ordinary Maven artifact).
  if [ ! -d "$OUT/ric" ]; then
    for a in com.amazonaws:aws-lambda-java-runtime-interface-client:$RIC_VERSION \
             com.amazonaws:aws-lambda-java-serialization:1.2.0; do
      ./mvnw ${MVN_OPTS_EXTRA:-} -q dependency:copy -Dartifact="$a" -DoutputDirectory="$OUT/ric" > "$OUT/ric.log" 2>&1 \
        || { cat "$OUT/ric.log"; fail "runtime interface client $a"; finish; }
    done
  fi

  # ---- native build ----
  # gcc links with --as-needed by default on Debian/Ubuntu, which would drop the support library (nothing in the
  # executable references it; libawt.so does, later, at dlopen time).
  KIT_LINK="-H:NativeLinkerOption=-Xlinker,-H:NativeLinkerOption=--no-as-needed,-H:NativeLinkerOption=$KIT_SUPPORT/libkit_jvm_awt.so"
  if GRAALVM_HOME=$TOOLCHAIN timed native-build ./mvnw ${MVN_OPTS_EXTRA:-} package -Dnative -Dlambda -DskipTests \
       -Dquarkus.native.additional-build-args-append="$KIT_LINK" \
       > "$OUT/native-build.log" 2>&1; then
    pass "native build ($(cat "$OUT/native-build.seconds") s, peak RSS $(( $(cat "$OUT/native-build.maxrss" 2>/dev/null || echo 0) / 1024 )) MB)"
  else tail -40 "$OUT/native-build.log"; fail "native build (see $OUT/native-build.log)"; finish; fi
  # Kit executables link the JDK's shared libjava/libnio/libnet/libzip (+ a small libjvm) from lib/ beside them
  # (rpath $ORIGIN/lib). They are kit files, so they are never committed to src/main/zip.native: they are added
  # to the built function.zip here. Official GraalVM/Mandrel builds link these statically and need nothing.
  python3 - target/function.zip "$TOOLCHAIN"/runtime-libs/*.so "$KIT_SUPPORT/libkit_jvm_awt.so" <<'PY'
import os, sys, zipfile
zpath, libs = sys.argv[1], sys.argv[2:]
with zipfile.ZipFile(zpath, "a", zipfile.ZIP_DEFLATED) as z:
    have = set(z.namelist())
    for path in libs:
        name = "lib/" + os.path.basename(path)
        if name not in have:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
PY
  rm -rf "$OUT/native-task"; mkdir -p "$OUT/native-task"
  unzip -q target/function.zip -d "$OUT/native-task"
  ls -l target/*-runner target/function.zip | awk '{print "  " $5 " bytes  " $9}'
fi

# ---- checks ----
# Quarkus puts the executable itself into function.zip as 'bootstrap' (what provided.al2023 runs).
RUNNER=bootstrap
if [ -x "$OUT/native-task/bootstrap" ] && file -L "$OUT/native-task/bootstrap" | grep -q ELF; then
  pass "function.zip holds the executable as bootstrap"
else fail "function.zip lacks an executable bootstrap"; fi
# The bundles lie beside the executable (not in it), already prepared: starts read them in place.
if [ -f "$OUT/native-task/model-bundle/all-minilm-l6-v2/bundle.json" ] \
   && java -jar "$OUT/jvm-app/runner.jar" prepare-models "$OUT/native-task/model-bundle" > "$OUT/prepared.log" 2>&1 \
   && ! grep -qv '^already prepared ' "$OUT/prepared.log"; then
  pass "function.zip holds the bundles beside bootstrap, prepared"
else cat "$OUT/prepared.log" 2>/dev/null; fail "function.zip lacks prepared model-bundle/ folders"; fi
# The Lambda build (-Dlambda) leaves out the extensions only an HTTP server can use (/q/metrics, /q/openapi).
http_only=$(ls "$OUT/jvm-task/lib" | grep -E 'quarkus-micrometer-registry-prometheus|quarkus-smallrye-openapi|smallrye-open-api-core' || true)
if [ -z "$http_only" ]; then pass "the Lambda build has no HTTP-only extensions"
else fail "the Lambda build has HTTP-only extensions: $http_only"; fi
# Lambda refuses a function of 250 MiB or more unzipped ("Unzipped size must be smaller than 262144000 bytes"),
# counting the kit's lib/ here, which official builds do not need.
unzipped=$(find "$OUT/native-task" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
if [ "$unzipped" -lt 262144000 ]; then pass "native function.zip unzips to $unzipped bytes, under Lambda's 262144000"
else fail "native function.zip unzips to $unzipped bytes, not under Lambda's 262144000"; fi
# The executable must resolve the runtime libraries from the zip's lib/ (rpath $ORIGIN/lib), as on Lambda.
missing=""
for l in java jvm nio net zip kit_jvm_awt; do
  ldd "$OUT/native-task/$RUNNER" | grep -q "lib$l.so => $OUT/native-task/lib/lib$l.so" || missing="$missing lib$l.so"
done
if [ -z "$missing" ]; then pass "runtime libraries resolve from the zip's lib/"
else ldd "$OUT/native-task/$RUNNER"; fail "not resolved from lib/:$missing"; fi

rm -rf "$OUT/vectors"; mkdir -p "$OUT/vectors"
probe() {
  local name=$1; shift
  if python3 "$HARNESS" probe --out "$OUT/vectors/$name" --png "$PNG" "$@"; then pass "$name answered"
  else fail "$name (log: $OUT/vectors/$name/process.log)"; fi
}
# JVM over HTTP: the runner jar as `java -jar` runs it in a container.
probe jvm-http --http -- java -Djava.io.tmpdir=@TMP@ -jar "$OUT/jvm-app/runner.jar"
# JVM as a Lambda function: the way the managed java21 runtime starts it (RIC main + handler, /var/task classpath).
probe jvm-lambda --lambda -- java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -Djava.io.tmpdir=@TMP@ -cp "$OUT/jvm-task:$OUT/jvm-task/lib/*:$OUT/ric/*" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest
# Native: one process from the unpacked function.zip (Lambda layout), HTTP while it polls the Runtime API.
probe native --http --lambda -- "$OUT/native-task/$RUNNER" -Djava.io.tmpdir=@TMP@

mkdir -p "$OUT/vectors/jvm" && cp "$OUT"/vectors/jvm-http/*.json "$OUT"/vectors/jvm-lambda/*.json "$OUT/vectors/jvm/" 2>/dev/null || true
if python3 "$HARNESS" compare "$OUT/vectors/jvm" "$OUT/vectors/native" > "$OUT/compare.txt"; then :; fi
cat "$OUT/compare.txt"
passed=$((passed + $(grep -c '^PASS' "$OUT/compare.txt" || true)))
failed=$((failed + $(grep -c '^FAIL' "$OUT/compare.txt" || true)))
grep -q '^PASS' "$OUT/compare.txt" || fail "no vectors compared"
finish
