"""python -m cms.publishing.static_server PORT DIRECTORY — the local stand-in for the CDN.

Serves the generated sites as the CDN would: only published files. The generator keeps its
build state beside them (dot-files), which is not public; any path with a dot-segment is 404.
"""

import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class PublishedFilesHandler(SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if any(part.startswith(".") for part in path.split("/") if part):
            self.send_error(404)
            return None
        return super().send_head()

    def log_message(self, format, *args):  # noqa: A002 — the standard library's signature
        pass


def main(argv: list[str]) -> None:
    port, directory = int(argv[0]), argv[1]
    handler = functools.partial(PublishedFilesHandler, directory=directory)
    ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
