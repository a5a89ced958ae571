"""A local HTTP server speaking the part of Algolia's search REST API (v1) that
sitegen.search.algolia uses through the real ``algoliasearch`` v4 client (no machine here
reaches Algolia), as Algolia documents it:

- ``POST /1/indexes/*/batch`` with ``{"requests": [{"action", "body", "indexName"}]}``: saves
  (``addObject``, ``updateObject``) and deletions (``deleteObject``) in several indexes, in
  order; answers ``{"taskID": {index: id}, "objectIDs": [...]}``.
- ``POST /1/indexes/{index}/batch``: the same in one index (``replace_all_objects`` fills its
  temporary index so); answers ``{"taskID": id, "objectIDs": [...]}``.
- ``POST /1/indexes/{index}/operation`` with ``{"operation": "copy" | "move", "destination",
  "scope"}``: a copy with a scope (settings, rules, synonyms) leaves the destination's records
  as they are; copying an index that does not exist makes an empty one, moving one is ignored
  (as Algolia does).
- ``DELETE /1/indexes/{index}``: the index is gone.
- ``GET /1/indexes/{index}/task/{id}``: every task is ``published`` at once (changes are
  applied when the request is answered); ``notPublished`` while ``applying`` is set (an
  Algolia slow to apply what it accepted).
- ``POST /1/indexes/{index}/query`` with ``{"query": "..."}``: the records holding every word
  of the query in one of their text values (case-insensitive substrings; Algolia's ranking and
  typo tolerance are not imitated).

Every request needs the ``x-algolia-application-id`` and ``x-algolia-api-key`` headers (403
otherwise). ``fail_requests`` makes that many requests answer 500 (fault injection); ``delay``
makes each request wait that many seconds before it is answered.
``indexes`` is what the application holds: index → objectID → record; ``requests`` every
request as (method, path, body), and ``arrived`` when each came (UTC).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.json_service import JSONHandler

APP_ID = "HOMEWARDTEST"
API_KEY = "local-test-write-key"


class FakeAlgolia:
    def __init__(self) -> None:
        self.indexes: dict[str, dict[str, dict[str, Any]]] = {}
        self.requests: list[tuple[str, str, bytes]] = []
        self.arrived: list[datetime] = []
        self.fail_requests = 0
        self.delay = 0.0
        self.applying = False
        self.tasks = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.fake = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def search(self, index: str, query: str) -> list[dict[str, Any]]:
        """The records of ``index`` a search for ``query`` finds."""
        words = query.casefold().split()
        found = []
        for record in self.indexes.get(index, {}).values():
            text = " ".join(str(v) for v in record.values() if isinstance(v, str)).casefold()
            if all(word in text for word in words):
                found.append(record)
        return found

    def bodies(self) -> list[bytes]:
        return [body for _method, _path, body in self.requests]

    def task(self) -> int:
        self.tasks += 1
        return self.tasks

    # -- the API -----------------------------------------------------------------------------

    def batch(self, index: str, operations: list[dict[str, Any]]) -> list[str]:
        records = self.indexes.setdefault(index, {})
        done = []
        for operation in operations:
            action, body = operation["action"], operation["body"]
            if action in ("addObject", "updateObject"):
                records[body["objectID"]] = body
            elif action == "deleteObject":
                records.pop(body["objectID"], None)
            else:
                raise ValueError(f"action {action} is not spoken here")
            done.append(body["objectID"])
        return done

    def operation(self, index: str, request: dict[str, Any]) -> None:
        destination = request["destination"]
        if request["operation"] == "copy" and request.get("scope"):
            self.indexes.setdefault(destination, {})  # settings only: the records stay
        elif request["operation"] == "copy":
            records = self.indexes.get(index, {})
            self.indexes[destination] = {k: dict(v) for k, v in records.items()}
        elif index in self.indexes:  # move
            self.indexes[destination] = self.indexes.pop(index)


class Handler(JSONHandler):
    """One request to the fake API (its state: ``self.server.fake``)."""

    def handle_one(self, method: str) -> None:
        fake: FakeAlgolia = self.server.fake  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlsplit(self.path).path
        parts = [unquote(part) for part in path.strip("/").split("/")]
        arrived = datetime.now(UTC)
        time.sleep(fake.delay)  # an Algolia slow to answer
        with fake.lock:
            fake.requests.append((method, path, body))
            fake.arrived.append(arrived)
            if (
                self.headers.get("x-algolia-application-id") != APP_ID
                or self.headers.get("x-algolia-api-key") != API_KEY
            ):
                return self.answer(403, {"message": "Invalid Application-ID or API key"})
            if fake.fail_requests > 0:
                fake.fail_requests -= 1
                return self.answer(500, {"message": "Internal error (injected)", "status": 500})
            if parts[:2] != ["1", "indexes"] or len(parts) < 3:
                return self.answer(404, {"message": f"no route {method} {path}"})
            request = json.loads(body) if body else {}
            index, rest = parts[2], parts[3:]
            now = datetime.now(UTC).isoformat()
            if method == "POST" and index == "*" and rest == ["batch"]:
                tasks: dict[str, int] = {}
                done = []
                for operation in request["requests"]:
                    name = operation["indexName"]
                    done += fake.batch(name, [operation])
                    tasks[name] = fake.task()
                return self.answer(200, {"taskID": tasks, "objectIDs": done})
            if method == "POST" and rest == ["batch"]:
                done = fake.batch(index, request["requests"])
                return self.answer(200, {"taskID": fake.task(), "objectIDs": done})
            if method == "POST" and rest == ["operation"]:
                fake.operation(index, request)
                return self.answer(200, {"taskID": fake.task(), "updatedAt": now})
            if method == "DELETE" and not rest:
                fake.indexes.pop(index, None)
                return self.answer(200, {"taskID": fake.task(), "deletedAt": now})
            if method == "GET" and len(rest) == 2 and rest[0] == "task":
                status = "notPublished" if fake.applying else "published"
                return self.answer(200, {"status": status})
            if method == "POST" and rest == ["query"]:
                if index not in fake.indexes:
                    return self.answer(404, {"message": "Index does not exist"})
                hits = fake.search(index, request.get("query", ""))
                return self.answer(
                    200,
                    {
                        "hits": hits,
                        "nbHits": len(hits),
                        "page": 0,
                        "nbPages": 1,
                        "hitsPerPage": max(len(hits), 20),
                        "processingTimeMS": 1,
                        "query": request.get("query", ""),
                        "params": "",
                    },
                )
            return self.answer(404, {"message": f"no route {method} {path}"})

    def do_GET(self) -> None:
        self.handle_one("GET")

    def do_POST(self) -> None:
        self.handle_one("POST")

    def do_DELETE(self) -> None:
        self.handle_one("DELETE")
