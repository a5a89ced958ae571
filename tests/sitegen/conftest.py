"""Shared fixtures: a private copy of the sample snapshot and a helper to build it."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from sitegen.build import BuildReport, build
from sitegen.tools.golden import GOLDEN_TODAY
from sitegen.tools.sample import SAMPLE_DIR
from tests.algolia_service import FakeAlgolia

TODAY: date = GOLDEN_TODAY


@pytest.fixture
def snapshot_dir(tmp_path: Path) -> Path:
    """A copy of content/sample that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE_DIR, target)
    return target


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    return tmp_path / "output"


def run_build(content: Path, output: Path, **options) -> BuildReport:
    options.setdefault("today", TODAY)
    return build(content, output, **options)


def output_files(output: Path, prefix: str = "") -> dict[str, bytes]:
    """Every file of a build's output (or those under ``prefix``) and its bytes."""
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file() and path.relative_to(output).as_posix().startswith(prefix)
    }


def edit_record(content: Path, rel: str, **fields: object) -> None:
    """Change fields of the snapshot's record ``rel``."""
    path = content / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


MARIIA_PHOTO = "media/dd51f0689d5a2c3da11f4a35b91513aa4794a783a93c92b3d57a3d40647484ce.jpg"


def mariia_found(content: Path) -> None:
    """Марія (ua-0003) is found: the export deletes her records and photo and writes a
    tombstone at her old addresses."""
    for locale in ("uk", "en"):
        (content / f"sites/ua/{locale}/cases/ua-0003.json").unlink()
    (content / MARIIA_PHOTO).unlink()
    tombstone = {
        "id": "ua-0003",
        "site": "ua",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00+03:00",
        "paths": ["/ua/en/cases/mariia-testova/", "/ua/uk/cases/марія-тестова/"],
    }
    (content / "tombstones/ua/case/ua-0003.json").write_text(
        json.dumps(tombstone, ensure_ascii=False), encoding="utf-8"
    )


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once per test session (read-only for tests)."""
    output = tmp_path_factory.mktemp("sample-build")
    build(SAMPLE_DIR, output, today=TODAY)
    return output


@pytest.fixture
def algolia():
    """A local server speaking the part of Algolia's API used (tests/algolia_service.py)."""
    fake = FakeAlgolia()
    yield fake
    fake.close()
