"""Parts of a changed site's plan kept between builds (sitegen.kept_parts): a locale whose
inputs did not change keeps its outputs' plan, and so does each case, and what is published is
byte for byte what planning everything afresh publishes — after an edit in one language, a
changed address, region, menu or setting, a takedown and a new day; and, for any sequence of
such changes, the plan is the plain path's, bilingual posters included."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import engine_fingerprint
from sitegen.plan import plan_snapshot
from sitegen.site_plans import KEPT
from sitegen.snapshot import read_snapshot
from sitegen.theme import Theme
from sitegen.tools.sample import SAMPLE_DIR
from tests.sitegen.conftest import TODAY, run_build
from tests.sitegen.test_site_plans import _published

THEME = Theme()
ENGINE = engine_fingerprint(THEME)


def _case(snapshot: Path, code: str, locale: str, case_id: str) -> Path:
    return snapshot / f"sites/{code}/{locale}/cases/{case_id}.json"


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _withdraw(snapshot: Path, code: str, case_id: str, when: str) -> None:
    """The CMS's export when a child is found: her records go, a tombstone names her pages."""
    paths = []
    for record in sorted(snapshot.glob(f"sites/{code}/*/cases/{case_id}.json")):
        locale = record.parent.parent.name
        slug = json.loads(record.read_text(encoding="utf-8"))["slug"]
        paths.append(f"/{code}/{locale}/cases/{slug}/")
        record.unlink()
    tombstone = {"id": case_id, "site": code, "kind": "case", "withdrawn_at": when, "paths": paths}
    folder = snapshot / f"tombstones/{code}/case"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{case_id}.json").write_text(json.dumps(tombstone, ensure_ascii=False), "utf-8")


class _Both:
    """The same snapshot built into two outputs after each change: one with the parts this
    process kept, one with every site planned afresh (the plain path)."""

    def __init__(self, snapshot: Path, tmp: Path) -> None:
        self.snapshot, self.kept, self.fresh = snapshot, tmp / "kept", tmp / "fresh"

    def build(self, today=TODAY) -> dict[str, set[str]]:
        """Build both; by site, the locales whose kept part the first build used."""
        before = {code: dict(parts.locales.made) for code, parts in KEPT.parts.items()}
        run_build(self.snapshot, self.kept, today=today)
        reused = {
            code: {
                locale
                for locale, kept in parts.locales.made.items()
                if before.get(code, {}).get(locale) is kept
            }
            for code, parts in KEPT.parts.items()
        }
        KEPT.clear()
        run_build(self.snapshot, self.fresh, today=today)
        assert _published(self.kept) == _published(self.fresh)
        return reused


def test_kept_parts_publish_what_fresh_plans_publish(snapshot_dir: Path, tmp_path: Path) -> None:
    both = _Both(snapshot_dir, tmp_path)
    KEPT.clear()
    both.build()

    # An editor in Mexico changes a case in Spanish: the English site is not planned again.
    _edit(
        _case(snapshot_dir, "mx", "es", "mx-0002"),
        lambda d: d.update(
            circumstances="Visto de nuevo en el mercado.", updated_at="2025-05-30T10:00:00-06:00"
        ),
    )
    assert both.build()["mx"] == {"en"}
    page = both.kept / "mx/es/cases/mateo-demostración/index.html"
    assert "Visto de nuevo en el mercado." in page.read_text(encoding="utf-8")

    # The English page gets a new address: the Spanish pages that link to it are planned again.
    _edit(_case(snapshot_dir, "mx", "en", "mx-0002"), lambda d: d.update(slug="mateo-demo-2"))
    assert both.build()["mx"] == set()
    spanish = page.read_text(encoding="utf-8")
    assert "/mx/en/cases/mateo-demo-2/" in spanish

    # A case moves to another region in Ukrainian: the English region filters link to its new
    # one; its old region's pages go from both languages when no case is left there.
    _edit(
        _case(snapshot_dir, "ua", "uk", "ua-0001"),
        lambda d: d["last_seen"].update(region="Вигадана область"),
    )
    assert both.build()["ua"] == set()

    # A page's title changes in French: the menu of every French page changes, not the Arabic.
    _edit(snapshot_dir / "sites/ma/fr/pages/about.json", lambda d: d.update(title="À propos"))
    assert both.build()["ma"] == {"ar"}

    # Oksana (Ukraine) is found: every Ukrainian locale is planned again and no file names her.
    _withdraw(snapshot_dir, "ua", "ua-0001", "2025-05-31T12:00:00+03:00")
    assert both.build()["ua"] == set()
    for path in _published(both.kept):
        data = (both.kept / path).read_bytes()
        assert "Вигаданенко".encode() not in data and b"Vyhadanenko" not in data, path

    # Mexico's English site changes its hotline; the Spanish pages link to the English site.
    _edit(
        snapshot_dir / "sites/mx/en/site.json",
        lambda d: d.update(hotline={"number": "+52 800 000 222", "label": "Hotline (demo)"}),
    )
    assert both.build()["mx"] == set()
    assert "+52 800 000 222" in (both.kept / "mx/en/index.html").read_text(encoding="utf-8")

    # A new day: ages may change, so nothing is kept; the next edit keeps what that day made.
    later = TODAY + timedelta(days=400)
    assert both.build(today=later) == {"mx": set(), "ua": set(), "ma": set()}
    _edit(
        _case(snapshot_dir, "mx", "es", "mx-0001"),
        lambda d: d.update(updated_at="2025-06-01T10:00:00-06:00"),
    )
    assert both.build(today=later)["mx"] == {"en"}


# -- any sequence of changes: the plan equals the plain path's --------------------------------

# Edits of one case record (``step`` makes each one new).
CASE_EDITS = {
    "circumstances": lambda d, step: d.update(circumstances=f"Seen again ({step})."),
    "updated": lambda d, step: d.update(updated_at=f"2025-06-{1 + step % 28:02d}T10:00:00+00:00"),
    "slug": lambda d, step: d.update(slug=f"{d['slug']}-{step}"),
    "region": lambda d, step: d["last_seen"].update(region=f"Region {step % 3}"),
    "place": lambda d, step: d["last_seen"].update(lat=10.0 + step, lon=20.0 - step),
    "missing_since": lambda d, step: d.update(
        missing_since=f"2023-0{1 + step % 9}-02T10:00:00+00:00"
    ),
}
CHANGES = (*CASE_EDITS, "remove", "add", "withdraw", "page_title", "site_hotline", "paper")


def _plan(snapshot: Path, posters: bool) -> dict[str, Any]:
    """What a whole build's plan says: every output's description, media, bundles, indexes."""
    plan = plan_snapshot(read_snapshot(snapshot), THEME, TODAY, ENGINE, whole=True, posters=posters)
    files = {
        f.path: (
            f.content_type,
            f.fingerprint,
            f.group,
            f.heavy,
            f.case_page and (f.case_page.file, f.case_page.template, f.case_page.url),
        )
        for f in plan.files
    }
    assert len(files) == len(plan.files)
    return {
        "files": files,
        "media": {p: (m.sha256, m.content_type, m.source) for p, m in plan.media.items()},
        "bundles": plan.bundles,
        "search": plan.search,
        "fragments": plan.fragment_keys,
        "sites": {k: (site.fingerprint, len(nav)) for k, (site, nav) in plan.sites.items()},
    }


def _change(snapshot: Path, kind: str, pick: int, step: int) -> None:
    """One change an export could make, to a case (``pick``), its site or its site's locale."""
    cases = sorted(snapshot.glob("sites/*/*/cases/*.json"))
    if not cases:
        return
    path = cases[pick % len(cases)]
    code, locale = path.parts[-4], path.parts[-3]
    if kind in CASE_EDITS:
        _edit(path, lambda d: CASE_EDITS[kind](d, step))
    elif kind == "remove":
        path.unlink()
    elif kind == "add":
        data = json.loads(path.read_text(encoding="utf-8"))
        new_id = f"{code}-9{step:03d}"
        data.update(id=new_id, slug=f"new-{step}", case_number=f"NEW-{step}")
        path.with_name(f"{new_id}.json").write_text(json.dumps(data), encoding="utf-8")
    elif kind == "withdraw":
        _withdraw(snapshot, code, path.stem, f"2025-06-{1 + step % 28:02d}T10:00:00+00:00")
    elif kind == "page_title":
        page = snapshot / f"sites/{code}/{locale}/pages/about.json"
        if page.is_file():
            _edit(page, lambda d: d.update(title=f"About ({step})"))
    elif kind == "site_hotline":
        site = snapshot / f"sites/{code}/{locale}/site.json"
        _edit(site, lambda d: d["hotline"].update(number=f"+1 800 000 {step:03d}"))
    else:  # the paper size of every poster of the site
        for site in snapshot.glob(f"sites/{code}/*/site.json"):
            _edit(site, lambda d: d.update(paper_size="Letter" if step % 2 else "A4"))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(CHANGES), st.integers(0, 1000)), min_size=1, max_size=6
    ),
    posters=st.booleans(),
)
def test_any_changes_plan_what_the_plain_path_plans(steps, posters) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        snapshot = Path(temporary) / "content"
        shutil.copytree(SAMPLE_DIR, snapshot)
        KEPT.clear()
        _plan(snapshot, posters)
        for step, (kind, pick) in enumerate(steps):
            _change(snapshot, kind, pick, step)
            kept = _plan(snapshot, posters)
            KEPT.clear()  # the plain path: nothing kept
            assert kept == _plan(snapshot, posters), (step, kind)


def test_a_bilingual_poster_follows_its_partner_language(snapshot_dir: Path) -> None:
    """Morocco's posters in Arabic carry the French text: a French edit changes them."""
    KEPT.clear()
    before = _plan(snapshot_dir, posters=True)["files"]
    french = sorted(snapshot_dir.glob("sites/ma/fr/cases/*.json"))[0]
    _edit(french, lambda d: d.update(clothing="Veste rouge"))
    after = _plan(snapshot_dir, posters=True)["files"]
    case_id = french.stem
    arabic = json.loads((french.parents[2] / f"ar/cases/{case_id}.json").read_text("utf-8"))
    poster = f"ma/ar/cases/{arabic['slug']}/poster.pdf"
    assert poster in before and before[poster][1] != after[poster][1]
