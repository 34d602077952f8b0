#!/usr/bin/env bash
# Fetches nsfwjs with the ordinary npm client, refuses it unless the tarball is
# byte-for-byte the one this converter was written and verified against, and
# unpacks only the files the converter needs into $1 (default build/nsfwjs).
set -euo pipefail
cd "$(dirname "$0")"

NSFWJS_SPEC="nsfwjs@4.4.0"
NSFWJS_TARBALL="nsfwjs-4.4.0.tgz"
NSFWJS_SHA256="585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382"
MEMBERS=(
  package/LICENSE
  package/package.json
  package/dist/models/mobilenet_v2/model.min.js
  package/dist/models/mobilenet_v2/group1-shard1of1.min.js
)

dest="${1:-build/nsfwjs}"
pack_dir="build/pack"
mkdir -p "$pack_dir"
if [ ! -f "$pack_dir/$NSFWJS_TARBALL" ]; then
  npm pack "$NSFWJS_SPEC" --pack-destination "$pack_dir" --silent >/dev/null
fi
actual="$(sha256sum "$pack_dir/$NSFWJS_TARBALL" | cut -d' ' -f1)"
if [ "$actual" != "$NSFWJS_SHA256" ]; then
  echo "fetch_nsfwjs: $NSFWJS_TARBALL sha256 $actual, expected $NSFWJS_SHA256" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$pack_dir/$NSFWJS_TARBALL" -C "$dest" --strip-components=1 "${MEMBERS[@]}"
echo "fetch_nsfwjs: $NSFWJS_SPEC sha256 $actual -> $dest"
