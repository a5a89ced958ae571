"""The sample snapshot builds to exactly the checked-in expected output.

When a change to templates, catalogs or the generator is intended, regenerate with
``uv run python -m sitegen.tools.golden`` and review the diff of tests/sitegen/expected/.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from jinja2 import Environment

from sitegen.compiler import FastEnvironment
from sitegen.theme import Theme
from sitegen.tools.golden import EXPECTED_DIR, build_golden, golden_files

HINT = "if intended, run: uv run python -m sitegen.tools.golden"


@pytest.mark.parametrize("compiler", ["fast", "stock"])
def test_sample_build_matches_expected_output(
    compiler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bytes whether templates are compiled by sitegen.compiler or by stock Jinja2 (the
    build's fallback for a Jinja2 release the compiler was not tested with)."""
    if compiler == "stock":
        monkeypatch.setenv("SITEGEN_JINJA", "stock")
    expected_class = Environment if compiler == "stock" else FastEnvironment
    assert type(Theme().environment("en")) is expected_class
    actual = build_golden(tmp_path / "out")
    expected = golden_files(EXPECTED_DIR)
    assert sorted(actual) == sorted(expected), HINT
    for rel, data in expected.items():
        if actual[rel] != data:
            diff = difflib.unified_diff(
                data.decode().splitlines(),
                actual[rel].decode().splitlines(),
                f"expected/{rel}",
                f"built/{rel}",
                lineterm="",
            )
            raise AssertionError("\n".join(list(diff)[:60]) + f"\n{HINT}")


def test_golden_build_covers_every_shipped_language() -> None:
    languages = {rel.split("/")[1] for rel in golden_files(EXPECTED_DIR) if rel.count("/") >= 2}
    assert {"ar", "fr", "uk", "en", "es"} <= languages
