"""The demo content: plausible, multilingual, internally consistent and clearly fictional.

Plain Python (no database): run with ``pytest tests/demo -p no:django``.
"""

import io
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from cms.demo import fixtures, portraits
from cms.demo.fixtures import (
    CASE_TYPES,
    COUNTRIES,
    DEMO_PASSWORD,
    DEMO_USERS,
    FICTIONAL_MARKERS,
    NETWORK,
    REFERENCE_DATE,
    age_on,
    all_cases,
    cases_for,
)

LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
ARABIC = re.compile(r"[\u0600-\u06FF]")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_PNG_BYTES = 60 * 1024

# words meaning "fictional"/"demo" in each default language
FICTION_WORDS = {
    "es": ("ficti", "demo"),
    "uk": ("вигадан", "демо"),
    "ar": ("خيالي", "تجريبي"),
    "en": ("fictional", "demo"),
}

ALL_CASES = all_cases()


def by_code(code):
    return next(c for c in COUNTRIES if c.code == code)


def is_fictional(text: str, language: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in FICTION_WORDS[language])


def looks_fake(number: str) -> bool:
    """International format, but mostly zeros."""
    return number.startswith("+") and re.sub(r"\D", "", number).count("0") >= 6


def cutoff(country) -> datetime:
    """The demo's "now": midnight of REFERENCE_DATE in the country."""
    return datetime.combine(REFERENCE_DATE, time(0), tzinfo=ZoneInfo(country.timezone))


def decode(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    Image.open(io.BytesIO(png)).verify()
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image


# --------------------------------------------------------------------------- countries


def test_network_spans_several_languages_and_scripts():
    assert len(COUNTRIES) >= 3
    languages = {lang for c in COUNTRIES for lang in c.languages}
    assert len(languages) >= 5
    assert "ar" in languages
    defaults = {c.code: c.default_language for c in COUNTRIES}
    assert defaults == {"MX": "es", "UA": "uk", "MA": "ar"}
    assert CYRILLIC.search(by_code("UA").name) and not LATIN.search(by_code("UA").name)
    assert ARABIC.search(by_code("MA").name)
    assert by_code("MA").rtl and not by_code("MX").rtl and not by_code("UA").rtl


def test_network_site_record():
    assert NETWORK.code == "NET"
    assert NETWORK.name == "Homeward Network"
    assert NETWORK.languages == ["en", "fr", "es", "ar"]
    assert fixtures.country("net") is NETWORK
    assert cases_for("NET") == []
    assert is_fictional(NETWORK.legal_text, "en")


@pytest.mark.parametrize("ctry", COUNTRIES, ids=lambda c: c.code)
def test_country_settings_are_complete(ctry):
    assert ctry.paper_size == ("Letter" if ctry.code == "MX" else "A4")
    assert HEX.match(ctry.primary_colour) and HEX.match(ctry.accent_colour)
    ZoneInfo(ctry.timezone)  # a real IANA zone
    assert 4 <= len(ctry.regions) <= 6
    assert len(set(ctry.regions)) == len(ctry.regions)
    assert set(ctry.region_centres) == set(ctry.regions) == set(ctry.region_cities)
    assert ctry.agencies
    assert looks_fake(ctry.hotline_number)
    assert ctry.hotline_label
    for name, phone in ctry.agencies:
        assert is_fictional(name, ctry.default_language), name
        assert looks_fake(phone)
    assert is_fictional(ctry.contact_text, ctry.default_language)
    assert is_fictional(ctry.legal_text, ctry.default_language)
    assert ctry.fictional


def test_region_centres_are_inside_the_right_country():
    boxes = {  # (lat min, lat max, lon min, lon max)
        "MX": (14.5, 32.7, -117.2, -86.7),
        "UA": (44.3, 52.4, 22.1, 40.3),
        "MA": (27.6, 35.95, -13.2, -1.0),
    }
    for ctry in COUNTRIES:
        lat0, lat1, lon0, lon1 = boxes[ctry.code]
        for region, (lat, lon) in ctry.region_centres.items():
            assert lat0 <= lat <= lat1 and lon0 <= lon <= lon1, (ctry.code, region)


def test_region_names_use_the_default_language_script():
    for region in by_code("UA").regions:
        assert CYRILLIC.search(region) and not LATIN.search(region)
    for region in by_code("MA").regions:
        assert ARABIC.search(region) and not LATIN.search(region)
    assert "Jalisco" in by_code("MX").regions


def test_logos_render():
    for ctry in [*COUNTRIES, NETWORK]:
        png = ctry.logo_png()
        assert decode(png).size == (400, 120)
        assert len(png) < MAX_PNG_BYTES
        assert png == ctry.logo_png()


# --------------------------------------------------------------------------- cases


def test_enough_cases_with_a_spread_of_statuses_and_types():
    assert len(ALL_CASES) >= 30
    assert len({c.case_number for c in ALL_CASES}) == len(ALL_CASES)
    for ctry in COUNTRIES:
        cases = cases_for(ctry.code)
        assert len(cases) == 11
        statuses = [c.status for c in cases]
        assert statuses.count("missing") == 8
        assert statuses.count("found") == 2
        assert statuses.count("closed") == 1
        assert {c.case_type for c in cases} == set(CASE_TYPES)
        with_companions = [c for c in cases if c.companions]
        assert len(with_companions) >= 3
        assert all(1 <= len(c.companions) <= 2 for c in with_companions)
        assert any(co.vehicle for c in cases for co in c.companions)
        assert all(0 <= c.agency_index < len(ctry.agencies) for c in cases)


def test_cases_are_deterministic():
    assert cases_for("MX") == cases_for("MX")
    assert cases_for("ua") == cases_for("UA")
    with pytest.raises(KeyError):
        cases_for("ZZ")


def test_case_numbers_follow_the_country_and_year():
    for case in ALL_CASES:
        assert re.fullmatch(r"[A-Z]{2}-20\d\d-\d{4}", case.case_number)
        code, year, _ = case.case_number.split("-")
        assert code == case.country_code
        assert int(year) == case.missing_since.year


@pytest.mark.parametrize("ctry", COUNTRIES, ids=lambda c: c.code)
def test_dates_are_in_the_past_and_consistent(ctry):
    now = min(cutoff(ctry), datetime.now(UTC))
    for case in cases_for(ctry.code):
        ms = case.missing_since
        assert ms.tzinfo is not None and ms.utcoffset() is not None
        assert getattr(ms.tzinfo, "key", None) == ctry.timezone
        assert 2024 <= ms.year <= 2026
        assert ms < now, case.case_number
        if case.date_of_birth is None:
            assert case.estimated_age is not None
            assert case.age_when_missing == case.estimated_age
        else:
            assert case.estimated_age is None
            assert case.date_of_birth < ms.date()
            assert abs(age_on(case.date_of_birth, ms.date()) - case.age_when_missing) <= 1
        assert 1 <= case.age_when_missing <= 17
    unknown_dob = [c for c in cases_for(ctry.code) if c.date_of_birth is None]
    assert len(unknown_dob) == 2


def test_body_measurements_are_plausible():
    for case in ALL_CASES:
        assert case.height_unit == "cm" and case.weight_unit == "kg"
        assert 75 <= case.height_value <= 200
        assert 9 <= case.weight_value <= 110
        assert case.sex in ("female", "male")


@pytest.mark.parametrize("ctry", COUNTRIES, ids=lambda c: c.code)
def test_last_seen_is_a_public_place_near_the_region(ctry):
    for case in cases_for(ctry.code):
        assert case.region in ctry.regions
        lat, lon = ctry.region_centres[case.region]
        assert abs(case.last_seen_lat - lat) <= 0.2
        assert abs(case.last_seen_lon - lon) <= 0.2
        assert case.last_seen_place
        assert case.last_seen_place != case.home_address
        assert ctry.region_cities[case.region] in case.last_seen_place


@pytest.mark.parametrize("ctry", COUNTRIES, ids=lambda c: c.code)
def test_photos(ctry):
    cases = cases_for(ctry.code)
    aged_cases = [c for c in cases if any(p.age_progressed_to for p in c.photos)]
    assert len(aged_cases) == 2
    for case in cases:
        regular = [p for p in case.photos if p.age_progressed_to is None]
        aged = [p for p in case.photos if p.age_progressed_to is not None]
        assert 1 <= len(regular) <= 3
        assert len(aged) <= 1
        for photo in regular:
            assert photo.date_taken < case.missing_since.date()
            if case.date_of_birth:
                assert photo.date_taken > case.date_of_birth
            assert photo.source
        for photo in aged:
            assert photo.age_progressed_to == case.current_age
            assert photo.age_progressed_to > case.age_when_missing
            assert case.missing_since.date() < photo.date_taken <= REFERENCE_DATE
            assert is_fictional(photo.source, case.language)
        assert len({p.seed for p in case.photos}) == len(case.photos)


def test_companions_are_described_in_the_default_language():
    relationships = {
        "MX": {"padre", "madre", "tío", "tía", "pareja de la madre", "amigo", "desconocido"},
        "UA": {"батько", "мати", "дядько", "тітка", "вітчим", "знайомий", "незнайомець"},
        "MA": {"الأب", "الأم", "العم", "الخالة", "زوج الأم", "صديق", "غريب"},
    }
    for case in ALL_CASES:
        for companion in case.companions:
            assert companion.relationship in relationships[case.country_code]
            assert companion.name and companion.description
            assert companion.has_photo == (companion.photo_seed is not None)
            if companion.vehicle:
                v = companion.vehicle
                assert v.make and v.model and v.colour and v.plate
                assert v.colour_key in portraits.COLOUR_NAMES


def _texts(case):
    """Every human-language text of a case that must be in the default language."""
    texts = [
        case.given_name,
        case.family_name,
        case.eye_colour,
        case.hair_colour,
        case.distinguishing_marks,
        case.clothing,
        case.region,
        case.last_seen_place,
        case.circumstances,
        case.investigator_notes,
        case.family_contacts,
        case.medical_details,
        case.home_address,
    ]
    texts += [p.source for p in case.photos]
    for companion in case.companions:
        texts += [companion.name, companion.relationship, companion.description]
        if companion.vehicle:
            texts += [companion.vehicle.colour, companion.vehicle.plate]
    return texts


@pytest.mark.parametrize(("code", "script"), [("UA", CYRILLIC), ("MA", ARABIC)])
def test_non_latin_countries_use_their_own_script(code, script):
    for case in cases_for(code):
        for text in _texts(case):
            assert script.search(text), (case.case_number, text)
            assert not LATIN.search(text), (case.case_number, text)


def test_mexican_names_are_spanish():
    for case in cases_for("MX"):
        assert not CYRILLIC.search(case.full_name) and not ARABIC.search(case.full_name)
        assert len(case.family_name.split()) >= 2  # two apellidos


def test_names_are_varied():
    for ctry in COUNTRIES:
        names = [c.full_name for c in cases_for(ctry.code)]
        assert len(set(names)) == len(names)
        assert len({c.given_name for c in cases_for(ctry.code)}) >= 8
        assert {c.sex for c in cases_for(ctry.code)} == {"female", "male"}


# --------------------------------------------------------------------------- fiction & privacy


def test_every_case_is_marked_fictional():
    for case in ALL_CASES:
        assert case.fictional
        assert case.circumstances.endswith(FICTIONAL_MARKERS[case.language])
        for name in case.PRIVATE_FIELDS:
            value = getattr(case, name)
            assert value, (case.case_number, name)
            assert is_fictional(value, case.language), (case.case_number, name, value)


def test_fictional_phone_numbers_and_plates():
    for case in ALL_CASES:
        assert " 00" in case.family_contacts  # zero-filled exchange: obviously fake
        for companion in case.companions:
            if companion.vehicle:
                plate = companion.vehicle.plate
                assert "DMO" in plate or "ДМ" in plate or plate.endswith("-00")


def test_demo_users():
    usernames = {u.username for u in DEMO_USERS}
    assert "admin" in usernames
    for ctry in COUNTRIES:
        assert f"{ctry.code.lower()}-editor" in usernames
        assert f"{ctry.code.lower()}-investigator" in usernames
    assert len(usernames) == len(DEMO_USERS)
    assert all(u.password == DEMO_PASSWORD == "homeward-demo" for u in DEMO_USERS)
    admin = next(u for u in DEMO_USERS if u.username == "admin")
    assert admin.role == "network_admin" and admin.country_code is None and admin.is_superuser
    for user in DEMO_USERS:
        if user.username != "admin":
            assert user.role in ("editor", "investigator")
            assert not user.is_superuser
            assert user.email.endswith(".invalid")


# --------------------------------------------------------------------------- images


def test_case_photos_render_as_small_valid_pngs():
    seen = set()
    for case in ALL_CASES:
        png = case.photos[0].png()
        assert decode(png).size == (600, 750)
        assert len(png) < MAX_PNG_BYTES
        seen.add(png)
    assert len(seen) == len(ALL_CASES)


def test_portraits_are_deterministic_and_seed_dependent():
    a = portraits.portrait_png("alpha")
    assert a == portraits.portrait_png("alpha")
    assert a != portraits.portrait_png("beta")
    assert a != portraits.portrait_png("alpha/2")  # same child, another picture


@pytest.mark.parametrize("style", portraits.HAIR_STYLES)
def test_every_hair_style_renders(style):
    png = portraits.portrait_png(f"style-{style}", hair_style=style, glasses=True, freckles=True)
    assert decode(png).size == (600, 750)
    assert len(png) < MAX_PNG_BYTES


def test_portrait_options():
    custom = portraits.portrait_png("x", size=(300, 375), skin="#8d5524", hair=(20, 20, 20))
    assert decode(custom).size == (300, 375)
    for age in (2, 10, 40):
        assert len(portraits.portrait_png("x", age=age)) < MAX_PNG_BYTES
    with pytest.raises(ValueError):
        portraits.portrait_png("x", hair="not-a-colour")
    with pytest.raises(ValueError):
        portraits.portrait_png("x", hair_style="mohawk")


def test_portraits_carry_the_fictional_ribbon():
    image = decode(portraits.portrait_png("ribbon")).convert("RGB")
    # a point on the red corner band, clear of the lettering
    r, g, b = image.getpixel((2, 96))
    assert r > 150 and g < 80 and b < 80
    # with white lettering on the band
    band = image.crop((0, 0, 140, 140)).getcolors(maxcolors=4096)
    assert any(min(colour) > 230 for _, colour in band)


def test_companion_photos_and_vehicles_render():
    for case in ALL_CASES:
        for companion in case.companions:
            photo = companion.photo_png()
            assert (photo is None) == (not companion.has_photo)
            if photo:
                assert len(photo) < MAX_PNG_BYTES
            if companion.vehicle:
                png = companion.vehicle.png()
                assert decode(png).size == (600, 360)
                assert len(png) < MAX_PNG_BYTES
                assert png == companion.vehicle.png()


def test_vehicle_colours():
    red = portraits.vehicle_png("car", "red")
    assert red == portraits.vehicle_png("car", "red")
    assert red != portraits.vehicle_png("car", "blue")
    assert portraits.vehicle_png("car", "rojo") == portraits.vehicle_png("car", "rojo")
    decode(portraits.vehicle_png("car", "#336699"))
    decode(portraits.vehicle_png("car", "chartreuse-ish"))  # unknown name: stable colour


def test_logo_png():
    png = portraits.logo_png("Homeward", "#0B6E4F", "#F2A541")
    assert decode(png).size == (400, 120)
    assert png == portraits.logo_png("Homeward", "#0B6E4F", "#F2A541")
    assert png != portraits.logo_png("Homeward MX", "#0B6E4F", "#F2A541")


def test_reference_date_is_after_all_cases():
    assert max(c.missing_since.date() for c in ALL_CASES) < REFERENCE_DATE
    assert date(2026, 11, 1) == REFERENCE_DATE
