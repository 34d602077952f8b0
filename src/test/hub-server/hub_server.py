#!/usr/bin/env python3
"""A Hugging Face Hub-compatible HTTP server for Embedder's tests (Python 3 standard library only).

It serves model repositories from a directory, on loopback, with the Hub's protocol as huggingface_hub speaks it
(shared/notes/hf-models.md section 1), so the Java client is tested against a separate program, not against
itself:

  ROOT/<org>/<name>/<files...>     one repository per folder, its files at revision "main"

  GET  /api/models/<repo>[/revision/<rev>][?blobs=true]   model info: sha, siblings (rfilename, size, blobId, lfs)
  GET  /api/models/<repo>/tree/<rev>[/<path>][?recursive=true&cursor=N]   tree listing, paged by Link rel="next"
  HEAD|GET /<repo>/resolve/<rev>/<path>
        regular file: 200, ETag "<git blob sha1>", X-Repo-Commit, Content-Length, the bytes
        LFS file:     302 to the second ("CDN") listener's /cdn/<sha256>, with ETag (the pointer's git sha1),
                      X-Linked-Etag "<sha256>", X-Linked-Size, X-Repo-Commit
  GET  http://127.0.0.1:<cdn port>/cdn/<sha256>            the LFS bytes; Range (206, Content-Range), 416
  errors: X-Error-Code RepoNotFound (401), GatedRepo (401), RevisionNotFound (404), EntryNotFound (404, with
          X-Repo-Commit), 401 "Invalid credentials in Authorization header"

Revisions: "main", the commit sha (sha1 over the repo's paths and blob ids, so stable for the same files), and
tags given with --tag. A repo listed with --rename OLD=NEW answers resolve calls for OLD with a relative 307 to
NEW (a renamed repo). Files of at least --lfs-threshold bytes, and *.onnx / *.onnx_data / *.safetensors / *.bin,
are LFS files.

Test hooks: --token (valid token), --private REPO / --gated REPO (need the token), --throttle BYTES_PER_S (CDN
speed), --corrupt-first N (the first N CDN answers flip one byte), --log FILE (one JSON line per request: which
listener, method, path, Range, whether an Authorization header came). On start it prints one line
"READY <hub port> <cdn port>" on stdout.
"""
import argparse
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LFS_SUFFIXES = (".onnx", ".onnx_data", ".safetensors", ".bin")
CHUNK = 64 * 1024


class Repo:
    def __init__(self, repo_id, folder, lfs_threshold):
        self.id = repo_id
        self.folder = folder
        self.files = {}  # path -> dict(size, oid, sha256 or None)
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(base, name)
                path = os.path.relpath(full, folder).replace(os.sep, "/")
                size = os.path.getsize(full)
                lfs = size >= lfs_threshold or path.endswith(LFS_SUFFIXES)
                entry = {"size": size, "full": full}
                if lfs:
                    entry["sha256"] = file_hash(full, hashlib.sha256())
                    pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n"
                               % (entry["sha256"], size)).encode()
                    entry["oid"] = git_blob_sha1(pointer)
                    entry["pointer_size"] = len(pointer)
                else:
                    with open(full, "rb") as f:
                        entry["oid"] = git_blob_sha1(f.read())
                self.files[path] = entry
        listing = "".join("%s %s\n" % (p, e["oid"]) for p, e in sorted(self.files.items()))
        self.commit = hashlib.sha1(("commit " + repo_id + "\n" + listing).encode()).hexdigest()


def file_hash(path, digest):
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class State:
    def __init__(self, args):
        self.args = args
        self.repos = {}
        for org in sorted(os.listdir(args.root)):
            org_dir = os.path.join(args.root, org)
            if not os.path.isdir(org_dir):
                continue
            for name in sorted(os.listdir(org_dir)):
                if os.path.isdir(os.path.join(org_dir, name)):
                    repo_id = org + "/" + name
                    self.repos[repo_id] = Repo(repo_id, os.path.join(org_dir, name), args.lfs_threshold)
        self.tags = {}
        for tag in args.tag:
            repo_id, name = tag.split("=", 1)
            self.tags.setdefault(repo_id, {})[name] = True
        self.renames = dict(r.split("=", 1) for r in args.rename)
        self.blobs = {}
        for repo in self.repos.values():
            for entry in repo.files.values():
                if "sha256" in entry:
                    self.blobs[entry["sha256"]] = entry
        self.lock = threading.Lock()
        self.corrupt_left = args.corrupt_first
        self.log_file = open(args.log, "a", buffering=1) if args.log else None
        self.cdn_port = None

    def log(self, record):
        if self.log_file:
            with self.lock:
                self.log_file.write(json.dumps(record) + "\n")

    def take_corruption(self):
        with self.lock:
            if self.corrupt_left > 0:
                self.corrupt_left -= 1
                return True
            return False


def make_handler(state, listener):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "fake-hub/1"

        def log_message(self, fmt, *args):
            pass

        def record(self):
            state.log({"listener": listener, "method": self.command, "path": self.path,
                       "range": self.headers.get("Range"), "auth": self.headers.get("Authorization") is not None,
                       "time": time.time()})

        def do_HEAD(self):
            self.record()
            self.route(head=True)

        def do_GET(self):
            self.record()
            self.route(head=False)

        # ---- helpers ----
        def send(self, status, headers=None, body=b"", head=False):
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if "Content-Length" not in (headers or {}):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head and body:
                self.wfile.write(body)

        def error(self, status, code, message, head, extra=None):
            headers = {"Content-Type": "application/json", "X-Error-Message": message}
            if code:
                headers["X-Error-Code"] = code
            headers.update(extra or {})
            self.send(status, headers, json.dumps({"error": message}).encode(), head)

        def authorized(self, repo_id):
            """None when allowed, else (status, code, message) as the Hub answers."""
            auth = self.headers.get("Authorization")
            needs = repo_id in state.args.private or repo_id in state.args.gated
            if auth is not None and (state.args.token is None or auth != "Bearer " + state.args.token):
                return 401, None, "Invalid credentials in Authorization header"
            if needs and auth is None:
                if repo_id in state.args.gated:
                    return 401, "GatedRepo", ("Access to model %s is restricted. You must have access to it and be"
                                              " authenticated to access it. Please log in." % repo_id)
                return 401, "RepoNotFound", "Repository not found"
            return None

        def revision(self, repo, rev):
            if rev == "main" or rev == repo.commit or rev in state.tags.get(repo.id, {}):
                return repo.commit
            return None

        def route(self, head):
            parsed = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parsed.path)
            query = urllib.parse.parse_qs(parsed.query)
            if listener == "cdn":
                return self.cdn(path, head)
            if path.startswith("/api/models/"):
                return self.api(path[len("/api/models/"):], query, head)
            parts = parsed.path.lstrip("/").split("/")
            if len(parts) >= 5 and parts[2] == "resolve":
                repo_id = parts[0] + "/" + parts[1]
                rev = urllib.parse.unquote(parts[3])
                file_path = urllib.parse.unquote("/".join(parts[4:]))
                return self.resolve(repo_id, rev, file_path, head, parsed.path)
            self.error(404, None, "Not Found", head)

        def find_repo(self, repo_id, head):
            denied = self.authorized(repo_id)
            if denied:
                self.error(*denied, head=head)
                return None
            repo = state.repos.get(repo_id)
            if repo is None:
                self.error(401, "RepoNotFound", "Repository not found", head)
            return repo

        def resolve(self, repo_id, rev, file_path, head, raw_path):
            if repo_id in state.renames:
                new = state.renames[repo_id]
                location = "/" + new + raw_path[len("/" + repo_id):]
                return self.send(307, {"Location": location}, b"", head)
            repo = self.find_repo(repo_id, head)
            if repo is None:
                return
            commit = self.revision(repo, rev)
            if commit is None:
                return self.error(404, "RevisionNotFound", "Invalid rev id: " + rev, head)
            entry = repo.files.get(file_path)
            if entry is None:
                return self.error(404, "EntryNotFound", "Entry not found", head, {"X-Repo-Commit": commit})
            if "sha256" in entry:
                location = "http://127.0.0.1:%d/cdn/%s?X-Amz-Signature=test" % (state.cdn_port, entry["sha256"])
                return self.send(302, {"Location": location, "ETag": '"%s"' % entry["oid"],
                                       "X-Linked-Etag": '"%s"' % entry["sha256"],
                                       "X-Linked-Size": str(entry["size"]), "X-Repo-Commit": commit,
                                       "Content-Length": "0"}, b"", head)
            with open(entry["full"], "rb") as f:
                body = f.read()
            self.send(200, {"ETag": '"%s"' % entry["oid"], "X-Repo-Commit": commit,
                            "Content-Type": "application/octet-stream"}, body, head)

        def api(self, rest, query, head):
            parts = rest.split("/")
            if len(parts) < 2:
                return self.error(404, None, "Not Found", head)
            repo_id = parts[0] + "/" + parts[1]
            if repo_id in state.renames:
                location = "/api/models/" + state.renames[repo_id] + self.path[len("/api/models/" + repo_id):]
                return self.send(307, {"Location": location}, b"", head)
            repo = self.find_repo(repo_id, head)
            if repo is None:
                return
            tail = parts[2:]
            if not tail or tail[0] == "revision":
                rev = "/".join(tail[1:]) if tail else "main"
                commit = self.revision(repo, rev)
                if commit is None:
                    return self.error(404, "RevisionNotFound", "Invalid rev id: " + rev, head)
                blobs = query.get("blobs", ["false"])[0] == "true"
                siblings = []
                for p, e in sorted(repo.files.items()):
                    sibling = {"rfilename": p}
                    if blobs:
                        sibling["size"] = e["size"]
                        sibling["blobId"] = e["oid"]
                        if "sha256" in e:
                            sibling["lfs"] = {"sha256": e["sha256"], "size": e["size"],
                                              "pointerSize": e["pointer_size"]}
                    siblings.append(sibling)
                body = {"_id": repo.commit[:24], "id": repo_id, "modelId": repo_id, "sha": commit,
                        "private": repo_id in state.args.private, "gated": repo_id in state.args.gated and "auto",
                        "pipeline_tag": "feature-extraction", "library_name": "sentence-transformers",
                        "siblings": siblings}
                return self.send(200, {"Content-Type": "application/json"}, json.dumps(body).encode(), head)
            if tail[0] == "tree" and len(tail) >= 2:
                commit = self.revision(repo, urllib.parse.unquote(tail[1]))
                if commit is None:
                    return self.error(404, "RevisionNotFound", "Invalid rev id: " + tail[1], head)
                prefix = "/".join(tail[2:])
                recursive = query.get("recursive", ["false"])[0] == "true"
                entries = []
                dirs = set()
                for p, e in sorted(repo.files.items()):
                    if prefix and not p.startswith(prefix + "/"):
                        continue
                    relative = p[len(prefix) + 1:] if prefix else p
                    if "/" in relative and not recursive:
                        dirs.add((prefix + "/" if prefix else "") + relative.split("/")[0])
                        continue
                    item = {"type": "file", "oid": e["oid"], "size": e["size"], "path": p}
                    if "sha256" in e:
                        item["lfs"] = {"oid": e["sha256"], "size": e["size"], "pointerSize": e["pointer_size"]}
                    entries.append(item)
                entries = [{"type": "directory", "oid": "0" * 40, "size": 0, "path": d} for d in sorted(dirs)] + entries
                page = state.args.page_size
                start = int(query.get("cursor", ["0"])[0])
                headers = {"Content-Type": "application/json"}
                if start + page < len(entries):
                    link = "%s?recursive=%s&cursor=%d" % (self.path.split("?")[0], str(recursive).lower(), start + page)
                    headers["Link"] = '<http://127.0.0.1:%d%s>; rel="next"' % (self.server.server_port, link)
                return self.send(200, headers, json.dumps(entries[start:start + page]).encode(), head)
            self.error(404, None, "Not Found", head)

        def cdn(self, path, head):
            if not path.startswith("/cdn/"):
                return self.send(404, {}, b"", head)
            entry = state.blobs.get(path[len("/cdn/"):])
            if entry is None:
                return self.send(404, {}, b"NoSuchKey", head)
            size = entry["size"]
            start, status = 0, 200
            headers = {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes",
                       "ETag": '"%s"' % entry["sha256"]}
            requested = self.headers.get("Range")
            if requested:
                spec = requested.replace("bytes=", "").split("-")[0]
                start = int(spec)
                if start >= size:
                    return self.send(416, {"Content-Range": "bytes */%d" % size}, b"", head)
                status = 206
                headers["Content-Range"] = "bytes %d-%d/%d" % (start, size - 1, size)
            headers["Content-Length"] = str(size - start)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if head:
                return
            corrupt = state.take_corruption()
            throttle = state.args.throttle
            with open(entry["full"], "rb") as f:
                f.seek(start)
                sent = 0
                began = time.time()
                try:
                    while True:
                        block = f.read(CHUNK)
                        if not block:
                            break
                        if corrupt:
                            block = bytes([block[0] ^ 0xFF]) + block[1:]
                            corrupt = False
                        self.wfile.write(block)
                        sent += len(block)
                        if throttle:
                            ahead = sent / throttle - (time.time() - began)
                            if ahead > 0:
                                time.sleep(ahead)
                except (BrokenPipeError, ConnectionResetError):
                    pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True)
    parser.add_argument("--log")
    parser.add_argument("--token")
    parser.add_argument("--private", action="append", default=[])
    parser.add_argument("--gated", action="append", default=[])
    parser.add_argument("--tag", action="append", default=[], help="REPO=TAG")
    parser.add_argument("--rename", action="append", default=[], help="OLD_REPO=NEW_REPO")
    parser.add_argument("--lfs-threshold", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--throttle", type=float, default=0, help="CDN bytes per second (0 = unlimited)")
    parser.add_argument("--corrupt-first", type=int, default=0)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    state = State(args)
    hub = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state, "hub"))
    cdn = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state, "cdn"))
    hub.daemon_threads = cdn.daemon_threads = True
    state.cdn_port = cdn.server_port
    threading.Thread(target=cdn.serve_forever, daemon=True).start()
    print("READY %d %d" % (hub.server_port, cdn.server_port), flush=True)
    try:
        hub.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
