"""Site plans kept between builds (sitegen.site_plans): a site whose records did not change keeps
its plan, and what is published is byte for byte what planning every site afresh publishes —
after an edit in one country, a takedown in another, a change of a country's settings and a
new day."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

from sitegen.build import plan_ahead
from sitegen.site_plans import KEPT
from sitegen.writer import STATE
from tests.sitegen.conftest import TODAY, run_build

SITES = ("mx", "ua", "ma")


def _published(output: Path) -> dict[str, str]:
    """Every published file (the manifest included) and the sha256 of its bytes."""
    return {
        path.relative_to(output).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(output.rglob("*"))
        if path.is_file() and path.name != STATE
    }


def _edit(snapshot: Path, rel: str, **changes) -> None:
    path = snapshot / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class _Both:
    """The same snapshot built into two outputs after each change: one with the plans this
    process kept, one with every site planned afresh (the plain path)."""

    def __init__(self, snapshot: Path, tmp: Path) -> None:
        self.snapshot, self.kept, self.fresh = snapshot, tmp / "kept", tmp / "fresh"

    def build(self, today=TODAY) -> set[str]:
        """Build both; the sites whose kept plan the first build used."""
        before = dict(KEPT.by_site)
        run_build(self.snapshot, self.kept, today=today)
        reused = {code for code in SITES if KEPT.by_site.get(code) is before.get(code)}
        KEPT.clear()
        run_build(self.snapshot, self.fresh, today=today)
        assert _published(self.kept) == _published(self.fresh)
        return reused


def test_kept_plans_publish_what_fresh_plans_publish(snapshot_dir: Path, tmp_path: Path) -> None:
    both = _Both(snapshot_dir, tmp_path)
    KEPT.clear()
    assert both.build() == set()  # nothing kept yet: every site planned

    # An editor in Mexico changes a case: only Mexico is planned again.
    _edit(
        snapshot_dir,
        "sites/mx/es/cases/mx-0002.json",
        circumstances="Visto de nuevo cerca de la estación.",
        updated_at="2025-05-30T10:00:00-06:00",
    )
    assert both.build() == {"ua", "ma"}
    page = both.kept / "mx/es/cases/mateo-demostración/index.html"
    assert "Visto de nuevo cerca de la estación." in page.read_text(encoding="utf-8")

    # Oksana (Ukraine) is found: her records give way to a tombstone; her pages go.
    for locale in ("uk", "en"):
        os.remove(snapshot_dir / f"sites/ua/{locale}/cases/ua-0001.json")
    tombstone = {
        "id": "ua-0001",
        "site": "ua",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00+03:00",
        "paths": ["/ua/uk/cases/оксана-вигаданенко/", "/ua/en/cases/oksana-vyhadanenko/"],
    }
    (snapshot_dir / "tombstones/ua/case/ua-0001.json").write_text(
        json.dumps(tombstone, ensure_ascii=False), encoding="utf-8"
    )
    assert both.build() == {"mx", "ma"}
    for path, _digest in _published(both.kept).items():
        data = (both.kept / path).read_bytes()
        assert "Вигаданенко".encode() not in data and b"Vyhadanenko" not in data, path

    # Her tombstone comes again with an older address of hers: a notice answers there too.
    tombstone["paths"].append("/ua/en/cases/oksana-v/")
    (snapshot_dir / "tombstones/ua/case/ua-0001.json").write_text(
        json.dumps(tombstone, ensure_ascii=False), encoding="utf-8"
    )
    assert both.build() == {"mx", "ma"}
    assert (both.kept / "ua/en/cases/oksana-v/index.html").is_file()

    # Morocco's hotline changes: every Moroccan page shows the new number.
    _edit(
        snapshot_dir,
        "sites/ma/fr/site.json",
        hotline={"number": "+212 800 000 111", "label": "Ligne nationale (démo)"},
    )
    assert both.build() == {"mx", "ua"}
    assert "+212 800 000 111" in (both.kept / "ma/fr/index.html").read_text(encoding="utf-8")

    # A new day: ages may change everywhere, so no plan is kept.
    assert both.build(today=TODAY + timedelta(days=400)) == set()
    # And nothing changed since: every plan is kept, nothing is written.
    assert both.build(today=TODAY + timedelta(days=400)) == set(SITES)


def test_a_worker_that_plans_ahead_plans_only_the_changed_site_at_its_first_publish(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    both = _Both(snapshot_dir, tmp_path)
    both.build()
    published = _published(both.kept)
    KEPT.clear()  # the worker restarts: nothing kept
    assert plan_ahead(snapshot_dir, both.kept, today=TODAY) == len(SITES)
    assert _published(both.kept) == published  # planned, nothing written
    _edit(
        snapshot_dir,
        "sites/ua/uk/cases/ua-0001.json",
        circumstances="Бачили біля вокзалу.",
        updated_at="2025-05-30T10:00:00+03:00",
    )
    assert both.build() == {"mx", "ma"}  # and what it publishes is what planning afresh does
