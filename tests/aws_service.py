"""moto's S3 and CloudFront server for the tests (sitegen.tools.local_aws: no machine here can
reach AWS; what the deploy sends is real HTTP, signed, to that server).

``DroppingProxy`` stands between boto3 and the server to cut connections part-way (fault
injection): after a number of uploads it drops every connection and refuses new ones until
``heal()``.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading

from sitegen.tools.local_aws import MOTO_KEY, MOTO_SECRET, endpoint_environment


def use_endpoint(monkeypatch, address: str, key: str = MOTO_KEY, secret: str = MOTO_SECRET):
    """Point boto3 at ``address`` with these credentials, as a deploy's environment would."""
    for name, value in endpoint_environment(address, key, secret).items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    import boto3

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # it keeps the credentials it first found


def invalidated(distribution: str) -> list[list[str]]:
    """The addresses of each invalidation made on the distribution, oldest first."""
    import boto3

    cloudfront = boto3.client("cloudfront")
    items = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
    batches = []
    for summary in items.get("Items", []):
        found = cloudfront.get_invalidation(DistributionId=distribution, Id=summary["Id"])
        batches.append(found["Invalidation"]["InvalidationBatch"]["Paths"].get("Items", []))
    return batches


class DroppingProxy:
    """A TCP relay to ``upstream`` (host, port) that counts the PUT requests it passes and,
    from the ``after``-th on, drops every connection and refuses new ones."""

    def __init__(self, upstream: tuple[str, int], after: int) -> None:
        self.upstream, self.after = upstream, after
        self.puts = 0
        self.broken = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def heal(self) -> None:
        with self.lock:
            self.broken, self.after = False, 10**9

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.broken:
                    client.close()
                    continue
                self.connections.append(client)
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        server = socket.create_connection(self.upstream)
        ends = {client: server, server: client}
        try:
            while not self.broken:
                ready, _, _ = select.select(list(ends), [], [], 0.1)
                for end in ready:
                    data = end.recv(65536)
                    if not data:
                        return
                    if end is client and data.startswith(b"PUT "):
                        with self.lock:
                            self.puts += 1
                            if self.puts > self.after:
                                self._break()
                                return
                    ends[end].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            server.close()

    def _break(self) -> None:
        self.broken = True
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.connections.clear()

    def close(self) -> None:
        self.listener.close()
