"""The shortcuts of a fast build give the same result as doing everything.

Parallel rendering, the per-record cache in the build state, the no-change shortcut and the
manifest writer are each checked against the plain path they replace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from sitegen import workers as workers_module
from sitegen.compiler import quick_escape
from sitegen.errors import SnapshotError
from sitegen.schema import fast_check, validator
from sitegen.theme import Theme
from sitegen.tools.golden import golden_files
from sitegen.writer import MANIFEST, STATE, OutputDir, manifest_bytes
from tests.sitegen.conftest import TODAY, run_build

CASE_FILE = "sites/mx/es/cases/mx-0002.json"
CASE_PAGE = "mx/es/cases/mateo-demostración/index.html"


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render the (small) sample in two forked workers, as a big snapshot would be."""
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    monkeypatch.setattr(workers_module, "PARALLEL_THRESHOLD", 1)


def test_parallel_build_writes_the_same_files(
    parallel: None, snapshot_dir: Path, built_sample: Path, tmp_path: Path
) -> None:
    output = tmp_path / "parallel"
    report = run_build(snapshot_dir, output)
    # A first build into an empty folder writes every page (only media can be found in place).
    assert any(path.endswith("index.html") for path in report.written)
    assert [path for path in report.unchanged if not path.startswith("media/")] == []
    assert golden_files(output) == golden_files(built_sample)
    assert (output / STATE).is_file()


def test_pages_made_ahead_count_only_where_the_plan_agrees(
    parallel: None,
    snapshot_dir: Path,
    built_sample: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers render case pages before the plan exists; a page made ahead from a description
    the plan does not share (here: a wrong address, wrong language links) is made again, and
    nothing made for the wrong address is ever written."""
    real = workers_module.case_pages_ahead
    made = tmp_path / "made-ahead.txt"  # written by the worker processes

    def wrong_ahead(snapshot):
        sites, pages = real(snapshot)
        files = sorted(pages)
        first = pages[files[0]]
        pages[files[0]] = first._replace(url=first.url.replace("/cases/", "/wrong/"))
        if len(files) > 1:
            pages[files[1]] = pages[files[1]]._replace(context={"alternates": []})
        with made.open("a", encoding="utf-8") as handle:
            handle.write("".join(f"{file}\n" for file in files))
        return sites, pages

    monkeypatch.setattr(workers_module, "case_pages_ahead", wrong_ahead)
    output = tmp_path / "ahead"
    run_build(snapshot_dir, output)
    assert len(made.read_text(encoding="utf-8").split()) > 2  # pages were made ahead
    assert golden_files(output) == golden_files(built_sample)
    assert not [path for path in output.rglob("*") if "/wrong/" in str(path)]


def test_template_error_in_a_worker_writes_nothing(
    parallel: None, snapshot_dir: Path, output_dir: Path, tmp_path: Path
) -> None:
    theme_dir = tmp_path / "themes"
    source = Theme().path
    for path in source.rglob("*"):
        if path.is_file():
            target = theme_dir / "broken" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    case = theme_dir / "broken/templates/case.html"
    case.write_text(case.read_text().replace("{{ case.name }}", "{{ case.no_such_field }}"))
    with pytest.raises(Exception, match="no_such_field"):
        run_build(snapshot_dir, output_dir, theme=Theme("broken", theme_dir))
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_a_build_that_fails_after_writing_case_pages_early_takes_them_back(
    parallel: None, snapshot_dir: Path, output_dir: Path
) -> None:
    """Case pages made ahead are written while the rest is still being made; when the build
    then fails (here: a photo whose bytes are not those its name promises, found once every
    page is rendered), they are deleted again and the output folder is left as it was."""
    written: list[str] = []
    real = OutputDir.note_early

    def note_early(self: OutputDir, paths: list[str]) -> None:
        written.extend(paths)
        real(self, paths)

    photo = next((snapshot_dir / "media").glob("*.jpg"))
    photo.write_bytes(photo.read_bytes() + b"changed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OutputDir, "note_early", note_early)
        with pytest.raises(SnapshotError, match="content sha256"):
            run_build(snapshot_dir, output_dir)
    assert any("/cases/" in path for path in written)  # case pages were written early
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_the_next_build_deletes_what_a_stopped_build_wrote_early(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """A build stopped after writing new files early (its journal still there) leaves files no
    manifest lists — for instance the page of a case found since: the next build deletes them."""
    from sitegen.writer import JOURNAL

    run_build(snapshot_dir, output_dir)
    ghost = output_dir / "mx/es/cases/ghost/index.html"
    ghost.parent.mkdir(parents=True)
    ghost.write_text("<h1>Name of a child found since</h1>", encoding="utf-8")
    (output_dir / JOURNAL).write_text("mx/es/cases/ghost/index.html\nmx/es/index.html\n")
    run_build(snapshot_dir, output_dir)
    assert not ghost.parent.exists()
    assert (output_dir / "mx/es/index.html").is_file()  # listed by the manifest: kept
    assert not (output_dir / JOURNAL).exists()


def test_a_rebuild_in_the_same_process_follows_a_new_site_address(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """hreflang links, kept between builds in a process, are made again for a new address."""
    run_build(snapshot_dir, output_dir)
    for site in (snapshot_dir / "sites/mx").glob("*/site.json"):
        data = json.loads(site.read_text(encoding="utf-8"))
        data["base_url"] = "https://desaparecidos.example.mx"
        site.write_text(json.dumps(data), encoding="utf-8")
    run_build(snapshot_dir, output_dir)
    page = next((output_dir / "mx/es/cases").glob("*/index.html")).read_text(encoding="utf-8")
    hreflang = [line for line in page.splitlines() if "hreflang=" in line and "<link" in line]
    assert hreflang
    assert all("https://desaparecidos.example.mx/mx/" in line for line in hreflang)
    assert "mx.homeward.example" not in page


def test_touched_record_is_not_rerendered(snapshot_dir: Path, output_dir: Path) -> None:
    run_build(snapshot_dir, output_dir)
    record = snapshot_dir / CASE_FILE
    stat = record.stat()
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report = run_build(snapshot_dir, output_dir)
    assert report.rendered == [] and report.written == []


def test_cached_records_still_feed_a_changed_listing(snapshot_dir: Path, output_dir: Path) -> None:
    """One case changes; listings and the feed, made from the others' cached summaries, are
    the same bytes a build from scratch makes."""
    run_build(snapshot_dir, output_dir)
    path = snapshot_dir / CASE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(given_name="Mateito", updated_at="2025-05-20T10:00:00-06:00")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = run_build(snapshot_dir, output_dir)
    assert CASE_PAGE in report.written and "mx/es/cases/index.html" in report.written
    fresh = output_dir.parent / "fresh"
    run_build(snapshot_dir, fresh)
    assert golden_files(output_dir) == golden_files(fresh)


def test_unchanged_rebuild_repairs_a_deleted_output(snapshot_dir: Path, output_dir: Path) -> None:
    run_build(snapshot_dir, output_dir)
    (output_dir / CASE_PAGE).unlink()
    report = run_build(snapshot_dir, output_dir)
    assert report.written == [CASE_PAGE]
    assert (output_dir / CASE_PAGE).is_file()


def test_changed_rebuild_trusts_the_manifest_and_the_next_unchanged_one_repairs(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """A build with changes does not stat every skipped output; an unchanged one checks them."""
    run_build(snapshot_dir, output_dir)
    (output_dir / "mx/es/404.html").unlink()
    path = snapshot_dir / CASE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(circumstances="Seen later near the bus terminal.")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    changed = run_build(snapshot_dir, output_dir)
    assert changed.written == [CASE_PAGE]
    repaired = run_build(snapshot_dir, output_dir)
    assert repaired.written == ["mx/es/404.html"]
    (output_dir / "mx/es/404.html").unlink()
    data.update(circumstances="Seen again near the market.")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    verified = run_build(snapshot_dir, output_dir, verify=True)
    assert set(verified.written) == {CASE_PAGE, "mx/es/404.html"}
    fresh = output_dir.parent / "fresh"
    run_build(snapshot_dir, fresh)
    assert golden_files(output_dir) == golden_files(fresh)


def test_a_build_by_another_process_is_seen_by_the_next_build_here(
    snapshot_dir: Path, output_dir: Path
) -> None:
    """This process keeps the manifest and state of its last build; when another process (the
    CLI, a second worker) built into the same folder since, they are read again from disk."""
    run_build(snapshot_dir, output_dir)
    original = (output_dir / CASE_PAGE).read_bytes()
    path = snapshot_dir / CASE_FILE
    before = path.read_text(encoding="utf-8")
    data = json.loads(before)
    data.update(circumstances="Seen later near the bus terminal.")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "sitegen", "build", str(snapshot_dir), str(output_dir)]
    subprocess.run([*command, "--today", TODAY.isoformat()], check=True, capture_output=True)  # noqa: S603
    assert b"bus terminal" in (output_dir / CASE_PAGE).read_bytes()

    path.write_text(before, encoding="utf-8")
    report = run_build(snapshot_dir, output_dir)
    assert report.written == [CASE_PAGE]
    assert (output_dir / CASE_PAGE).read_bytes() == original


def test_unchanged_rebuild_reports_every_file_unchanged(
    snapshot_dir: Path, output_dir: Path
) -> None:
    first = run_build(snapshot_dir, output_dir)
    second = run_build(snapshot_dir, output_dir)
    assert second.unchanged == sorted(first.written)
    assert second.rendered == [] and second.written == [] and second.deleted == []


def test_the_manifest_is_json_sorted_by_path_readable_in_any_script(built_sample: Path) -> None:
    manifest = OutputDir(built_sample).manifest
    manifest['odd "path" \\ é'] = {"sha256": "0" * 64, "content_type": "text/plain"}
    text = manifest_bytes(manifest).decode("utf-8")
    assert json.loads(text) == manifest
    assert list(json.loads(text)) == sorted(manifest)  # in the order of the text
    assert 'odd \\"path\\" \\\\ é' in text  # a path in any script is shown as it is
    assert manifest_bytes({}) == b"{}"
    published = (built_sample / MANIFEST).read_text(encoding="utf-8")
    assert published.endswith("}\n") and "ua/uk/cases/оксана-вигаданенко/index.html" in published


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", None),
        ("date_of_birth", "2012-05-01"),
        ("date_of_birth", "yesterday"),
        ("date_of_birth", 7),
        ("height", None),
        ("height", {"value": 120, "unit": "cm"}),
        ("height", {"value": 120, "unit": "ft"}),
        ("height", {"value": 120}),
        ("height", "tall"),
        ("weight", []),
    ],
)
def test_compiled_schema_agrees_with_jsonschema(field: str, value: object) -> None:
    from sitegen.tools.sample import SAMPLE_DIR

    record = json.loads((SAMPLE_DIR / "sites/mx/es/cases/mx-0001.json").read_text())
    record[field] = value
    assert fast_check("case")(record) == validator("case").is_valid(record)


def test_state_keeps_only_fragments_in_use(snapshot_dir: Path, output_dir: Path) -> None:
    """Feed entries and sitemap parts are reused from the state; a removed case's are dropped,
    and its name is not left behind in the state file either."""
    import sqlite3

    run_build(snapshot_dir, output_dir)
    for locale in ("es", "en"):
        os.remove(snapshot_dir / f"sites/mx/{locale}/cases/mx-0001.json")
    report = run_build(snapshot_dir, output_dir)
    assert "mx/es/feed.xml" in report.written and "mx/sitemap.xml" in report.written
    fresh = output_dir.parent / "fresh"
    run_build(snapshot_dir, fresh)
    assert golden_files(output_dir) == golden_files(fresh)
    db = sqlite3.connect(output_dir / STATE)
    try:
        texts = [text for (text,) in db.execute("SELECT text FROM fragments")]
    finally:
        db.close()
    assert texts and not any("Ficticio" in text for text in texts)
    assert b"Ficticio" not in (output_dir / STATE).read_bytes()


class _Shown:
    def __html__(self) -> str:
        return "<b>shown</b>"

    def __str__(self) -> str:
        return "<not shown>"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Lucía <b> & \"quotes\" 'apos'",
        Markup("<em>kept</em>"),
        0,
        -42,
        10**30,
        1.5,
        True,
        None,
        ["<x>"],
        _Shown(),
    ],
)
def test_the_quick_escape_of_templates_is_markupsafes(value) -> None:
    quick = quick_escape(value)
    assert quick == escape(value) and type(quick) is Markup


class _Point:
    __slots__ = ("x", "label")

    def __init__(self, x: object, label: object) -> None:
        self.x, self.label = x, label


class _Broken:
    @property
    def label(self) -> str:
        raise AttributeError("label")


_EDGE_TEMPLATES = [
    (
        "{{ p.x }}|{{ p.label }}|{{ d.key }}|{{ d['key'] }}|{{ d.items()|list|length }}",
        "3|&lt;a&amp;b&gt;|dict &lt;value&gt;|dict &lt;value&gt;|1",
    ),
    (
        "{{ nested.inner.p.label }}{{ nested.inner.missing is defined }}",
        "deep &#39;quote&#39;False",
    ),
    ("{% for q in points %}<{{ q.label }}:{{ q.x + 1 }}>{% endfor %}", "<n0:1><n1:2><n2:3>"),
    (
        "{% macro m(v) %}[{{ v.label }}]{% endmacro %}{{ m(p) }}{{ m(d2) }}",
        "[&lt;a&amp;b&gt;][<i>ok</i>]",
    ),
    (
        "{{ b.label is defined }}|{{ shown }}|{{ none }}|{{ number }}|{{ markup }}|{{ text }}",
        "False|<b>shown</b>|None|12.5|<br>|Tom &amp; &#34;Jerry&#34;",
    ),
    (
        "{% set s %}{{ text }}{% endset %}{{ s }}|{{ call_me(1, k=text) }}|{{ ctx_fn() }}",
        "Tom &amp; &#34;Jerry&#34;|1&lt;Tom &amp; &#34;Jerry&#34;&gt;"
        "|&lt;Tom &amp; &#34;Jerry&#34;&gt;",
    ),
]


@pytest.mark.parametrize(("source", "expected"), _EDGE_TEMPLATES)
def test_compiled_templates_render_as_jinja2_does(source: str, expected: str) -> None:
    """The theme's code generator (direct getattr, text escaped in C, quicker calls) gives
    stock Jinja2's output for attributes, dict keys, undefined names and every kind of value."""
    from jinja2 import Environment, StrictUndefined, pass_context

    from sitegen.compiler import FastEnvironment

    @pass_context
    def ctx_fn(context):
        return f"<{context['text']}>"

    values = {
        "p": _Point(3, "<a&b>"),
        "d": {"key": "dict <value>"},
        "d2": {"label": Markup("<i>ok</i>")},
        "nested": {"inner": {"p": _Point(1, "deep 'quote'")}},
        "points": [_Point(i, f"n{i}") for i in range(3)],
        "b": _Broken(),
        "shown": _Shown(),
        "none": None,
        "number": 12.5,
        "markup": Markup("<br>"),
        "text": 'Tom & "Jerry"',
        "call_me": lambda n, k: f"{n}<{k}>",
        "ctx_fn": ctx_fn,
    }
    made = []
    for cls in (Environment, FastEnvironment):
        env = cls(autoescape=True, undefined=StrictUndefined)
        made.append(env.from_string(source).render(values))
    assert made == [expected, expected]


def test_compiled_templates_still_fail_on_undefined_attributes() -> None:
    from jinja2 import StrictUndefined, UndefinedError

    from sitegen.compiler import FastEnvironment

    env = FastEnvironment(autoescape=True, undefined=StrictUndefined)
    with pytest.raises(UndefinedError, match="label"):
        env.from_string("{{ d.label }}").render(d={})
    with pytest.raises(UndefinedError):
        env.from_string("{{ nothing.label }}").render()


def test_compiled_templates_kept_on_disk_follow_catalog_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process loads compiled templates from disk instead of compiling them; a
    translation edited since still shows (translations are compiled into the code, so the
    catalog is part of the cache key)."""
    import sitegen.theme as theme_module
    from sitegen import i18n

    theme_dir = tmp_path / "themes" / "t"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "static").mkdir()
    (theme_dir / "static" / "style.css").write_text("", encoding="utf-8")
    (theme_dir / "templates" / "t.html").write_text('{{ _("Page not found") }}', encoding="utf-8")
    catalog = tmp_path / "messages.po"
    catalog.write_text(i18n.catalog_path("es").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(i18n, "catalog_path", lambda code, *_: catalog if code == "es" else None)
    monkeypatch.setattr(i18n, "translations", i18n.translations.__wrapped__)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("SITEGEN_TEMPLATE_CACHE", str(cache))

    def render_in_a_new_process() -> str:
        monkeypatch.setattr(theme_module, "_ENVIRONMENTS", {})
        return Theme("t", tmp_path / "themes").render("es", "t.html", {})

    assert render_in_a_new_process() == "Página no encontrada"
    kept = {path: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert kept
    assert render_in_a_new_process() == "Página no encontrada"
    assert {path: path.stat().st_mtime_ns for path in cache.iterdir()} == kept  # loaded, not made
    edited = catalog.read_text(encoding="utf-8").replace(
        'msgstr "Página no encontrada"', 'msgstr "No encontramos esta página"'
    )
    catalog.write_text(edited, encoding="utf-8")
    assert render_in_a_new_process() == "No encontramos esta página"


def test_a_template_cache_folder_that_is_missing_is_made_and_one_that_cannot_be_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.theme as theme_module

    theme_dir = tmp_path / "themes" / "t"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "static").mkdir()
    (theme_dir / "static" / "style.css").write_text("", encoding="utf-8")
    (theme_dir / "templates" / "t.html").write_text(
        '<html>{{ _("Page not found") }}</html>', encoding="utf-8"
    )

    def render_in_a_new_process() -> str:
        monkeypatch.setattr(theme_module, "_ENVIRONMENTS", {})
        return Theme("t", tmp_path / "themes").render("fr", "t.html", {})

    missing = tmp_path / "not" / "yet"
    monkeypatch.setenv("SITEGEN_TEMPLATE_CACHE", str(missing))
    made = render_in_a_new_process()
    assert made == "<html>Page introuvable</html>"
    assert any(missing.iterdir())  # compiled templates were kept there

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SITEGEN_TEMPLATE_CACHE", str(blocked / "cache"))
    assert render_in_a_new_process() == made  # no cache, same page
    assert blocked.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("locale", ["en", "es", "fr", "ar", "uk", "zh", "ja", "fa", "he", "pt-BR"])
def test_long_dates_are_babels(locale: str) -> None:
    """Dates use the locale's long pattern looked up once: the text ``format_date`` gives."""
    from datetime import date

    from babel.dates import format_date

    from sitegen import i18n

    fmt = i18n.formats(locale)
    for day in (date(2024, 3, 12), date(1999, 12, 31), date(2010, 1, 1)):
        assert fmt.date(day) == format_date(day, "long", locale=fmt.locale)


def test_an_untested_jinja2_renders_with_stock_jinja2_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A Jinja2 upgrade the compiler was not tested with does not break the build: the theme
    falls back to stock Jinja2 (the same pages) and the log says why, once."""
    from jinja2 import Environment

    import sitegen.theme as theme_module
    from sitegen.tools.sample import SAMPLE_DIR

    monkeypatch.setenv("SITEGEN_TEMPLATE_CACHE", "off")
    run_build(SAMPLE_DIR, tmp_path / "tested", posters=False)
    monkeypatch.setattr(theme_module, "version", lambda package: "3.9.0")
    theme_module._environment_for.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="sitegen"):
            assert type(Theme().environment("es")) is Environment
            run_build(SAMPLE_DIR, tmp_path / "untested", posters=False)
    finally:
        theme_module._environment_for.cache_clear()
    pages = golden_files(tmp_path / "tested")
    assert any(name.endswith("/index.html") and "/cases/" in name for name in pages)
    assert golden_files(tmp_path / "untested") == pages
    warnings = [r.getMessage() for r in caplog.records if r.name == "sitegen"]
    assert len(warnings) == 1
    assert "Jinja2 3.9.0" in warnings[0] and "stock Jinja2" in warnings[0]
