"""Fixtures for the face engine's tests: the shared face photos and one engine per session.

The photos live in ``shared/data/faces`` beside the project's checkout and are read in place;
they must never be copied into the project. Tests that need them skip when they are absent
(and fail in CI: tests/no_skips_in_ci.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from match_worker.engine import FaceEngine

FACES = Path(__file__).parents[2].parent / "shared/data/faces"
MIXED = FACES / "mixed"
LFW = FACES / "lfw-subset"


def _require(folder: Path) -> Path:
    if not folder.is_dir():
        pytest.skip(f"face photos not found at {folder} (shared/data/faces beside the checkout)")
    return folder


@pytest.fixture(scope="session")
def mixed() -> Path:
    """The folder of mixed photos of two well-known adults."""
    return _require(MIXED)


@pytest.fixture(scope="session")
def lfw() -> Path:
    """The LFW subset: 10 people × 10 photos, one folder per person."""
    return _require(LFW)


@pytest.fixture(scope="session")
def engine() -> FaceEngine:
    return FaceEngine()


@pytest.fixture(scope="session")
def reference(mixed: Path, engine: FaceEngine) -> dict[str, np.ndarray]:
    """Encodings of the single faces in obama.jpg and biden.jpg."""
    encodings = {}
    for name in ("obama", "biden"):
        faces = engine.faces(mixed / f"{name}.jpg")
        assert len(faces) == 1, f"{name}.jpg should show one face"
        encodings[name] = faces[0].encoding
    return encodings
