#!/usr/bin/env bash
# Every headline number for all-MiniLM-L6-v2 fp32 from one run on one machine, printed as one markdown table
# (also written to target/bench/run-all.md):
#   (a) plain ONNX Runtime, whole corpus tokenized and sorted by length, batches of 32: the ceiling
#   (b) Embedder's embedding service in-process, CLIENTS concurrent callers through the dynamic batcher
#   (c) Embedder over HTTP on loopback, CLIENTS concurrent clients
#   (d) one sentence, warm, sequential: over HTTP against one plain session.run, p50 / p99
#   (e) the HTTP server's RSS at idle after warm-up, and its peak (VmHWM) after the HTTP load
#   (f) cold start of the runner jar: spawn -> first embedding over HTTP, without and with AppCDS
# It composes the existing benchmarks (TextThroughputBenchmark, http-bench.sh, cold-start-http.sh) rather than
# repeating them: each prints RESULT key=value lines (-Dembedder.bench.result-lines=true) that are collected
# here. One build serves all three. They run one after another, so no two share the cores, and on a shared
# machine the ratios (both sides measured in this run) are what to read, not the absolute rates.
#
# Usage: infra/bench/run-all.sh [--threads N] [--clients N] [--per-request N] [--rounds N] [--cold-runs N]
#                               [--quick] [--skip-build]
#   defaults: threads = nproc, clients 16, per-request 4 (sentences per request of each client), rounds 3,
#   cold-runs 5. --quick: rounds 1 and cold-runs 2 unless given: checks the script end to end in a few minutes;
#   its numbers are not ones to quote.
#   The same settings from the environment: THREADS CLIENTS PER_REQUEST ROUNDS COLD_RUNS QUICK=1 SKIP_BUILD=1.
#   JAVA_OPTS: extra flags of the HTTP benchmark's server (e.g. -Xmx512m); COLD_JAVA_OPTS: of the cold starts.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The command as given, settings from the environment included, for the report's first line.
COMMAND_LINE="infra/bench/run-all.sh${*:+ $*}"
for v in MALLOC_ARENA_MAX COLD_JAVA_OPTS JAVA_OPTS SKIP_BUILD QUICK COLD_RUNS ROUNDS PER_REQUEST CLIENTS THREADS; do
  [ -z "${!v:-}" ] || COMMAND_LINE="$v=$(printf '%q' "${!v}") $COMMAND_LINE"
done
usage() { sed -n '/^# Usage:/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --threads) THREADS=${2:?}; shift 2 ;;
    --clients) CLIENTS=${2:?}; shift 2 ;;
    --per-request) PER_REQUEST=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --cold-runs) COLD_RUNS=${2:?}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    *) usage ;;
  esac
done
if [ -n "${QUICK:-}" ]; then
  ROUNDS=${ROUNDS:-1}; COLD_RUNS=${COLD_RUNS:-2}
fi
THREADS=${THREADS:-$(nproc)}; CLIENTS=${CLIENTS:-16}; PER_REQUEST=${PER_REQUEST:-4}
ROUNDS=${ROUNDS:-3}; COLD_RUNS=${COLD_RUNS:-5}
for n in "$THREADS" "$CLIENTS" "$PER_REQUEST" "$ROUNDS" "$COLD_RUNS"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "not a positive integer: $n" >&2; usage; }
done

OUT=target/bench
# Other work on the machine moves every number; the report shows how busy it was at the start and the end.
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
# -Dembedder.bench.result-lines=true: the benchmarks add their RESULT lines (see ResultLines.java).
export MAVEN_ARGS="${MAVEN_ARGS:-} -B -q -Dquarkus.analytics.disabled=true -Dembedder.bench.result-lines=true"
step() { printf '\n=== %s ===\n' "$*" >&2; }

if [ -z "${SKIP_BUILD:-}" ]; then
  step "build: ./mvnw package -DskipTests"
  ./mvnw package -DskipTests
fi
mkdir -p "$OUT"
: > "$OUT/results.txt"

step "(a) (b) in-process: TextThroughputBenchmark"
INPROC_RC=0
./mvnw test-compile exec:java -Dexec.args="--model all-minilm-l6-v2 --threads $THREADS --rounds $ROUNDS \
--clients $CLIENTS --client-request-size $PER_REQUEST" | tee "$OUT/inproc.log" || INPROC_RC=$?
grep '^RESULT ' "$OUT/inproc.log" >> "$OUT/results.txt" || true

step "(c) (d) (e) over HTTP: http-bench.sh"
HTTP_RC=0
SKIP_BUILD=1 infra/bench/http-bench.sh "$THREADS" "$CLIENTS" "$PER_REQUEST" "$ROUNDS" | tee "$OUT/http.log" \
  || HTTP_RC=$?
grep '^RESULT ' "$OUT/http.log" >> "$OUT/results.txt" || true

step "(f) cold start: cold-start-http.sh"
COLD_RC=0
RUNS=$COLD_RUNS infra/bench/cold-start-http.sh | tee "$OUT/cold-start.log" || COLD_RC=$?
grep '^RESULT ' "$OUT/cold-start.log" >> "$OUT/results.txt" || true

COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain 2>/dev/null)" ] || COMMIT="$COMMIT + uncommitted changes"
export COMMAND_LINE THREADS CLIENTS PER_REQUEST ROUNDS COLD_RUNS COMMIT INPROC_RC HTTP_RC COLD_RC
export LOAD_START LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
export QUICK=${QUICK:-} SERVER_JAVA_OPTS=${JAVA_OPTS:-} COLD_JAVA_OPTS=${COLD_JAVA_OPTS:-}
export CPU="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
export JAVA_VERSION="$(java -version 2>&1 | head -1)"
export JAR="$(ls target/*-runner.jar | head -1)"
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

def rate(key):
    m, lo, hi = num(key), num(key + ".min"), num(key + ".max")
    if m is None:
        return "missing"
    return f"{m:,.0f} sentences/s ({lo:,.0f}–{hi:,.0f})"

def ratio(a, b, suffix=""):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}{suffix}"

def ms(key):
    v = num(key)
    return "missing" if v is None else f"{v:.2f}"

def mb(key):
    v = num(key)
    return "missing" if v is None else f"{v:,.0f} MB"

ceiling, ceiling_http = num("inproc.ceiling"), num("http.ceiling")
run50, run99 = num("single.plain_run.p50"), num("single.plain_run.p99")
cold_plain = num("cold.plain.median")
cold_runs = e["COLD_RUNS"]
rows = [
    ("(a)", "plain ONNX Runtime, in-process: whole corpus tokenized, sorted by length, batches of 32 (the ceiling)",
     rate("inproc.ceiling"), "1.00"),
    ("(b)", f"Embedder's embedding service, in-process: {r.get('inproc.clients', '?')} concurrent callers × "
            f"{r.get('inproc.client_request_size', '?')} sentences, dynamic batching",
     rate("inproc.concurrent"), ratio(num("inproc.concurrent"), ceiling, " × (a)")),
    ("(a′)", "(a) again, in the HTTP client's JVM, each round right before a (c) round while the server idles",
     rate("http.ceiling"), ratio(ceiling_http, ceiling, " × (a)")),
    ("(c)", f"Embedder over HTTP (POST /v1/embeddings, loopback): {r.get('http.clients', '?')} clients × "
            f"{r.get('http.request_size', '?')} sentences",
     rate("http.throughput"),
     f"{ratio(num('http.throughput'), ceiling_http, ' × (a′)')}; {ratio(num('http.throughput'), ceiling, ' × (a)')}"),
    ("(d)", "one sentence, warm: one plain session.run (input tensors and output copy included), p50 / p99",
     f"{ms('single.plain_run.p50')} / {ms('single.plain_run.p99')} ms", "1.00 / 1.00"),
    ("(d)", "the same sentence, whole plain pipeline (tokenize + session.run + pool), p50 / p99",
     f"{ms('single.plain_pipeline.p50')} / {ms('single.plain_pipeline.p99')} ms",
     f"{ratio(num('single.plain_pipeline.p50'), run50)} / {ratio(num('single.plain_pipeline.p99'), run99)}"
     " × session.run"),
    ("(d)", "the same sentence through Embedder's service path in-process (tokenize, dynamic batcher, run, pool)"
            ", p50 / p99",
     f"{ms('single.service.p50')} / {ms('single.service.p99')} ms",
     f"{ratio(num('single.service.p50'), run50)} / {ratio(num('single.service.p99'), run99)} × session.run"),
    ("(d)", "the same sentence over HTTP, sequential calls, p50 / p99",
     f"{ms('single.http.p50')} / {ms('single.http.p99')} ms",
     f"{ratio(num('single.http.p50'), run50)} / {ratio(num('single.http.p99'), run99)} × session.run"),
    ("(e)", "HTTP server RSS at idle after the warm-up pass (when ready, before any request: "
            f"{mb('server.rss_ready_mb')})", mb("server.rss_idle_mb"), ""),
    ("(e)", "HTTP server peak RSS (VmHWM) after the HTTP load", mb("server.hwm_mb"), ""),
]
for variant, label in (("plain", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"),
                       ("appcds", "the same + AppCDS (-XX:SharedArchiveFile, "
                                  f"{r.get('cold.appcds.archive_mb', '?')} MB archive from one training run)"),
                       ("unpacked", "the same + AppCDS + the container layout: bundle folder on disk, ONNX "
                                    "Runtime's native library unpacked at build time")):
    if f"cold.{variant}.answered" not in r:
        continue
    median = num(f"cold.{variant}.median")
    value = ("failed" if median is None else
             f"{median:,.0f} ms ({num(f'cold.{variant}.min'):,.0f}–{num(f'cold.{variant}.max'):,.0f}),"
             f" {r.get(f'cold.{variant}.answered', '0')}/{cold_runs} answered")
    rows.append(("(f)", f"cold start, spawn → first embedding over HTTP, median of {cold_runs}: {label}", value,
                 "1.00" if variant == "plain" else ratio(median, cold_plain, " × plain")))

out = []
out.append("### Embedder vs plain ONNX Runtime: all-MiniLM-L6-v2 fp32, one run")
out.append("")
settings = (f"threads {e['THREADS']}, clients {e['CLIENTS']}, sentences per request {e['PER_REQUEST']}, "
            f"rounds {e['ROUNDS']}, cold-start runs {e['COLD_RUNS']}")
out.append(f"- Command: `{e['COMMAND_LINE']}` ({settings})")
if e.get("QUICK"):
    out.append("- **QUICK mode**: one round and few cold starts, a check that the script works; do not quote these numbers.")
out.append(f"- Machine: {os.cpu_count()} cores ({e['CPU']}), {e['JAVA_VERSION']}, ONNX Runtime "
           f"{r.get('inproc.ort_version', '?')}, commit {e['COMMIT']}; load average (1/5/15 min) at the start"
           f" {e['LOAD_START']}, at the end {e['LOAD_END']}")
out.append("")
out.append("| | measure | value | vs baseline |")
out.append("|---|---|---:|---:|")
for row in rows:
    out.append("| " + " | ".join(row) + " |")
out.append("")
out.append(f"- Throughput: {r.get('inproc.corpus', '?')} sentences per pass, median of {e['ROUNDS']} rounds after a warm-up"
           " pass (min–max in brackets); every path uses the same intra-op thread count. (a) and (b) run in one JVM"
           " (`./mvnw test-compile exec:java`, TextThroughputBenchmark); their vectors are checked equal: "
           + ("same." if r.get("inproc.same_vectors") == "true" else "**NOT the same, or not checked: see inproc.log.**"))
out.append("- (c)'s ratio is given against (a′), measured under the same conditions and interleaved with it, and"
           " against (a).")
out.append(f"- HTTP server (c)–(e): `java {e['SERVER_JAVA_OPTS'] + ' ' if e['SERVER_JAVA_OPTS'] else ''}"
           f"-Dquarkus.http.host=127.0.0.1 -Dembedder.inference.intra-op-threads={e['THREADS']} -jar {e['JAR']}`"
           + ("" if e['SERVER_JAVA_OPTS'] else " (default bundles: MiniLM and MobileNetV2 loaded; default heap)")
           + "; (d) is"
           f" {r.get('single.calls', '?')} calls after 20 untimed ones.")
for variant in ("plain", "appcds", "unpacked"):
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
