#!/usr/bin/env bash
# Builds the JVM container image fully offline and checks that it serves: readiness, one text embedding
# (384-d) and one image embedding (1280-d). Slow (a Debian JRE base image is bootstrapped the first time,
# ~350 MB), so it is not part of ./mvnw verify; run it before releases and after changes to the Dockerfiles,
# the packaging or native dependencies (see infra/README.md).
#
# Needs root (or an equivalent podman setup) and Debian's packages: podman, runc, mmdebstrap (installed with
# apt-get when missing). No registry is contacted: the base image is built from the Debian packages that apt's
# configured sources serve, and the app image is built on top of it with podman.
#
# Environment:  SKIP_PACKAGE=1   reuse target/ instead of running ./mvnw package
#               KEEP_IMAGE=1     keep localhost/embedder:smoke afterwards
#               READY_TIMEOUT=s  how long to wait for /q/health/ready (default 180)
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BASE_IMAGE=localhost/embedder-jre17:bookworm
IMAGE=localhost/embedder:smoke
NAME=embedder-smoke-$$
CACHE=${EMBEDDER_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/embedder-smoke}
READY_TIMEOUT=${READY_TIMEOUT:-180}
STAGE=$ROOT/target/container-jvm
# This sandbox (and many CI runners) lack cgroup v2 delegation and CAP_SYS_RESOURCE: crun fails on cgroups and
# podman's default rlimits cannot be raised, so use runc and modest explicit limits.
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[smoke] %s\n' "$*"; }
declare -A TIMES=()

passed=0
failed=0
check() { # name, command...
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); log "ok   $name"; else failed=$((failed + 1)); log "FAIL $name"; fi
}

need_tools() {
    local missing=()
    for tool in podman runc mmdebstrap curl python3; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ ${#missing[@]} -eq 0 ] && return
    log "installing ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "missing ${missing[*]}: install them (Debian: apt-get install podman runc mmdebstrap curl python3)" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap curl python3 >/dev/null
}

cleanup() {
    "${PODMAN[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
    if [ "${KEEP_IMAGE:-0}" != 1 ]; then
        "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
    fi
    rm -rf "$STAGE"
}
trap cleanup EXIT

need_tools

# 1. The application (Quarkus's fast-jar layout: target/quarkus-app).
if [ "${SKIP_PACKAGE:-0}" != 1 ] || ! [ -f target/quarkus-app/quarkus-run.jar ]; then
    t=$(now); log "packaging (./mvnw package -DskipTests)"
    ./mvnw -q -B package -DskipTests
    TIMES[package]=$(elapsed "$t")
fi

# 2. A JRE 17 base image from Debian packages (cached in podman's store; the rootfs tar is not kept).
if "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
    log "base image $BASE_IMAGE already present"
    TIMES[base]=cached
else
    t=$(now); mkdir -p "$CACHE"
    log "bootstrapping $BASE_IMAGE with mmdebstrap (bookworm, minbase + openjdk-17-jre-headless)"
    # No mirror argument: mmdebstrap then uses this system's apt sources. Docs are dropped to save ~30 MB;
    # man pages must stay (openjdk's postinst registers alternatives for them).
    mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless \
        --dpkgopt='path-exclude=/usr/share/doc/*' bookworm "$CACHE/jre17-rootfs.tar"
    "${PODMAN[@]}" import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        "$CACHE/jre17-rootfs.tar" "$BASE_IMAGE" >/dev/null
    rm -f "$CACHE/jre17-rootfs.tar"
    TIMES[base]=$(elapsed "$t")
fi

# 3. The app image, from a context holding only what the Dockerfile copies (hard links: no copy of ~250 MB).
t=$(now)
infra/container/stage-jvm.sh "$STAGE" >/dev/null
"${PODMAN[@]}" build --quiet --pull=never -f infra/container/Dockerfile.jvm \
    --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" "$STAGE" >/dev/null
TIMES[image]=$(elapsed "$t")
log "image size: $("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"

# 4. Run it on a free loopback port and wait for readiness (models loaded).
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t=$(now)
"${PODMAN[@]}" run -d --name "$NAME" "${LIMITS[@]}" --network=host \
    -e QUARKUS_HTTP_HOST=127.0.0.1 -e QUARKUS_HTTP_PORT="$PORT" "$IMAGE" >/dev/null
ready=0
for _ in $(seq 1 $((READY_TIMEOUT * 2))); do
    if curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1; then ready=1; break; fi
    if [ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$NAME" 2>/dev/null)" != true ]; then break; fi
    sleep 0.5
done
TIMES[ready]=$(elapsed "$t")
if [ "$ready" != 1 ]; then
    log "not ready after ${TIMES[ready]} s; container log:"
    "${PODMAN[@]}" logs "$NAME" 2>&1 | tail -n 40
    echo "smoke: 0 passed, 1 failed"
    exit 1
fi
log "ready in ${TIMES[ready]} s on port $PORT"

text_vector() {
    curl -sf "http://127.0.0.1:$PORT/v1/embeddings" -H 'Content-Type: application/json' \
        -d '{"input": "A man is eating food."}' |
        python3 -c 'import json, sys; d = json.load(sys.stdin); v = d["data"][0]["embedding"]; sys.exit(0 if len(v) == 384 and abs(sum(x * x for x in v) - 1) < 1e-3 else 1)'
}
image_vector() {
    curl -sf "http://127.0.0.1:$PORT/embed-image" -H 'Content-Type: image/png' \
        --data-binary @src/test/resources/images/chelsea.png |
        python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(0 if d["dimension"] == 1280 and len(d["embedding"]) == 1280 else 1)'
}
check "POST /v1/embeddings returns a normalised 384-d vector" text_vector
check "POST /embed-image (PNG) returns a 1280-d vector" image_vector
# The class-data archive the build's training run wrote (Dockerfile.jvm): -Xshare:on turns "archive unusable" from
# a silent fallback into a failed start, and prefetch without arguments then exits 2 (its usage) without booting.
cds_archive() {
    local rc=0
    "${PODMAN[@]}" run --rm --network=none "${LIMITS[@]}" --entrypoint java "$IMAGE" -Xshare:on \
        -XX:SharedArchiveFile=/app/embedder.jsa -jar /app/quarkus-run.jar prefetch >/dev/null 2>&1 || rc=$?
    [ "$rc" = 2 ]
}
check "the class-data archive from the build's warm-up maps for the image's JVM and jar" cds_archive

log "timings (s): package=${TIMES[package]:-skipped} base=${TIMES[base]} image=${TIMES[image]} ready=${TIMES[ready]}"
echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
