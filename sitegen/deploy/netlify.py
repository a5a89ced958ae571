"""A Netlify site, through Netlify's deploy API (the file digest method).

Every deploy is a whole new version of the site, made live at once when complete (Netlify's
atomic deploys): this sends the SHA-1 of every published file (``POST
/sites/{site}/deploys``), Netlify answers with the digests it has never seen, only those files
are uploaded (``PUT /deploys/{id}/files/{path}``), and the deploy goes live when Netlify says
it is ``ready``. A file left out of a deploy is gone from the live site, and Netlify's CDN
serves the new version at once: a found child's files go with the next deploy. A deploy that
stops part-way never goes live; the next one sends only what Netlify still lacks.

The token comes from ``NETLIFY_AUTH_TOKEN``; ``NETLIFY_API_URL`` points elsewhere than
``https://api.netlify.com/api/v1`` (the tests' local server). ``_headers`` and ``_redirects``
in the output carry the headers, the 404 pages and the root's redirects (sitegen.plan).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import urllib3

from sitegen.deploy import DeployError, DeployReport, beside

API = "https://api.netlify.com/api/v1"
UPLOADS_AT_ONCE = 8
READY_WITHIN = 300  # seconds Netlify may take to process a deploy


class NetlifyTarget:
    def __init__(self, site: str) -> None:
        token = os.environ.get("NETLIFY_AUTH_TOKEN", "")
        if not token:
            raise DeployError(f"netlify://{site}: set NETLIFY_AUTH_TOKEN (a personal access token)")
        self.site = site
        self.api = os.environ.get("NETLIFY_API_URL", API).rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}", "User-Agent": "homeward-sitegen"}
        retry = urllib3.Retry(
            total=5,
            backoff_factor=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=None,  # every request here may be repeated
            raise_on_status=False,
        )
        self.http = urllib3.PoolManager(maxsize=UPLOADS_AT_ONCE, retries=retry, timeout=60.0)
        self.requests = 0
        self._lock = threading.Lock()

    def _call(self, method: str, path: str, what: str, **options: Any) -> Any:
        with self._lock:
            self.requests += 1
        headers = {**self.headers, **options.pop("headers", {})}
        try:
            answer = self.http.request(method, self.api + path, headers=headers, **options)
        except urllib3.exceptions.HTTPError as problem:
            raise DeployError(f"netlify://{self.site}: {what} failed: {problem}") from None
        if answer.status == 401:
            raise DeployError(
                f"netlify://{self.site}: {what} refused (401): check NETLIFY_AUTH_TOKEN"
            )
        if answer.status >= 300:
            text = answer.data.decode("utf-8", "replace")[:300]
            raise DeployError(f"netlify://{self.site}: {what} failed: {answer.status} {text}")
        return json.loads(answer.data or b"{}")

    def deploy(self, output: Path, manifest: dict[str, dict[str, str]]) -> DeployReport:
        started = time.perf_counter()
        digests = _sha1s(output, manifest)
        files = {"/" + path: digest for path, digest in digests.items()}
        made = self._call(
            "POST",
            f"/sites/{quote(self.site, safe='')}/deploys",
            "creating the deploy",
            body=json.dumps({"files": files, "async": True}),
            headers={"Content-Type": "application/json"},
        )
        deploy_id = made["id"]
        made = self._wait(deploy_id, ("prepared", "uploading", "uploaded", "ready"), made)
        required = set(made.get("required") or [])
        uploads = {}  # one file for each digest Netlify lacks
        for path, digest in sorted(digests.items()):
            if digest in required and digest not in uploads:
                uploads[digest] = path
        with ThreadPoolExecutor(UPLOADS_AT_ONCE) as pool:
            for done in pool.map(lambda path: self._put(deploy_id, output, path), uploads.values()):
                del done
        self._wait(deploy_id, ("ready",), None)
        report = DeployReport(f"netlify://{self.site}", uploaded=sorted(uploads.values()))
        report.requests, report.seconds = self.requests, time.perf_counter() - started
        return report

    def _put(self, deploy_id: str, output: Path, path: str) -> None:
        body = (output / path).read_bytes()
        self._call(
            "PUT",
            f"/deploys/{deploy_id}/files/{quote(path, safe='/')}",
            f"upload of {path}",
            body=body,
            headers={"Content-Type": "application/octet-stream"},
        )

    def _wait(
        self, deploy_id: str, states: tuple[str, ...], known: dict[str, Any] | None
    ) -> dict[str, Any]:
        deadline = time.monotonic() + READY_WITHIN
        answer = known
        while answer is None or answer.get("state") not in states:
            if answer is not None and answer.get("state") == "error":
                raise DeployError(
                    f"netlify://{self.site}: deploy {deploy_id} failed at Netlify: "
                    f"{answer.get('error_message', 'no reason given')}"
                )
            if time.monotonic() > deadline:
                raise DeployError(
                    f"netlify://{self.site}: deploy {deploy_id} not {states[0]} after "
                    f"{READY_WITHIN} s (state {answer.get('state') if answer else '?'})"
                )
            if answer is not None:
                time.sleep(0.2)
            answer = self._call("GET", f"/deploys/{deploy_id}", "reading the deploy's state")
        return answer


def _sha1s(output: Path, manifest: dict[str, dict[str, str]]) -> dict[str, str]:
    """Netlify's digest (SHA-1) of each published file, remembered by its SHA-256 beside the
    output folder so that a deploy reads only the files that changed."""
    memo_path = beside(output, "netlify-sha1.json")
    try:
        memo: dict[str, str] = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    digests = {}
    for path, entry in manifest.items():
        known = memo.get(entry["sha256"])
        if known is None:
            data = (output / path).read_bytes()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise DeployError(f"{output / path}: not what the manifest says; build again")
            known = memo[entry["sha256"]] = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        digests[path] = known
    wanted = {entry["sha256"] for entry in manifest.values()}
    memo_path.write_text(json.dumps({k: v for k, v in memo.items() if k in wanted}), "utf-8")
    return digests
