#!/usr/bin/env python3
"""An independent reader and writer of the Hugging Face cache layout (Python 3 standard library only), written from
huggingface_hub's documented layout, to check that Embedder's cache and huggingface-cli's are interchangeable:

  write ENDPOINT CACHE REPO [REVISION]
      downloads every file of the repo as `huggingface-cli download REPO` does: model info, then per file a HEAD
      on /REPO/resolve/COMMIT/PATH (redirects not followed), the bytes from Location, stored as
      CACHE/models--ORG--NAME/blobs/ETAG with a relative symlink in snapshots/COMMIT/PATH and refs/REVISION
  read CACHE REPO REVISION PATH...
      resolves each path offline as huggingface_hub's try_to_load_from_cache does (refs/REVISION -> commit ->
      snapshots/COMMIT/PATH), checks the blob's name against its content (sha256, or the git blob sha1) and
      prints "PATH BLOB" per file; exit 1 if any is missing or does not verify
"""
import hashlib
import json
import os
import re
import sys
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def repo_dir(cache, repo):
    return os.path.join(cache, "models--" + repo.replace("/", "--"))


def write(endpoint, cache, repo, revision="main"):
    opener = urllib.request.build_opener(NoRedirect)
    info = json.load(urllib.request.urlopen("%s/api/models/%s/revision/%s" % (
        endpoint, repo, urllib.parse.quote(revision, safe=""))))
    commit = info["sha"]
    base = repo_dir(cache, repo)
    os.makedirs(os.path.join(base, "refs"), exist_ok=True)
    with open(os.path.join(base, "refs", revision), "w") as f:
        f.write(commit)
    for sibling in info["siblings"]:
        path = sibling["rfilename"]
        url = "%s/%s/resolve/%s/%s" % (endpoint, repo, commit, urllib.parse.quote(path))
        request = urllib.request.Request(url, method="HEAD", headers={"Accept-Encoding": "identity"})
        try:
            response = opener.open(request)
            headers, location = response.headers, url
        except urllib.error.HTTPError as redirect:
            if not 300 <= redirect.code < 400:
                raise
            headers, location = redirect.headers, redirect.headers["Location"]
        etag = (headers.get("X-Linked-Etag") or headers["ETag"]).replace("W/", "").strip('"')
        blob = os.path.join(base, "blobs", etag)
        os.makedirs(os.path.dirname(blob), exist_ok=True)
        if not os.path.exists(blob):
            with urllib.request.urlopen(location) as body, open(blob + ".incomplete", "wb") as out:
                out.write(body.read())
            os.replace(blob + ".incomplete", blob)
        link = os.path.join(base, "snapshots", commit, path)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.relpath(blob, os.path.dirname(link)), link)
    print(os.path.join(base, "snapshots", commit))


def verified(blob):
    name = os.path.basename(blob)
    with open(blob, "rb") as f:
        data = f.read()
    if re.fullmatch(r"[0-9a-f]{64}", name):
        return hashlib.sha256(data).hexdigest() == name
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == name


def read(cache, repo, revision, paths):
    base = repo_dir(cache, repo)
    if re.fullmatch(r"[0-9a-f]{40}", revision):
        commit = revision
    else:
        with open(os.path.join(base, "refs", revision)) as f:
            commit = f.read().strip()
    ok = True
    for path in paths:
        link = os.path.join(base, "snapshots", commit, path)
        if not os.path.isfile(link):
            print("MISSING " + path)
            ok = False
            continue
        blob = os.path.realpath(link)
        if os.path.dirname(blob) != os.path.realpath(os.path.join(base, "blobs")) or not verified(blob):
            print("BAD " + path + " " + blob)
            ok = False
            continue
        print(path + " " + os.path.basename(blob))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "write":
        write(*sys.argv[2:6])
    elif len(sys.argv) >= 5 and sys.argv[1] == "read":
        sys.exit(read(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
    else:
        sys.exit(__doc__)
