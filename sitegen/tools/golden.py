"""Golden output: build the sample snapshot on a pinned date and keep the result as expected text.

``python -m sitegen.tools.golden`` rewrites ``tests/sitegen/expected/`` from ``content/sample``;
``tests/sitegen/test_golden.py`` builds again and diffs. Review the diff of expected/ like code: it
is what a template, catalog or generator change does to the published sites (Arabic, French,
Ukrainian, Spanish and English pages included). Media, poster and share-image bytes and vendored
scripts are not copied (their hashes are in ``manifest.json``), nor is the unpublished build state.

It writes only into the expected folder it is given, which it replaces entirely.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from sitegen.build import build
from sitegen.tools.sample import SAMPLE_DIR
from sitegen.writer import STATE

GOLDEN_TODAY = date(2025, 6, 1)
# Posters and share images are compared by their sha256 in manifest.json, not byte by byte.
BINARY = {".pdf", ".jpg"}
EXPECTED_DIR = Path(__file__).resolve().parents[2] / "tests" / "sitegen" / "expected"


def golden_files(output: Path) -> dict[str, bytes]:
    """The files of a build that the golden test compares, by relative path."""
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
        and path.name != STATE
        and path.relative_to(output).parts[0] not in {"media", "vendor"}
        and path.suffix not in BINARY
    }


def build_golden(output: Path, content: Path = SAMPLE_DIR) -> dict[str, bytes]:
    build(content, output, today=GOLDEN_TODAY, posters=True, search=False)  # search: its own tests
    return golden_files(output)


def regenerate(expected: Path = EXPECTED_DIR) -> int:
    with tempfile.TemporaryDirectory() as temporary:
        files = build_golden(Path(temporary) / "out")
    if expected.exists():
        shutil.rmtree(expected)
    for rel, data in files.items():
        target = expected / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else EXPECTED_DIR
    print(f"{regenerate(target)} expected files written to {target}")
