#!/usr/bin/env bash
# Loads the playground in a real headless Chromium against the packaged server, runs its demo (one text comparison,
# one image comparison), checks what was drawn and keeps a screenshot: target/playground/playground.png.
# Skips (exit 0 with a message) where chromium is not installed: apt-get install -y chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then echo "playground-check: skipped, no chromium (apt-get install -y chromium)"; exit 0; fi
OUT=target/playground; mkdir -p "$OUT"
. infra/observability/server.sh
start_server "${PORT:-18093}" -Dembedder.observability.playground=true -Dembedder.observability.request-log=false
URL="$BASE/playground?demo=1"
FLAGS=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --virtual-time-budget=60000
       --window-size=1100,1100 --user-data-dir="$OUT/profile")
timeout 120 "$CHROMIUM" "${FLAGS[@]}" --dump-dom "$URL" > "$OUT/dom.html" 2> "$OUT/chromium.log"
timeout 120 "$CHROMIUM" "${FLAGS[@]}" --screenshot="$OUT/playground.png" "$URL" >> "$OUT/chromium.log" 2>&1
python3 - "$OUT/dom.html" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1]).read()
body = re.search(r'<body([^>]*)>', dom).group(1)
attrs = {k: html.unescape(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', body)}
failures = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok: failures.append(what)
check(attrs.get("status") == "done", "page finished its demo")
check("error" not in attrs, "no API error (" + attrs.get("error", "") + ")")
matrix = json.loads(attrs.get("text-matrix", "[]"))
check(len(matrix) == 4 and all(len(r) == 4 for r in matrix), "4x4 similarity matrix")
if len(matrix) == 4:
    check(all(abs(matrix[i][i] - 1) < 1e-3 for i in range(4)), "diagonal is 1")
    check(matrix[0][1] > matrix[0][2] and matrix[0][1] > matrix[0][3], "the two eating sentences are nearest")
# Counted by hand in BERT's uncased WordPiece: [CLS] + words + "." + [SEP] (every word is one piece).
check(json.loads(attrs.get("tokens", "[]")) == [8, 11, 9, 9], "tokens per text [8, 11, 9, 9]: " + attrs.get("tokens", ""))
check(re.search(r'data-cells="16"', dom) is not None, "heatmap canvas drew 16 cells")
check(attrs.get("diagonal-pixel") == "255,0,0", "diagonal cell painted red (cosine 1): " + attrs.get("diagonal-pixel", ""))
nearest = json.loads(attrs.get("nearest", "[]"))
check(len(nearest) == 3 and nearest[0] == "red-2" and nearest[2] == "red-1",
      "red-1 and red-2 are each other's nearest neighbour: " + attrs.get("nearest", ""))
total = 9
print(f"playground: {total - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
PY
test -s "$OUT/playground.png" && echo "screenshot: $OUT/playground.png"
