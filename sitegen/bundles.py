"""Print for my area: each region's posters joined into one PDF (``…/cases/region/<slug>/
posters.pdf``), for a police station or a volunteer to print them all at once.

The posters are rendered once, by the build; this step, after the build has written them, joins
the region's published poster files (pdfium's page import: no second rendering, milliseconds a
poster) and writes the bundles whose posters changed, in a commit of its own. A poster that
could not be made is left out of its bundle, as it is of the site. The posters within a radius of
a place are joined in the visitor's browser by the print page (``print-near.js``): the same
posters, with no file per place and radius.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import replace

import pypdfium2

from sitegen.writer import Change, OutputDir, published_digest

FILE = "posters.pdf"
_SUFFIX = f"/{FILE}"
# The most recent posters of a region a bundle holds: about 3 MB and 0.1 s to join; more than a
# volunteer would print at once.
MAX_POSTERS = 100
# Around a place, within the radius a visitor picks, the print page joins the posters in the
# browser (themes/default/static/print-near.js, with pdf-lib), the nearest first, up to this many:
# about 15 MB to fetch. Made here, every place and radius would be a file of its own.
MAX_POSTERS_NEAR = 200


def join(pdfs: list[bytes]) -> bytes:
    """One PDF with every page of ``pdfs``, in order."""
    bundle = pypdfium2.PdfDocument.new()
    try:
        for data in pdfs:
            source = pypdfium2.PdfDocument(data)
            try:
                bundle.import_pages(source)
            finally:
                source.close()
        out = io.BytesIO()
        bundle.save(out)
        return _stable_id(out.getvalue())
    finally:
        bundle.close()


TRAILER_ID = re.compile(rb"/ID\s*\[<([0-9A-Fa-f]+)><([0-9A-Fa-f]+)>\]")
CREATED = re.compile(rb"/CreationDate\(D:\d{14}")


def _stable_id(data: bytes) -> bytes:
    """The same posters make the same bytes: pdfium dates each file it makes and names it with a
    random ID. The date becomes a fixed one of the same length (the cross-reference table's
    offsets stay right), the ID one made from the file's content."""
    data = CREATED.sub(b"/CreationDate(D:20000101000000", data)
    found = list(TRAILER_ID.finditer(data))
    if not found:
        return data
    last = found[-1]
    blank = data[: last.start()] + data[last.end() :]
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    size = len(last.group(1))
    fixed = digest.ljust(size, b"0")[:size]
    return data[: last.start()] + b"/ID[<" + fixed + b"><" + fixed + b">]" + data[last.end() :]


def is_bundle(path: str) -> bool:
    return path.endswith(_SUFFIX)


def update(
    output: OutputDir, wanted: dict[str, list[str]], in_scope: Callable[[str], bool]
) -> tuple[list[str], list[str]]:
    """Bring every bundle of ``wanted`` (bundle path → poster paths, in order) up to date with
    the posters the build published; delete the bundles of the build's scope no longer wanted.
    Returns what it wrote and what it deleted."""
    if not wanted and not any(p.endswith(_SUFFIX) and in_scope(p) for p in output.manifest):
        return [], []  # no posters made, none left from an earlier build
    manifest = dict(output.manifest)
    fingerprints = dict(output.state.outputs)
    changes = []
    for path, posters in sorted(wanted.items()):
        present = [poster for poster in posters if poster in manifest]
        fingerprint = published_digest(manifest, present)
        if fingerprints.get(path) == fingerprint and output.has(path):
            continue
        if not present:
            continue
        data = join([output.target(poster).read_bytes() for poster in present])
        manifest[path] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "content_type": "application/pdf",
        }
        fingerprints[path] = fingerprint
        changes.append(Change(path, data=data))
    gone = [p for p in manifest if is_bundle(p) and in_scope(p) and p not in wanted]
    gone += [p for p, posters in wanted.items() if p in manifest and not _any(posters, manifest)]
    gone = sorted(set(gone))
    for path in gone:
        manifest.pop(path, None)
        fingerprints.pop(path, None)
    if changes or gone:
        state = replace(output.state, outputs=fingerprints)
        output.commit(changes, gone, manifest, state)
    return [change.path for change in changes], gone


def _any(posters: list[str], manifest: dict[str, dict[str, str]]) -> bool:
    return any(poster in manifest for poster in posters)
