"""The local stand-in for the CDN serves published files and never the generator's state."""

import threading
import urllib.error
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer

from cms.publishing.static_server import PublishedFilesHandler


def test_serves_pages_but_not_dot_files(tmp_path):
    (tmp_path / "mx/es").mkdir(parents=True)
    (tmp_path / "mx/es/index.html").write_text("<h1>México</h1>")
    (tmp_path / ".sitegen-state.db").write_text("internal")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(PublishedFilesHandler, directory=tmp_path)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/mx/es/") as response:  # noqa: S310
            assert "México" in response.read().decode()
        for path in ("/.sitegen-state.db", "/mx/../.sitegen-state.db"):
            try:
                urllib.request.urlopen(base + path)  # noqa: S310
                raise AssertionError(f"{path} was served")
            except urllib.error.HTTPError as error:
                assert error.code == 404
    finally:
        server.shutdown()
        server.server_close()
