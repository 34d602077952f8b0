#!/usr/bin/env bash
# Every headline number for all-MiniLM-L6-v2 fp32 from one run on one machine, printed as one markdown table
# (also written to target/bench/run-all.md), everything with the shipped defaults (no tuning flags):
#   (a) plain ONNX Runtime, whole corpus tokenized and sorted by length, batches of 32: the ceiling
#   (b) Embedder's embedding service in-process, 4 concurrent callers x 32 texts through the dynamic batcher
#   (c) Embedder over HTTP on loopback: 4 clients x 32 texts and 16 clients x 1 text, with request p50 / p99
#   CPU ms per sentence of each (this JVM's CPU time in-process; the server's utime + stime over HTTP)
#   (d) one sentence, warm, sequential: over HTTP and in-process against one plain session.run, p50 / p99
#   (e) the HTTP server's RSS at idle after warm-up, and its peak (VmHWM) after the HTTP load
#   (f) cold starts, spawn -> first embedding: the application jar (quarkus-run.jar), the container layout (with and without its class-data
#       archive), the Lambda function
# It composes the existing benchmarks (TextThroughputBenchmark, http-bench.sh, cold-start-http.sh) rather than
# repeating them: each prints RESULT key=value lines (-Dembedder.bench.result-lines=true) that are collected
# here. One build serves all three (plus the -Dlambda build for the Lambda cold start). They run one after another, so no two share the cores, and on a shared
# machine the ratios (both sides measured in this run) are what to read, not the absolute rates.
# Corpus: ../shared/bench/corpus.txt when it exists (2,000 texts), else the committed 1,200 of
# src/test/resources/bench/corpus.txt; CORPUS=<file> picks another.
#
# Usage: infra/bench/run-all.sh [--threads N] [--rounds N] [--cold-runs N] [--quick] [--skip-build]
#   defaults: threads = nproc (the ceiling's; the server picks its own, by default the same), rounds 3,
#   cold-runs 5. --quick (QUICK=1): rounds 1, cold-runs 3, warm-ups on part of the corpus, no arrival-order
#   row, and no build when target/quarkus-app exists: a few minutes; indicative numbers only.
#   The same settings from the environment: THREADS ROUNDS COLD_RUNS QUICK=1 SKIP_BUILD=1 CORPUS.
#   For experiments only (the report names them): JAVA_OPTS / SERVER_PROPS (HTTP server), COLD_VARIANTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The command as given, settings from the environment included, for the report's first line.
COMMAND_LINE="infra/bench/run-all.sh${*:+ $*}"
for v in SERVER_PROPS JAVA_OPTS COLD_VARIANTS CORPUS SKIP_BUILD QUICK COLD_RUNS ROUNDS THREADS; do
  [ -z "${!v:-}" ] || COMMAND_LINE="$v=$(printf '%q' "${!v}") $COMMAND_LINE"
done
usage() { sed -n '/^# Usage:/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --threads) THREADS=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --cold-runs) COLD_RUNS=${2:?}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    *) usage ;;
  esac
done
QUICK_ARG=
if [ -n "${QUICK:-}" ]; then
  ROUNDS=${ROUNDS:-1}; COLD_RUNS=${COLD_RUNS:-3}; QUICK_ARG=--quick
  if [ -z "${SKIP_BUILD:-}" ] && [ -f target/quarkus-app/quarkus-run.jar ]; then
    echo "QUICK: using the existing target/quarkus-app (built $(date -r target/quarkus-app/quarkus-run.jar '+%F %T')); unset QUICK or build first if the sources changed" >&2
    SKIP_BUILD=1
  fi
fi
THREADS=${THREADS:-$(nproc)}; ROUNDS=${ROUNDS:-3}; COLD_RUNS=${COLD_RUNS:-5}
for n in "$THREADS" "$ROUNDS" "$COLD_RUNS"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "not a positive integer: $n" >&2; usage; }
done
if [ -z "${CORPUS:-}" ] && [ -s ../shared/bench/corpus.txt ]; then CORPUS=$(realpath ../shared/bench/corpus.txt); fi
CORPUS_ARG=${CORPUS:+-Dembedder.bench.corpus=$(realpath "$CORPUS")}

OUT=target/bench
# Other work on the machine moves every number; the report shows how busy it was at the start and the end.
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# -Dembedder.bench.result-lines=true: the benchmarks add their RESULT lines (see ResultLines.java).
export MAVEN_ARGS="${MAVEN_ARGS:-} -B -q -Dquarkus.analytics.disabled=true -Dembedder.bench.result-lines=true \
${CORPUS_ARG} -Dembedder.bench.quick=${QUICK:+true}"
step() { printf '\n=== %s ===\n' "$*" >&2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  # The Lambda function's layout first (target/*-runner.jar + target/lib), then the plain build (target/quarkus-app),
  # which is what every other row runs; neither build removes the other's output.
  step "build: ./mvnw package -Dlambda -DskipTests, then ./mvnw package -DskipTests"
  ./mvnw package -Dlambda -DskipTests
  ./mvnw package -DskipTests
fi
mkdir -p "$OUT"
: > "$OUT/results.txt"

step "(a) (b) in-process: TextThroughputBenchmark"
INPROC_RC=0
./mvnw test-compile exec:java -Dexec.args="--model all-minilm-l6-v2 --threads $THREADS --rounds $ROUNDS \
--clients 4 --client-request-size 32 $QUICK_ARG" | tee "$OUT/inproc.log" || INPROC_RC=$?
grep '^RESULT ' "$OUT/inproc.log" >> "$OUT/results.txt" || true

step "(c) (d) (e) over HTTP: http-bench.sh"
HTTP_RC=0
SKIP_BUILD=1 infra/bench/http-bench.sh "$THREADS" 4x32,16x1 "$ROUNDS" | tee "$OUT/http.log" || HTTP_RC=$?
grep '^RESULT ' "$OUT/http.log" >> "$OUT/results.txt" || true

step "(f) cold start: cold-start-http.sh"
COLD_RC=0
RUNS=$COLD_RUNS VARIANTS=${COLD_VARIANTS:-jar jar-minilm container-nocds container lambda} infra/bench/cold-start-http.sh | tee "$OUT/cold-start.log" || COLD_RC=$?
grep '^RESULT ' "$OUT/cold-start.log" >> "$OUT/results.txt" || true

COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT + uncommitted changes"
export COMMAND_LINE THREADS ROUNDS COLD_RUNS COMMIT INPROC_RC HTTP_RC COLD_RC
export LOAD_START LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
export QUICK=${QUICK:-} SERVER_JAVA_OPTS="${JAVA_OPTS:-}${SERVER_PROPS:+ $SERVER_PROPS}" COLD_VARIANTS=${COLD_VARIANTS:-}
export CORPUS_NAME="${CORPUS:-src/test/resources/bench/corpus.txt}"
export CPU="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
export JAVA_VERSION="$(java -version 2>&1 | head -1)"
export JAR=target/quarkus-app/quarkus-run.jar
python3 - "$OUT/results.txt" "$OUT/run-all.md" <<'PY'
import os, sys
r = {}
for line in open(sys.argv[1]):
    key, _, value = line[len("RESULT "):].rstrip("\n").partition("=")
    r[key] = value
e = os.environ

def num(key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None

def ratio(a, b, suffix=""):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}{suffix}"

def rate(key):
    m, lo, hi = num(key), num(key + ".min"), num(key + ".max")
    if m is None:
        return "missing"
    return f"{m:,.0f} sentences/s ({lo:,.0f}–{hi:,.0f})"

def cpu(key):
    v = num(key + ".cpu_ms")
    return "missing" if v is None else f"{v:.2f} ms"

def ms(key):
    v = num(key)
    return "missing" if v is None else f"{v:.2f}"

def mb(key):
    v = num(key)
    return "missing" if v is None else f"{v:,.0f} MB"

ceiling, ceiling_cpu = num("inproc.ceiling"), num("inproc.ceiling.cpu_ms")
ceiling_http, ceiling_http_cpu = num("http.ceiling"), num("http.ceiling.cpu_ms")
run50, run99 = num("single.plain_run.p50"), num("single.plain_run.p99")
rows = [
    ("(a)", "plain ONNX Runtime + DJL in-process: whole corpus tokenized, sorted by length, batches of 32, "
            f"{e['THREADS']} intra-op threads (the ceiling)", rate("inproc.ceiling"), cpu("inproc.ceiling"), "1.00", "1.00"),
    ("(b)", "Embedder's embedding service in-process: 4 concurrent callers × 32 texts, dynamic batching, defaults",
     rate("inproc.concurrent"), cpu("inproc.concurrent"), ratio(num("inproc.concurrent"), ceiling),
     ratio(num("inproc.concurrent.cpu_ms"), ceiling_cpu)),
    ("(a′)", "(a) again in the HTTP client's JVM, each round right before the HTTP rounds while the server idles",
     rate("http.ceiling"), cpu("http.ceiling"), ratio(ceiling_http, ceiling), ratio(ceiling_http_cpu, ceiling_cpu)),
]
for shape, label in (("4x32", "4 clients × 32 texts"), ("16x1", "16 clients × 1 text")):
    key = "http." + shape
    lat = f"; request p50 / p99 {ms(key + '.p50')} / {ms(key + '.p99')} ms"
    rows.append(("(c)", f"Embedder over HTTP (POST /v1/embeddings, loopback), {label}; server CPU per sentence{lat}",
                 rate(key), cpu(key), ratio(num(key), ceiling_http, " × (a′)"),
                 ratio(num(key + ".cpu_ms"), ceiling_http_cpu, " × (a′)")))
rows += [
    ("(d)", "one sentence, warm: one plain session.run (input tensors and output copy included), p50 / p99",
     f"{ms('single.plain_run.p50')} / {ms('single.plain_run.p99')} ms", "", "1.00 / 1.00", ""),
    ("(d)", "the same sentence through Embedder's service path in-process (tokenize, batcher, run, pool), p50 / p99",
     f"{ms('single.service.p50')} / {ms('single.service.p99')} ms", "",
     f"{ratio(num('single.service.p50'), run50)} / {ratio(num('single.service.p99'), run99)} × session.run", ""),
    ("(d)", "the same sentence over HTTP, sequential calls, p50 / p99",
     f"{ms('single.http.p50')} / {ms('single.http.p99')} ms", "",
     f"{ratio(num('single.http.p50'), run50)} / {ratio(num('single.http.p99'), run99)} × session.run", ""),
    ("(e)", f"HTTP server RSS idle after the warm-up pass (when ready: {mb('server.rss_ready_mb')})",
     mb("server.rss_idle_mb"), "", "", ""),
    ("(e)", "HTTP server peak RSS (VmHWM) after all the HTTP load", mb("server.hwm_mb"), "", "", ""),
]
cold_labels = {
    "jar": "application, `java -jar target/quarkus-app/quarkus-run.jar`, no flags, shipped config (MiniLM + MobileNetV2)",
    "jar-minilm": "application, `java -jar`, no flags, MiniLM only (EMBEDDER_BUNDLE_MODELS)",
    "container": "container layout, environment and class-data archive of Dockerfile.jvm (bundle folders, ORT library unpacked at build, archive from its warm-up training run)",
    "container-nocds": "the same container layout and environment without the archive (its A/B)",
    "lambda": "Lambda function (-Dlambda build, legacy-jar layout): runtime interface client + Funqy handler, managed runtime's C1 flags, SAM template's environment (profile prod,lambda), Runtime API",
    "c1": "application jar, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC, MiniLM only",
    "appcds": "the same + AppCDS archive from one training run",
}
cold_runs = e["COLD_RUNS"]
for variant, label in cold_labels.items():
    if f"cold.{variant}.answered" not in r:
        continue
    median = num(f"cold.{variant}.median")
    value = ("failed" if median is None else
             f"{median:,.0f} ms ({num(f'cold.{variant}.min'):,.0f}–{num(f'cold.{variant}.max'):,.0f}),"
             f" {r.get(f'cold.{variant}.answered', '0')}/{cold_runs} answered")
    rows.append(("(f)", f"cold start, spawn → first embedding, median of {cold_runs}: {label}", value,
                 "", f"peak RSS {mb(f'cold.{variant}.rss_mb')}", ""))

out = []
out.append("### Embedder vs plain ONNX Runtime: all-MiniLM-L6-v2 fp32, one run, shipped defaults")
out.append("")
out.append(f"- Command: `{e['COMMAND_LINE']}` (ceiling threads {e['THREADS']}, rounds {e['ROUNDS']}, cold-start runs {cold_runs})")
if e.get("QUICK"):
    out.append("- **QUICK mode**: one round, short warm-ups, 3 cold starts each: indicative numbers only.")
out.append(f"- Corpus: {e['CORPUS_NAME']}, {r.get('inproc.corpus', '?')} texts per pass; median of {e['ROUNDS']} rounds"
           " after a warm-up (min–max in brackets).")
out.append(f"- Machine: {os.cpu_count()} cores ({e['CPU']}), {e['JAVA_VERSION']}, ONNX Runtime "
           f"{r.get('inproc.ort_version', '?')}, commit {e['COMMIT']}; load average (1/5/15 min) at the start"
           f" {e['LOAD_START']}, at the end {e['LOAD_END']}")
out.append("")
out.append("| | measure | value | CPU per sentence | vs ceiling | CPU vs ceiling |")
out.append("|---|---|---:|---:|---:|---:|")
for row in rows:
    out.append("| " + " | ".join(row) + " |")
out.append("")
out.append("- (a) and (b) run in one JVM (`./mvnw test-compile exec:java`, TextThroughputBenchmark); their vectors are"
           " checked equal: " + ("same." if r.get("inproc.same_vectors") == "true"
                                 else "**NOT the same, or not checked: see inproc.log.**")
           + " CPU per sentence is the JVM's CPU time (all threads) over a pass / texts.")
out.append("- (c) is compared with (a′), measured in the same minutes in the client's JVM; server CPU per sentence is the"
           " server's utime + stime over the pass / texts (the client's own CPU is not in it).")
opts = e.get("SERVER_JAVA_OPTS", "").strip()
out.append(f"- HTTP server: `EMBEDDER_BUNDLE_MODELS=all-minilm-l6-v2 java {opts + ' ' if opts else ''}-jar {e['JAR']}`"
           + (" (**with experiment flags**)" if opts else " — no JVM flags, no embedder.* settings: the defaults")
           + f"; (d) is {r.get('single.calls', '?')} calls after 20 untimed ones.")
for variant in cold_labels:
    if f"cold.{variant}.command" in r:
        out.append(f"- Cold start {variant}: `{r[f'cold.{variant}.command']}`; fresh temporary folder per run"
                   " (native libraries unpacked again, as in a new container); each process stopped before the next.")
failed = [name for name, rc in (("in-process", e["INPROC_RC"]), ("HTTP", e["HTTP_RC"]), ("cold start", e["COLD_RC"]))
          if rc != "0"]
if failed:
    out.append(f"- **Failed steps: {', '.join(failed)}** (exit codes in order in-process/HTTP/cold:"
               f" {e['INPROC_RC']}/{e['HTTP_RC']}/{e['COLD_RC']}); see the logs.")
out.append("- Full reports: target/bench/inproc.log, http.log, cold-start.log; server logs:"
           " target/http-bench-server.log, target/bench/cold-start/.")
text = "\n".join(out) + "\n"
open(sys.argv[2], "w").write(text)
print()
print(text, end="")
PY
echo "(written to $OUT/run-all.md)" >&2
[ "$INPROC_RC" = 0 ] && [ "$HTTP_RC" = 0 ] && [ "$COLD_RC" = 0 ]
