"""The geo outputs: tiles a browser reads to find cases near it, their indexes, and the GeoJSON
and Atom feeds of every site, language and region, all incremental and taken down with a case."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema

from sitegen import geo
from tests.sitegen.conftest import run_build

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
CASE_FILE = "sites/mx/es/cases/mx-0002.json"  # Mateo, Monterrey (25.686, -100.316)


def load(output: Path, rel: str):
    return json.loads((output / rel).read_text(encoding="utf-8"))


def snapshot_cases(snapshot: Path) -> list[tuple[str, str, dict]]:
    found = []
    for path in sorted((snapshot / "sites").glob("*/*/cases/*.json")):
        site, locale = path.parts[-4], path.parts[-3]
        found.append((site, locale, json.loads(path.read_text(encoding="utf-8"))))
    return found


def edit(snapshot: Path, rel: str, change) -> None:
    path = snapshot / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_every_case_is_in_the_tile_of_its_rounded_point_in_each_language(built_sample: Path):
    cases = snapshot_cases(Path(__file__).resolve().parents[2] / "content" / "sample")
    assert cases
    for site, locale, case in cases:
        point = geo.public_point(case["last_seen"]["lat"], case["last_seen"]["lon"])
        tile = load(built_sample, f"{site}/{locale}/geo/{geo.tile_of(point)}.json")
        card = next(c for c in tile["cases"] if c["id"] == case["id"])
        assert (card["lat"], card["lon"]) == point  # rounded: 0.01°, never the exact place
        assert card["name"] == f"{case['given_name']} {case['family_name']}".strip()
        assert f"/{site}/{locale}/cases/" in card["url"]
        index = load(built_sample, f"{site}/{locale}/geo/index.json")
        assert index["tiles"][geo.tile_of(point)] == len(tile["cases"])
        network = load(built_sample, "geo/index.json")
        assert network["tiles"][geo.tile_of(point)][site] >= 1
        assert locale in network["sites"][site]["languages"]


def test_public_geo_files_carry_two_decimals_and_no_private_or_page_only_field(
    built_sample: Path,
):
    for path in built_sample.rglob("geo/**/*.json"):
        text = path.read_text(encoding="utf-8")
        for field in ("circumstances", "companions", "clothing", "date_of_birth", "agency"):
            assert f'"{field}"' not in text, (path, field)
        for card in json.loads(text).get("cases", []):
            for value in (card["lat"], card["lon"]):
                assert round(value, 2) == value, (path, value)


def test_labels_are_in_the_sites_language(built_sample: Path):
    spanish = load(built_sample, "mx/es/geo/index.json")
    arabic = load(built_sample, "ma/ar/geo/index.json")
    assert spanish["labels"]["dir"] == "ltr" and arabic["labels"]["dir"] == "rtl"
    assert (
        spanish["labels"]["title"] != load(built_sample, "mx/en/geo/index.json")["labels"]["title"]
    )
    tile = load(built_sample, "mx/es/geo/25/-101.json")
    assert tile["cases"][0]["missing"].startswith("Fecha de desaparición")


def test_the_geojson_feeds_are_valid_rfc_7946(built_sample: Path):
    schema = json.loads((SCHEMAS / "geojson-FeatureCollection.json").read_text())
    feeds = sorted(built_sample.rglob("cases.geojson"))
    regional = [f for f in feeds if "/region/" in f.as_posix()]
    assert feeds and regional
    for path in feeds:
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        for feature in data["features"]:
            lon, lat = feature["geometry"]["coordinates"]  # longitude first (RFC 7946)
            assert -90 <= lat <= 90 and -180 <= lon <= 180
    mexico = load(built_sample, "mx/es/cases/cases.geojson")
    lon, lat = next(f for f in mexico["features"] if f["id"] == "mx-0002")["geometry"][
        "coordinates"
    ]
    assert (lat, lon) == (25.69, -100.32)
    region = load(built_sample, "mx/es/cases/region/nuevo-león/cases.geojson")
    assert [f["id"] for f in region["features"]] == ["mx-0002"]
    feed = (built_sample / "mx/es/cases/region/nuevo-león/feed.xml").read_text()
    assert "Nuevo León" in feed and feed.count("<entry>") == 1


def test_a_one_case_change_rewrites_only_the_geo_files_that_show_it(
    snapshot_dir: Path, output_dir: Path
):
    run_build(snapshot_dir, output_dir)
    edit(snapshot_dir, CASE_FILE, lambda d: d.update(given_name="Mateo José"))
    report = run_build(snapshot_dir, output_dir)
    geo_written = {p for p in report.written if "/geo/" in p or p.endswith(".geojson")}
    # The files of its cell and of the eight around it (each holds its neighbours' cases).
    tiles = {f"mx/es/geo/{tile}.json" for tile in geo.neighbourhood("25/-101")}
    assert geo_written == {
        *tiles,
        "mx/es/geo/latest.json",  # the newest cases, for a widget set to the whole country
        "mx/es/cases/cases.geojson",
        "mx/es/cases/region/nuevo-león/cases.geojson",
    }
    assert "Mateo José" in (output_dir / "mx/es/geo/25/-101.json").read_text()


def test_moving_a_case_moves_it_between_tiles(snapshot_dir: Path, output_dir: Path):
    run_build(snapshot_dir, output_dir)

    def move(data):
        data["last_seen"].update(lat=20.67, lon=-103.35)  # Guadalajara

    for locale in ("es", "en"):
        edit(snapshot_dir, f"sites/mx/{locale}/cases/mx-0002.json", move)
    report = run_build(snapshot_dir, output_dir)
    assert {f"mx/es/geo/{t}.json" for t in geo.neighbourhood("25/-101")} <= set(report.deleted)
    assert "mx-0002" in (output_dir / "mx/es/geo/20/-104.json").read_text()
    assert "25/-101" not in load(output_dir, "mx/es/geo/index.json")["tiles"]
    assert "25/-101" not in load(output_dir, "geo/index.json")["tiles"]


def test_a_taken_down_case_leaves_every_tile_and_feed(snapshot_dir: Path, output_dir: Path):
    run_build(snapshot_dir, output_dir)
    for locale in ("es", "en"):
        os.remove(snapshot_dir / f"sites/mx/{locale}/cases/mx-0002.json")
    tombstone = {
        "id": "mx-0002",
        "site": "mx",
        "kind": "case",
        "withdrawn_at": "2025-05-31T12:00:00-06:00",
        "paths": ["/mx/es/cases/mateo-demostración/", "/mx/en/cases/mateo-demostración/"],
    }
    (snapshot_dir / "tombstones/mx/case").mkdir(parents=True)
    (snapshot_dir / "tombstones/mx/case/mx-0002.json").write_text(json.dumps(tombstone))
    report = run_build(snapshot_dir, output_dir)
    assert {"mx/es/geo/25/-101.json", "mx/en/geo/25/-101.json"} <= set(report.deleted)
    for path in output_dir.rglob("*"):
        if path.suffix in (".json", ".geojson", ".xml") and path.name != "manifest.json":
            assert "Mateo" not in path.read_text(encoding="utf-8"), path


def test_a_case_known_by_place_name_only_is_listed_but_never_placed(
    snapshot_dir: Path, output_dir: Path
):
    def unplace(data):
        data["last_seen"].update(lat=None, lon=None)

    for locale in ("es", "en"):
        edit(snapshot_dir, f"sites/mx/{locale}/cases/mx-0002.json", unplace)
    run_build(snapshot_dir, output_dir)
    for path in (output_dir / "mx").rglob("geo/**/*.json"):
        if path.name != "latest.json":
            assert "mx-0002" not in path.read_text(encoding="utf-8"), path
    # Among a widget's newest cases, it has no point either.
    latest = load(output_dir, "mx/es/geo/latest.json")["cases"]
    assert "lat" not in next(c for c in latest if c["id"] == "mx-0002")
    feature = next(
        f for f in load(output_dir, "mx/es/cases/cases.geojson")["features"] if f["id"] == "mx-0002"
    )
    assert feature["geometry"] is None  # not a point at 0,0
    listing = (output_dir / "mx/es/cases/region/nuevo-león/index.html").read_text()
    assert "Mateo" in listing


def test_a_lookup_of_up_to_55_km_needs_one_file_per_site():
    # Each file holds its cell and the eight around it: anywhere up to 60° of latitude, the
    # point's own file answers a circle of 55 km; wider ones take a few files.
    for point in ((25.69, -100.32), (0.01, 0.99), (-33.9, 18.4), (59.9, 10.7), (64.1, -21.9)):
        assert geo.files_near(point, 55 if abs(point[0]) <= 60 else 25) == [geo.tile_of(point)]
    wide = geo.files_near((25.69, -100.32), 200)
    covered = {cell for tile in wide for cell in geo.neighbourhood(tile)}
    assert set(geo.tiles_near((25.69, -100.32), 200)) <= covered and len(wide) <= 9


def test_tiles_near_a_point_cover_the_circle():
    # Monterrey, 50 km: the point's own tile and its neighbours the circle reaches.
    near = geo.tiles_near((25.69, -100.32), 50)
    assert "25/-101" in near and len(near) <= 4
    assert geo.tile_of((-0.5, -0.5)) == "-1/-1"
    # A degree of a meridian is πR/180 = 111.195 km; half the equator πR = 20,015 km.
    assert round(geo.distance_km((0, 0), (1, 0)), 3) == 111.195
    assert round(geo.distance_km((0, -90), (0, 90))) == 20015


def test_the_network_root_sends_visitors_to_their_countrys_site(built_sample: Path):
    rules = [
        line.split()
        for line in (built_sample / "_redirects").read_text().splitlines()
        if not line.startswith("#")
    ]
    # Netlify applies the first rule that matches: a language the site has, then its first;
    # forced (!), as the root's own file, the list of every site, would otherwise win.
    assert ["/", "/ma/fr/", "302!", "Country=MA", "Language=fr"] in rules
    assert rules.index(["/", "/ma/ar/", "302!", "Country=MA"]) > rules.index(
        ["/", "/ma/fr/", "302!", "Country=MA", "Language=fr"]
    )
    redirects = [rule for rule in rules if rule[2] != "404"]  # then the 404 pages' rules
    assert all(rule[0] == "/" for rule in redirects)  # only the root: /index.html lists every site
    assert rules[len(redirects) :] == [
        ["/:site/:lang/*", "/:site/:lang/404.html", "404"],
        ["/*", "/404.html", "404"],
    ]
    assert 'href="/index.html"' in (built_sample / "mx/es/index.html").read_text()


def test_points_on_a_border_are_found_from_either_side():
    # On the line between two tiles: in the tile to its north-east, found from the other side.
    assert geo.tile_of((20.0, -100.0)) == "20/-100"
    assert geo.tile_of((19.999, -100.001)) == "19/-101"
    assert "20/-100" in geo.neighbourhood(geo.tile_of((19.999, -100.001)))
    # Across the antimeridian and at the pole the tiles are named one way only.
    assert geo.tile_of((10.0, 180.0)) == geo.tile_of((10.0, -180.0)) == "10/-180"
    assert geo.tile_of((90.0, 0.0)) == "89/0"
    east, west = (10.5, 179.9), (10.5, -179.9)
    assert geo.tile_of(east) in geo.neighbourhood(geo.tile_of(west))
    assert geo.files_near(west, 30) == [geo.tile_of(west)]
    assert round(geo.distance_km(east, west)) == 22
