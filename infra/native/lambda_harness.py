#!/usr/bin/env python3
"""Runs an Embedder process (JVM or native) against a loopback mock of the AWS Lambda Runtime API.

Sub-commands (all print to stdout, exit non-zero on failure):

  probe --out DIR [--http] [--lambda] [--png FILE] -- CMD...
      Starts CMD, waits for /q/health/ready, then (--http) POSTs /v1/embeddings with three fixed sentences and
      /embed-image with a PNG, and/or (--lambda) hands the function two events through the Runtime API
      (the same sentences, the same PNG base64-encoded). The parsed vectors go to DIR/<check>.json.
  compare REF_DIR TEST_DIR [--tol 1e-5]
      Compares the vectors of every check present in both folders; prints one PASS/FAIL line each and a closing
      'N passed, N failed' line.
  coldstart --runs N --label NAME [--json FILE] -- CMD...
      Spawns CMD N times, each with a fresh Runtime API and a fresh temp folder, and times process spawn ->
      first embedding answered through the Runtime API (the event is a one-sentence text request). Also reads
      the process's peak RSS (VmHWM) at that moment.

The mock implements what a runtime client uses: GET .../invocation/next (long poll, as Lambda does: it blocks
until an event is queued), POST .../invocation/<id>/response|error and .../init/error. Each run gets its own
server, so a poll left behind by a killed process can never take the next run's event.
"""
import argparse, base64, http.client, http.server, json, os, queue, shutil, signal, socket, statistics
import subprocess, sys, tempfile, threading, time, uuid

SENTENCES = ["A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome."]
API = "/2018-06-01/runtime"


class RuntimeApi:
    """Loopback Lambda Runtime API serving queued events one at a time."""

    def __init__(self):
        self.events = queue.Queue()
        self.results = {}
        self.init_error = None
        self.first_next = None
        self.closed = threading.Event()
        self.lock = threading.Condition()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle(self):
                try:
                    super().handle()
                except (ConnectionResetError, BrokenPipeError):
                    pass

            def reply(self, status, body=b"", headers=None):
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if not self.path.startswith(API + "/invocation/next"):
                    return self.reply(404)
                if api.first_next is None:
                    api.first_next = time.monotonic()
                while not api.closed.is_set():
                    try:
                        rid, body = api.events.get(timeout=0.2)
                        break
                    except queue.Empty:
                        continue
                else:
                    return self.reply(410)
                self.reply(200, body, {
                    "Content-Type": "application/json",
                    "Lambda-Runtime-Aws-Request-Id": rid,
                    "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 120000),
                    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:embedder",
                    "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000"})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.reply(202, b'{"status":"OK"}', {"Content-Type": "application/json"})
                parts = self.path.split("/")
                with api.lock:
                    if self.path.startswith(API + "/init/error"):
                        api.init_error = body.decode(errors="replace")
                    elif len(parts) >= 6 and parts[3] == "invocation":
                        api.results[parts[4]] = (parts[5], body, time.monotonic())
                    api.lock.notify_all()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = "127.0.0.1:%d" % self.server.server_address[1]

    def invoke(self, event, timeout):
        """Queues one event and waits for its outcome: (kind, body, monotonic time), kind 'response' or 'error'."""
        rid = str(uuid.uuid4())
        self.events.put((rid, json.dumps(event).encode()))
        deadline = time.monotonic() + timeout
        with self.lock:
            while rid not in self.results and self.init_error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.lock.wait(left)
            if self.init_error is not None:
                return ("init-error", self.init_error.encode(), time.monotonic())
            return self.results[rid]

    def close(self):
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """The process under test, with the environment a Lambda sandbox gives it, in its own process group."""

    def __init__(self, cmd, api, log_path, http_port):
        self.tmp = tempfile.mkdtemp(prefix="embedder-run-")
        env = dict(os.environ,
                   AWS_LAMBDA_RUNTIME_API=api.address, _HANDLER="io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest",
                   AWS_LAMBDA_FUNCTION_NAME="embedder", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="2048",
                   AWS_LAMBDA_FUNCTION_VERSION="$LATEST", AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/embedder",
                   AWS_LAMBDA_LOG_STREAM_NAME="local", AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
                   # DJL: no usage tracking call, no downloads; native libraries unpacked into this run's folder.
                   OPT_OUT_TRACKING="true", DJL_OFFLINE="true", DJL_CACHE_DIR=os.path.join(self.tmp, "djl"),
                   # a free loopback port: the HTTP server also starts in Lambda mode, and 8080 may be taken.
                   QUARKUS_HTTP_PORT=str(http_port), QUARKUS_HTTP_HOST="127.0.0.1")
        # ONNX Runtime unpacks its libraries into java.io.tmpdir (28 MB per start, left behind on SIGKILL).
        cmd = [c.replace("@TMP@", self.tmp) for c in cmd]
        self.log = open(log_path, "w")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def peak_rss_kb(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def stop(self, graceful=False):
        if self.proc.poll() is None and graceful:
            # a normal JVM exit, so that -XX:ArchiveClassesAtExit / -XX:AOTCacheOutput get written
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(180)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def http_call(port, method, path, body=None, headers=None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def wait_ready(proc, port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.proc.poll() is not None:
            raise RuntimeError("process exited with %s before it was ready" % proc.proc.returncode)
        try:
            status, body = http_call(port, "GET", "/q/health/ready", timeout=5)
            if status == 200 and json.loads(body).get("status") == "UP":
                return
            # Models load before HTTP opens, so DOWN means a bundle failed: no point in waiting.
            if b"still loading" not in body:
                raise RuntimeError("not ready: %s" % body[:600].decode(errors="replace"))
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError("/q/health/ready not UP after %d s" % timeout)


def probe(args):
    os.makedirs(args.out, exist_ok=True)
    with open(args.png, "rb") as f:
        png = f.read()
    api = RuntimeApi()
    port = free_port()
    proc = Process(args.cmd, api, os.path.join(args.out, "process.log"), port)
    failures = []

    def save(name, vectors, raw):
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump({"vectors": vectors}, f)
        with open(os.path.join(args.out, name + ".raw"), "wb") as f:
            f.write(raw)
        print("probe %s: %s -> %d vector(s) of %d" % (args.out, name, len(vectors), len(vectors[0]) if vectors else 0))

    try:
        if args.http:
            wait_ready(proc, port, args.timeout)
            status, body = http_call(port, "POST", "/v1/embeddings", json.dumps({"input": SENTENCES}).encode(),
                                     {"Content-Type": "application/json"})
            if status != 200:
                raise RuntimeError("POST /v1/embeddings -> %d %s" % (status, body[:300]))
            data = sorted(json.loads(body)["data"], key=lambda d: d["index"])
            save("http-text", [d["embedding"] for d in data], body)
            status, body = http_call(port, "POST", "/embed-image", png, {"Content-Type": "image/png"})
            if status != 200:
                raise RuntimeError("POST /embed-image -> %d %s" % (status, body[:300]))
            save("http-image", [json.loads(body)["embedding"]], body)
        if args.lambda_:
            for name, event in (("lambda-text", {"inputs": SENTENCES}),
                                ("lambda-image", {"images": [base64.b64encode(png).decode()]})):
                outcome = api.invoke(event, args.timeout)
                if outcome is None:
                    raise RuntimeError("%s: no answer through the Runtime API in %d s" % (name, args.timeout))
                kind, body, _ = outcome
                if kind != "response":
                    raise RuntimeError("%s: %s %s" % (name, kind, body[:500]))
                save(name, json.loads(body)["embeddings"], body)
    except (RuntimeError, KeyError, ValueError, OSError, http.client.HTTPException) as e:
        failures.append(str(e))
    finally:
        proc.stop()
        api.close()
    for f in failures:
        print("probe %s: FAILED: %s (log: %s)" % (args.out, f, os.path.join(args.out, "process.log")))
    return 1 if failures else 0


def compare(args):
    passed = failed = 0
    names = sorted(n[:-5] for n in os.listdir(args.ref) if n.endswith(".json"))
    if not names:
        print("compare: no vectors in %s" % args.ref)
        failed += 1
    for name in names:
        other = os.path.join(args.test, name + ".json")
        if not os.path.exists(other):
            print("FAIL %s: missing in %s" % (name, args.test))
            failed += 1
            continue
        a = json.load(open(os.path.join(args.ref, name + ".json")))["vectors"]
        b = json.load(open(other))["vectors"]
        shapes_a, shapes_b = [len(v) for v in a], [len(v) for v in b]
        if shapes_a != shapes_b or not a:
            print("FAIL %s: shapes %s vs %s" % (name, shapes_a, shapes_b))
            failed += 1
            continue
        diff = max(abs(x - y) for va, vb in zip(a, b) for x, y in zip(va, vb))
        ok = diff <= args.tol
        print("%s %s: %d x %d, max-abs diff %.3g (tolerance %g)" % ("PASS" if ok else "FAIL", name, len(a),
                                                                    len(a[0]), diff, args.tol))
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def coldstart(args):
    totals, rss, misses = [], [], 0
    for i in range(args.runs):
        api = RuntimeApi()
        log = os.path.join(args.logdir, "%s-%02d.log" % (args.label, i)) if args.logdir else os.devnull
        proc = Process(args.cmd, api, log, free_port())
        try:
            outcome = api.invoke({"inputs": [SENTENCES[0]]}, args.timeout)
            peak = proc.peak_rss_kb()
        finally:
            proc.stop(graceful=args.graceful)
            api.close()
        if outcome is None or outcome[0] != "response" or b'"embeddings"' not in outcome[1]:
            misses += 1
            print("%s run %d: no embedding (%s)" % (args.label, i, outcome and outcome[1][:200]), file=sys.stderr)
            continue
        totals.append((outcome[2] - proc.t0) * 1000)
        if peak:
            rss.append(peak / 1024)
        print("%s run %d: %.0f ms, peak RSS %s MB" % (args.label, i, totals[-1], "%.0f" % rss[-1] if peak else "?"),
              file=sys.stderr)
    row = {"label": args.label, "runs": args.runs, "answered": len(totals), "misses": misses,
           "median_ms": statistics.median(totals) if totals else None,
           "min_ms": min(totals) if totals else None, "max_ms": max(totals) if totals else None,
           "median_rss_mb": statistics.median(rss) if rss else None}
    print(json.dumps(row))
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(row) + "\n")
    return 0 if totals and not misses else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    pr = sub.add_parser("probe")
    pr.add_argument("--out", required=True)
    pr.add_argument("--http", action="store_true")
    pr.add_argument("--lambda", dest="lambda_", action="store_true")
    pr.add_argument("--png", required=True)
    pr.add_argument("--timeout", type=int, default=180)
    pr.add_argument("cmd", nargs="+")
    co = sub.add_parser("compare")
    co.add_argument("ref")
    co.add_argument("test")
    co.add_argument("--tol", type=float, default=1e-5)
    cs = sub.add_parser("coldstart")
    cs.add_argument("--runs", type=int, default=10)
    cs.add_argument("--label", required=True)
    cs.add_argument("--json")
    cs.add_argument("--logdir")
    cs.add_argument("--timeout", type=int, default=120)
    cs.add_argument("--graceful", action="store_true", help="SIGTERM and wait (training runs) instead of SIGKILL")
    cs.add_argument("cmd", nargs="+")
    args = p.parse_args()
    return {"probe": probe, "compare": compare, "coldstart": coldstart}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())
