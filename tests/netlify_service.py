"""A local HTTP server speaking the part of Netlify's deploy API that sitegen.deploy.netlify
uses (no machine here reaches Netlify): the file digest method, as Netlify documents it.

- ``POST /api/v1/sites/{site}/deploys`` with ``{"files": {"/path": sha1}, "async": true}``:
  a new deploy, ``preparing`` at first, then ``prepared`` with ``required``, the digests the
  site has never been sent.
- ``PUT /api/v1/deploys/{id}/files/{path}``: a file's bytes, refused (422) unless they have
  the digest the deploy listed for that path.
- ``GET /api/v1/deploys/{id}``: its state; ``ready`` (and live) once every required digest
  arrived.

Every request needs ``Authorization: Bearer <token>`` (401 otherwise). ``fail_uploads`` makes
that many uploads answer 500 (fault injection). ``live`` is what the site serves: path → bytes.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from http.server import ThreadingHTTPServer
from urllib.parse import unquote

from tests.json_service import JSONHandler

TOKEN = "nfp_local_test_token"


class FakeNetlify:
    def __init__(self, site: str = "homeward-sites") -> None:
        self.site = site
        self.blobs: dict[str, bytes] = {}  # every digest the site was ever sent
        self.deploys: dict[str, dict] = {}
        self.live: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_uploads = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.fake = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def uploads(self) -> int:
        return sum(1 for method, _ in self.requests if method == "PUT")

    def state(self, deploy: dict) -> dict:
        with self.lock:
            if deploy["state"] == "preparing":
                deploy["state"] = "prepared"
            elif all(d in self.blobs for d in deploy["required"]) and deploy["state"] != "ready":
                deploy["state"] = "ready"
                self.live = {p: self.blobs[d] for p, d in deploy["files"].items()}
            answer = {"id": deploy["id"], "state": deploy["state"]}
            if deploy["state"] != "preparing":
                answer["required"] = deploy["required"]
            return answer


class Handler(JSONHandler):
    """One request to the fake API (its state: ``self.server.fake``)."""

    def handle_one(self, method: str) -> None:
        fake = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with fake.lock:
            fake.requests.append((method, self.path))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.answer(401, {"code": 401, "message": "Access Denied"})
        parts = self.path.removeprefix("/api/v1/").split("/")
        if method == "POST" and parts[:1] == ["sites"] and parts[2:] == ["deploys"]:
            return self.create(parts[1], json.loads(body))
        if parts[:1] == ["deploys"] and len(parts) >= 2 and parts[1] in fake.deploys:
            deploy = fake.deploys[parts[1]]
            if method == "GET" and len(parts) == 2:
                return self.answer(200, fake.state(deploy))
            if method == "PUT" and parts[2:3] == ["files"]:
                return self.upload(deploy, "/" + unquote("/".join(parts[3:])), body)
        return self.answer(404, {"code": 404, "message": "Not Found"})

    def create(self, site: str, request: dict) -> None:
        fake = self.server.fake  # type: ignore[attr-defined]
        if site != fake.site:
            return self.answer(404, {"code": 404, "message": "Not Found"})
        files = request["files"]
        with fake.lock:
            required = sorted({d for d in files.values() if d not in fake.blobs})
            deploy = {"id": uuid.uuid4().hex, "files": files, "required": required}
            deploy["state"] = "preparing"  # "prepared" at the next look
            fake.deploys[deploy["id"]] = deploy
        return self.answer(200, {"id": deploy["id"], "state": "preparing"})

    def upload(self, deploy: dict, path: str, data: bytes) -> None:
        fake = self.server.fake  # type: ignore[attr-defined]
        with fake.lock:
            if fake.fail_uploads > 0:
                fake.fail_uploads -= 1
                return self.answer(500, {"code": 500, "message": "Internal Error"})
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        if deploy["files"].get(path) != digest:
            return self.answer(422, {"code": 422, "message": f"{path}: wrong digest"})
        with fake.lock:
            fake.blobs[digest] = data
        return self.answer(200, {"id": digest, "path": path})

    def do_POST(self):
        self.handle_one("POST")

    def do_PUT(self):
        self.handle_one("PUT")

    def do_GET(self):
        self.handle_one("GET")
