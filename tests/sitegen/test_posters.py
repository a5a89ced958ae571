"""Printable PDF posters and share images: every script, one page, the QR code, the settings.

The PDFs are read back the way a person's tools would: text extracted with pypdf, pages
rasterized with PDFium and the QR code decoded with ZXing.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from sitegen.context import OPTIONAL_FIELDS, case_view, site_view
from sitegen.posters import PosterFontError, PosterLayoutError, PosterMaker
from sitegen.posters import fonts as poster_fonts
from sitegen.preview import render_poster
from sitegen.snapshot import read_snapshot
from sitegen.theme import Theme
from sitegen.tools.sample import SAMPLE_DIR
from tests.pdf import pdf_text
from tests.sitegen.conftest import TODAY, run_build


@pytest.fixture(scope="module")
def posters_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("posters")
    run_build(SAMPLE_DIR, output, posters=True)
    return output


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def case_record(site: str, locale: str, slug: str) -> dict:
    for path in (SAMPLE_DIR / "sites" / site / locale / "cases").glob("*.json"):
        data = json.loads(path.read_text())
        if data["slug"] == slug:
            return data
    raise LookupError(slug)


def site_record(site: str, locale: str) -> dict:
    return json.loads((SAMPLE_DIR / "sites" / site / locale / "site.json").read_text())


def poster(record: dict, site: dict, locale: str, kind: str = "poster", **options) -> bytes:
    return render_poster(
        kind,
        record,
        site,
        locale,
        media_root=SAMPLE_DIR,
        media_file=lambda path: SAMPLE_DIR / path,
        today=TODAY,
        **options,
    )


@pytest.mark.parametrize(
    ("path", "name", "hotline"),
    [
        ("mx/es/cases/lucía-ejemplo-ficticio/poster.pdf", "Lucía Ejemplo Ficticio", "+52 800"),
        ("ua/uk/cases/оксана-вигаданенко/poster.pdf", "Оксана Вигаданенко", "+380 800 000 116"),
        ("ma/ar/cases/ياسمين-التجريبية/poster.pdf", "ياسمين التجريبية", "+212 800 000 919"),
    ],
)
def test_poster_text_is_real_text_in_every_script(posters_built, path, name, hotline):
    data = (posters_built / path).read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = pdf_text(data)
    assert name in text
    assert squeeze(hotline) in squeeze(text)
    # Fonts are embedded (subset), so it prints the same everywhere.
    for font in _fonts(reader):
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font


def test_paper_size_follows_the_country(posters_built):
    letter = pypdf.PdfReader(posters_built / "mx/es/cases/mateo-demostración/poster.pdf")
    a4 = pypdf.PdfReader(posters_built / "ua/uk/cases/тарас-зразковий/poster.pdf")
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]


def _fonts(reader: pypdf.PdfReader) -> list:
    return [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]


def _to_unicode(font) -> dict[int, str]:
    """Glyph id → text, from the font's ToUnicode CMap."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for gid, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(gid, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = bytes.fromhex(text).decode("utf-16-be")
            for offset, gid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[gid] = start[:-1] + chr(ord(start[-1]) + offset)
    return found


def test_arabic_is_shaped_and_right_to_left(posters_built):
    """Joined Arabic uses a letter's initial, medial and final forms: different glyphs for one
    character. Unshaped text (isolated letters, as a naive PDF writer prints) would not."""
    reader = pypdf.PdfReader(posters_built / "ma/ar/cases/ياسمين-التجريبية/poster.pdf")
    arabic = [f for f in _fonts(reader) if "Arabic" in str(f["/BaseFont"])]
    assert arabic, "no Arabic font embedded"
    glyphs_per_letter: dict[str, set[int]] = {}
    for font in arabic:
        for gid, text in _to_unicode(font).items():
            if len(text) == 1 and "\u0621" <= text <= "\u064a":
                glyphs_per_letter.setdefault(text, set()).add((str(font["/BaseFont"]), gid))
    joined = {letter for letter, glyphs in glyphs_per_letter.items() if len(glyphs) > 1}
    assert {"ي", "م"} <= joined, glyphs_per_letter
    page = pypdf.PdfReader(posters_built / "ma/ar/cases/ياسمين-التجريبية/poster.pdf")
    assert "ياسمين التجريبية" in page.pages[0].extract_text()  # logical order when read back
    # The bilingual poster (Morocco: Arabic with French) carries both languages.
    text = pdf_text((posters_built / "ma/ar/cases/ياسمين-التجريبية/poster.pdf").read_bytes())
    assert "Date de disparition" in text and "تاريخ الاختفاء" in text


def test_cjk_poster_embeds_the_cjk_font():
    record = copy.deepcopy(case_record("mx", "es", "mateo-demostración"))
    record.update(given_name="王小明", family_name="", clothing="红色外套")
    site = {**site_record("mx", "es"), "languages": ["ja"], "locale": "ja"}
    data = poster(record, site, "ja")
    text = pdf_text(data)
    assert "王小明" in text and "红色外套" in text
    assert squeeze("+52 800 000 0101") in squeeze(text) or squeeze(site["hotline"]["number"]) in (
        squeeze(text)
    )
    fonts = [str(f["/BaseFont"]) for f in _fonts(pypdf.PdfReader(io.BytesIO(data)))]
    assert any("CJK" in name for name in fonts), fonts


def test_greek_poster_is_set_in_noto_sans():
    record = copy.deepcopy(case_record("mx", "es", "mateo-demostración"))
    record.update(given_name="Ελένη", family_name="Παπαδοπούλου", clothing="Κόκκινο παλτό")
    site = {**site_record("mx", "es"), "languages": ["el"], "locale": "el"}
    text = pdf_text(poster(record, site, "el"))
    assert "Ελένη Παπαδοπούλου" in text and "Κόκκινο παλτό" in text


def test_qr_code_opens_the_posters_verification_page_which_links_the_case(posters_built):
    for path, case in (
        ("mx/en/cases/sofía-prueba-inventada/poster.pdf", "/mx/en/cases/sofía-prueba-inventada/"),
        ("ma/ar/cases/عمر-المثالي/poster.pdf", "/ma/ar/cases/عمر-المثالي/"),
    ):
        pdf = pypdfium2.PdfDocument(posters_built / path)
        try:
            image = pdf[0].render(scale=3).to_pil()
            text = pdf[0].get_textpage().get_text_bounded()
        finally:
            pdf.close()
        found = [code.text for code in zxingcpp.read_barcodes(image)]
        assert len(found) == 1 and "/verify/" in found[0], path
        verify_path = unquote(urlsplit(found[0]).path)
        code = verify_path.rstrip("/").rsplit("/", 1)[1].upper()
        assert f"{code[:4]}-{code[4:]}" in text  # the code printed under it, to type in
        page = (posters_built / verify_path.lstrip("/") / "index.html").read_text()
        assert f'href="{case}"' in page


def test_share_image_is_a_1200_by_630_jpeg_without_metadata(posters_built):
    data = (posters_built / "ua/uk/cases/оксана-вигаданенко/share.jpg").read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (1200, 630)
    assert not image.getexif() and "icc_profile" not in image.info
    page = (posters_built / "ua/uk/cases/оксана-вигаданенко/index.html").read_text()
    assert 'href="/ua/uk/cases/оксана-вигаданенко/poster.pdf" download' in page
    assert "share.jpg" in page.split('property="og:image"')[1].split(">")[0]


def test_overlong_text_stays_on_one_page_and_a_case_without_photo_gets_a_poster():
    record = copy.deepcopy(case_record("ua", "uk", "оксана-вигаданенко"))
    long_name = "Оксана-Вікторія-Соломія " * 6
    record.update(
        given_name=long_name.strip(),
        family_name="Вигаданенко-Довгопрізвищенко" * 3,
        circumstances="Дуже довгий опис обставин. " * 140,
        distinguishing_marks="Прикмета " * 30,
        clothing="Одяг " * 60,
        photos=[],
    )
    record["companions"] = record["companions"] * 12
    site = site_record("ua", "uk")
    for layout in ("standard", "sidebar"):
        settings = _settings(layout=layout, fields=list(OPTIONAL_FIELDS))
        data = poster(record, {**site, "posters": settings}, "uk")
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1, layout
        text = squeeze(pdf_text(data))
        assert squeeze(record["given_name"]) in text  # the name is never cut, only smaller
        assert "Фотонемає" in text and squeeze(site["hotline"]["number"]) in text
        assert "…" in text  # the long texts were cut
    share = Image.open(io.BytesIO(poster(record, site, "uk", kind="share")))
    assert share.size == (1200, 630)


def _settings(**changes) -> dict:
    settings = {
        "layout": "standard",
        "second_language": None,
        "fields": ["sex", "height", "weight", "eye_colour", "hair_colour", "clothing"],
        "footer_text": "Footer for the test",
        "heading_colour": "#123456",
    }
    return {**settings, **changes}


def test_country_settings_choose_fields_footer_and_languages():
    record = case_record("mx", "es", "lucía-ejemplo-ficticio")
    site = site_record("mx", "es")
    plain = pdf_text(poster(record, {**site, "posters": _settings()}, "es"))
    assert "Footer for the test" in plain
    assert record["circumstances"][:30] not in plain  # left off by the country
    assert record["companions"][0]["name"] not in plain
    everything = _settings(fields=["circumstances", "companions"])
    full = pdf_text(poster(record, {**site, "posters": everything}, "es"))
    assert squeeze(record["circumstances"][:30]) in squeeze(full)
    assert record["companions"][0]["name"] in full
    english = case_record("mx", "en", "lucía-ejemplo-ficticio")
    both = pdf_text(
        poster(
            record,
            {**site, "posters": _settings(second_language="en")},
            "es",
            partner=(english, {**site_record("mx", "en"), "posters": _settings()}),
        )
    )
    assert "Fecha de desaparición" in both and "Missing since" in both


def test_a_missing_font_or_character_is_a_clear_error(monkeypatch, tmp_path):
    record = copy.deepcopy(case_record("mx", "es", "mateo-demostración"))
    site = site_record("mx", "es")
    monkeypatch.setenv("HOMEWARD_CJK_FONT", str(tmp_path / "absent.ttc"))
    poster_fonts.cjk_face.cache_clear()
    try:
        with pytest.raises(PosterFontError, match="fonts-noto-cjk"):
            poster({**record, "given_name": "王小明"}, site, "es")
        # Latin posters do not need it.
        assert pdf_text(poster(record, site, "es"))
    finally:
        monkeypatch.delenv("HOMEWARD_CJK_FONT")
        poster_fonts.cjk_face.cache_clear()
    with pytest.raises(PosterFontError, match="U\\+0F40"):
        poster({**record, "given_name": "ཀ"}, site, "es")  # Tibetan: no font here


def test_a_poster_problem_is_reported_and_blocks_nothing(snapshot_dir, output_dir):
    path = next((snapshot_dir / "sites/mx/es/cases").glob("*.json"))
    data = json.loads(path.read_text())
    data["given_name"] = "ཀ"
    path.write_text(json.dumps(data, ensure_ascii=False))
    report = run_build(snapshot_dir, output_dir, posters=True, site="mx")
    assert any("poster.pdf was not made" in w and "U+0F40" in w for w in report.warnings)
    assert (output_dir / "mx/es/cases" / data["slug"] / "index.html").is_file()
    assert not (output_dir / "mx/es/cases" / data["slug"] / "poster.pdf").exists()
    assert (output_dir / "mx/en/cases" / data["slug"] / "poster.pdf").is_file()


def test_posters_rebuild_only_when_their_case_or_settings_change(snapshot_dir, output_dir):
    run_build(snapshot_dir, output_dir, posters=True)
    again = run_build(snapshot_dir, output_dir, posters=True)
    assert again.written == []
    # One case changes in Spanish: its Spanish poster and share image are made again, no other.
    path = next(
        p
        for p in (snapshot_dir / "sites/mx/es/cases").glob("*.json")
        if json.loads(p.read_text())["slug"] == "mateo-demostración"
    )
    data = json.loads(path.read_text())
    data["clothing"] = "Sudadera azul marino"
    path.write_text(json.dumps(data, ensure_ascii=False))
    changed = run_build(snapshot_dir, output_dir, posters=True)
    heavy = sorted(p for p in changed.rendered if p.endswith((".pdf", ".jpg")))
    assert heavy == [
        "mx/es/cases/mateo-demostración/poster.pdf",
        "mx/es/cases/mateo-demostración/share.jpg",
    ]
    assert "Sudadera azul marino" in pdf_text(
        (output_dir / "mx/es/cases/mateo-demostración/poster.pdf").read_bytes()
    )
    # Poster settings of one country: that country's posters only.
    for locale in ("ar", "fr"):
        site_file = snapshot_dir / "sites/ma" / locale / "site.json"
        site = json.loads(site_file.read_text())
        site["posters"]["heading_colour"] = "#222222"
        site_file.write_text(json.dumps(site, ensure_ascii=False))
    restyled = run_build(snapshot_dir, output_dir, posters=True)
    heavy = {p for p in restyled.rendered if p.endswith((".pdf", ".jpg"))}
    assert heavy and all(p.startswith("ma/") for p in heavy)
    assert len(heavy) == 8  # 2 cases × 2 languages × (poster + share image)


def test_a_withdrawn_case_leaves_no_poster_behind(snapshot_dir, output_dir):
    run_build(snapshot_dir, output_dir, posters=True)
    folder = output_dir / "ua/uk/cases/оксана-вигаданенко"
    assert (folder / "poster.pdf").is_file() and (folder / "share.jpg").is_file()
    case_id = None
    for locale in ("uk", "en"):
        for path in (snapshot_dir / "sites/ua" / locale / "cases").glob("*.json"):
            data = json.loads(path.read_text())
            if data["family_name"] in ("Вигаданенко", "Vyhadanenko"):
                case_id = data["id"]
                path.unlink()
    tombstone = snapshot_dir / "tombstones/ua/case" / f"{case_id}.json"
    tombstone.parent.mkdir(parents=True, exist_ok=True)
    tombstone.write_text(
        json.dumps(
            {
                "id": case_id,
                "site": "ua",
                "kind": "case",
                "withdrawn_at": "2025-05-30T10:00:00+00:00",
                "paths": ["/ua/uk/cases/оксана-вигаданенко/", "/ua/en/cases/oksana-vyhadanenko/"],
            },
            ensure_ascii=False,
        )
    )
    report = run_build(snapshot_dir, output_dir, posters=True)
    for gone in ("poster.pdf", "share.jpg"):
        assert not (folder / gone).exists()
        assert f"ua/uk/cases/оксана-вигаданенко/{gone}" in report.deleted
        assert not (output_dir / "ua/en/cases/oksana-vyhadanenko" / gone).exists()
    manifest = (output_dir / "manifest.json").read_text()
    assert "вигаданенко/poster" not in manifest and "vyhadanenko/share" not in manifest
    for pdf in output_dir.rglob("*.pdf"):
        assert "Вигаданенко" not in pdf_text(pdf.read_bytes()), pdf


def test_poster_layout_without_network_access(tmp_path):
    """A template that pointed at anything but snapshot media would fail, not fetch it."""
    theme_dir = tmp_path / "themes" / "default"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes" / "default", theme_dir)
    template = theme_dir / "templates/posters/poster.html"
    template.write_text(
        template.read_text().replace(
            "<body", '<body style="background: url(http://example.com/x.png)"', 1
        )
    )
    theme = Theme("default", themes_dir=tmp_path / "themes")
    snapshot = read_snapshot(SAMPLE_DIR)
    content = snapshot.sites["mx"].locales["es"]
    site = site_view(content.site)
    case = case_view(next(iter(content.cases.values())), site, date(2025, 6, 1))
    with pytest.raises(PosterLayoutError, match="example.com"):
        PosterMaker(theme, SAMPLE_DIR).pdf(case, replace(site))


def test_the_schema_lists_every_optional_poster_field():
    from sitegen.schema import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "site.schema.json").read_text())
    fields = schema["properties"]["posters"]["properties"]["fields"]["items"]["enum"]
    assert fields == list(OPTIONAL_FIELDS)


def test_making_a_poster_leaves_pillow_refusing_truncated_images():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the process; tip and case photo
    checks in the same process must still refuse a truncated file."""
    poster(case_record("mx", "es", "mateo-demostración"), site_record("mx", "es"), "es")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(buffer, "JPEG")
    truncated = buffer.getvalue()[:-200]
    with pytest.raises(OSError):
        Image.open(io.BytesIO(truncated)).load()


def test_phone_numbers_keep_their_digit_order_in_right_to_left_posters(posters_built):
    """A number inside Arabic text must not come out as '919 000 800 +212'."""
    pdf = pypdfium2.PdfDocument(posters_built / "ma/ar/cases/عمر-المثالي/poster.pdf")
    try:
        text = pdf[0].get_textpage()
        rows: dict[int, list[tuple[float, str]]] = {}
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.isdigit():
                left, bottom, _right, _top = text.get_charbox(index)
                rows.setdefault(round(bottom), []).append((left, char))
    finally:
        pdf.close()
    seen = ["".join(char for _left, char in sorted(row)) for row in rows.values()]
    assert any("212800000919" in row for row in seen), seen  # read left to right
    assert any("212522000303" in row for row in seen), seen  # the agency's number


def test_poster_bytes_do_not_depend_on_where_the_snapshot_lies(tmp_path):
    """The CDN gets the same bytes whichever machine or folder built them."""
    moved = tmp_path / "elsewhere" / "content"
    shutil.copytree(SAMPLE_DIR, moved)
    here = read_snapshot(SAMPLE_DIR).sites["ma"].locales["ar"]
    there = read_snapshot(moved).sites["ma"].locales["ar"]
    site_here, site_there = site_view(here.site), site_view(there.site)
    for case_id in here.cases:
        a = case_view(here.cases[case_id], site_here, TODAY)
        b = case_view(there.cases[case_id], site_there, TODAY)
        assert PosterMaker(Theme(), SAMPLE_DIR).pdf(a, site_here) == PosterMaker(
            Theme(), moved
        ).pdf(b, site_there)


def test_poster_fingerprint_is_the_same_in_every_process() -> None:
    """The CMS's task worker, a restarted worker and the CLI are different processes: a poster
    whose inputs did not change must not be made again by another one (a set's order follows
    the per-process string hash, so the settings are fingerprinted sorted)."""
    script = (
        "from sitegen.context import site_view\n"
        "from sitegen.tools.sample import SAMPLE_DIR\n"
        "from sitegen.snapshot import read_snapshot\n"
        "sites = read_snapshot(SAMPLE_DIR).sites\n"
        "print([site_view(c.site).poster_fingerprint for s in sites.values()"
        " for c in s.locales.values()])\n"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        found = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            text=True,
        )
        seen.add(found.stdout)
    assert len(seen) == 1


def test_warm_up_makes_a_poster_of_the_sample_and_writes_nothing():
    """The publishing worker calls it at start; it must work on the checked-in sample."""
    from sitegen.posters import warm_up

    before = {p: p.stat().st_mtime_ns for p in SAMPLE_DIR.rglob("*")}
    warm_up()
    assert {p: p.stat().st_mtime_ns for p in SAMPLE_DIR.rglob("*")} == before
