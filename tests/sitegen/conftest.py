"""Shared fixtures: a private copy of the sample snapshot and a helper to build it."""

from __future__ import annotations

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
