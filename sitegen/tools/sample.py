"""Writes the synthetic sample snapshot ``content/sample`` (``python -m sitegen.tools.sample``).

Three fictional demo sites — Mexico (es, en), Ukraine (uk, en), Morocco (ar, fr) — with eight
obviously fictional children, companions and vehicles, one withdrawn case (a tombstone), and tiny
portraits drawn here with Pillow (no real person's photo is ever used). It is the generator's own
fixture, made without Django, for the golden test; the CMS's ``export_content`` writes the same
format (``content/demo``, ``make demo-snapshot``). ``SnapshotFiles`` is also used by
``sitegen.tools.bench``.

It writes only into the snapshot folder it is given, which it replaces entirely.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from sitegen.context import OPTIONAL_FIELDS
from sitegen.schema import layout

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "content" / "sample"


class SnapshotFiles:
    """Writes snapshot records and content-addressed media into a snapshot folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def record(self, rel: str, data: dict[str, Any]) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def media(
        self, data: bytes, ext: str, content_type: str, size: tuple[int, int]
    ) -> dict[str, Any]:
        sha = hashlib.sha256(data).hexdigest()
        rel = f"media/{sha}.{ext}"
        (self.root / "media").mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_bytes(data)
        return {
            "sha256": sha,
            "path": rel,
            "width": size[0],
            "height": size[1],
            "content_type": content_type,
        }


def portrait(seed: int, aged: bool = False, size: tuple[int, int] = (120, 150)) -> bytes:
    """A small drawn silhouette (JPEG, a few KB), different for each seed; clearly not a photo."""
    palette = [(196, 222, 240), (240, 214, 196), (214, 240, 200), (232, 210, 236), (250, 236, 190)]
    skins = [(141, 85, 36), (198, 134, 66), (224, 172, 105), (241, 194, 125), (255, 219, 172)]
    hairs = [(30, 20, 10), (90, 56, 37), (180, 140, 60), (60, 40, 30), (20, 20, 20)]
    w, h = size
    image = Image.new("RGB", size, palette[seed % 5])
    draw = ImageDraw.Draw(image)
    skin, hair = skins[(seed // 5) % 5], hairs[(seed // 25) % 5]
    if aged:
        hair = (min(255, hair[0] + 40), min(255, hair[1] + 40), min(255, hair[2] + 40))
    draw.ellipse((w * 0.12, h * 0.72, w * 0.88, h * 1.3), fill=(70 + seed * 37 % 150, 80, 120))
    draw.ellipse((w * 0.3, h * 0.2, w * 0.7, h * 0.68), fill=skin)
    draw.chord((w * 0.28, h * 0.14, w * 0.72, h * 0.5), 180, 360, fill=hair)
    draw.rectangle((0, h - 14, w, h), fill=(255, 255, 255))
    draw.text((4, h - 13), "FICTIONAL", fill=(120, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60, optimize=True)
    return buffer.getvalue()


def logo(colour: tuple[int, int, int]) -> bytes:
    """A 48×48 house-shaped mark (PNG)."""
    image = Image.new("RGBA", (48, 48), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(24, 4), (44, 22), (4, 22)], fill=(255, 255, 255))
    draw.rectangle((10, 22, 38, 44), fill=(255, 255, 255))
    draw.rectangle((20, 30, 28, 44), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


SITES: dict[str, dict[str, Any]] = {
    "mx": {
        "languages": ["es", "en"],
        "name": {
            "es": "Niñas y niños desaparecidos · México (demo)",
            "en": "Missing Children · Mexico (demo)",
        },
        "hotline": "+52 800 000 0101",
        "hotline_label": {
            "es": "Línea Nacional de Niñez Desaparecida (demo)",
            "en": "National Missing Children Line (demo)",
        },
        "agency": {
            "es": "Fiscalía Ficticia de Jalisco",
            "en": "Fictional Jalisco Prosecutor's Office",
        },
        "agency_phone": "+52 33 0000 0202",
        "colours": ("#0b4f6c", "#b3261e"),
        "paper": "Letter",
        "tz": "America/Mexico_City",
    },
    "ua": {
        "languages": ["uk", "en"],
        "name": {"uk": "Зниклі діти · Україна (демо)", "en": "Missing Children · Ukraine (demo)"},
        "hotline": "+380 800 000 116",
        "hotline_label": {"uk": "Національна лінія (демо)", "en": "National hotline (demo)"},
        "agency": {"uk": "Вигадане управління поліції", "en": "Fictional Police Department"},
        "agency_phone": "+380 44 000 0102",
        "colours": ("#1f3a93", "#a61b1b"),
        "paper": "A4",
        "tz": "Europe/Kyiv",
    },
    "ma": {
        "languages": ["ar", "fr"],
        "name": {"ar": "أطفال مفقودون · المغرب (تجريبي)", "fr": "Enfants disparus · Maroc (démo)"},
        "hotline": "+212 800 000 919",
        "hotline_label": {"ar": "الخط الوطني (تجريبي)", "fr": "Ligne nationale (démo)"},
        "agency": {"ar": "مديرية أمن خيالية", "fr": "Direction de sécurité fictive"},
        "agency_phone": "+212 522 000 303",
        "colours": ("#006233", "#c1272d"),
        "paper": "A4",
        "tz": "Africa/Casablanca",
        # Bilingual posters (Arabic with French), photos in a side column.
        "posters": {
            "layout": "sidebar",
            "second_language": "fr",
            "fields": [f for f in OPTIONAL_FIELDS if f != "circumstances"],
            "footer_text": {"ar": "حالات خيالية للعرض.", "fr": "Cas fictifs de démonstration."},
            "heading_colour": "#b3261e",
        },
    },
}

SITE_TEXT = {
    "es": (
        "Si vio a alguno de estos niños, llame de inmediato.",
        "Sitio de demostración. Datos ficticios.",
    ),
    "en": (
        "If you have seen any of these children, call at once.",
        "Demonstration site. Fictional data.",
    ),
    "uk": (
        "Якщо ви бачили когось із цих дітей, негайно телефонуйте.",
        "Демонстраційний сайт. Вигадані дані.",
    ),
    "ar": ("إذا رأيت أحد هؤلاء الأطفال، اتصل فورًا.", "موقع تجريبي. بيانات خيالية."),
    "fr": (
        "Si vous avez vu l'un de ces enfants, appelez immédiatement.",
        "Site de démonstration. Données fictives.",
    ),
}

PAGES = {
    "es": (
        (
            "Niñas y niños desaparecidos",
            "<p>Todas las personas de este sitio son <strong>ficticias</strong>.</p>",
        ),
        ("acerca-de", "Acerca de este sitio", "<p>Sitio de demostración de Homeward.</p>"),
    ),
    "en": (
        ("Missing children", "<p>Every person on this site is <strong>fictional</strong>.</p>"),
        ("about", "About this site", "<p>A Homeward demonstration site.</p>"),
    ),
    "uk": (
        ("Зниклі діти", "<p>Усі люди на цьому сайті <strong>вигадані</strong>.</p>"),
        ("про-сайт", "Про цей сайт", "<p>Демонстраційний сайт Homeward.</p>"),
    ),
    "ar": (
        ("أطفال مفقودون", "<p>جميع الأشخاص في هذا الموقع <strong>خياليون</strong>.</p>"),
        ("عن-الموقع", "عن هذا الموقع", "<p>موقع تجريبي لمنصة Homeward.</p>"),
    ),
    "fr": (
        (
            "Enfants disparus",
            "<p>Toutes les personnes de ce site sont <strong>fictives</strong>.</p>",
        ),
        ("a-propos", "À propos de ce site", "<p>Un site de démonstration Homeward.</p>"),
    ),
}

# Per case: fixed facts, then per-locale text (given, family, region, place, eyes, hair, marks,
# clothing, circumstances), companions (name, relationship, description, vehicle colour) per locale.
CASES: list[dict[str, Any]] = [
    {
        "site": "mx",
        "id": "mx-0001",
        "type": "family_abduction",
        "sex": "female",
        "dob": "2016-04-09",
        "age": 7,
        "since": "2024-02-17T16:45:00-06:00",
        "h": (121, "cm"),
        "w": (24, "kg"),
        "lat": 20.677,
        "lon": -103.347,
        "text": {
            "es": (
                "Lucía",
                "Ejemplo Ficticio",
                "Jalisco",
                "Plaza de muestra, Guadalajara",
                "café",
                "castaño, largo",
                "Lunar pequeño bajo el ojo izquierdo",
                "Vestido amarillo y tenis blancos",
                "Salió de la escuela con un familiar que no tenía la custodia.",
            ),
            "en": (
                "Lucía",
                "Ejemplo Ficticio",
                "Jalisco",
                "Sample Square, Guadalajara",
                "brown",
                "brown, long",
                "Small mole under the left eye",
                "Yellow dress and white trainers",
                "Left school with a relative who did not have custody.",
            ),
        },
        "companions": [
            {
                "es": ("Ramón Ficticio", "padre", "Hombre de unos 40 años, barba corta", "gris"),
                "en": ("Ramón Ficticio", "father", "Man about 40, short beard", "grey"),
                "vehicle": ("Nissan", "Tsuru", "DEMO-001-A"),
            }
        ],
    },
    {
        "site": "mx",
        "id": "mx-0002",
        "type": "endangered_runaway",
        "sex": "male",
        "dob": "2009-11-30",
        "age": 14,
        "since": "2024-05-03T21:10:00-06:00",
        "h": (162, "cm"),
        "w": (50.5, "kg"),
        "lat": 25.686,
        "lon": -100.316,
        "text": {
            "es": (
                "Mateo",
                "Demostración",
                "Nuevo León",
                "Estación inventada, Monterrey",
                "negro",
                "negro, corto",
                "",
                "Sudadera azul con capucha",
                "Fue visto por última vez cerca de la estación.",
            ),
            "en": (
                "Mateo",
                "Demostración",
                "Nuevo León",
                "Made-up Station, Monterrey",
                "black",
                "black, short",
                "",
                "Blue hooded sweatshirt",
                "Last seen near the station.",
            ),
        },
        "companions": [],
    },
    {
        "site": "mx",
        "id": "mx-0003",
        "type": "lost_injured",
        "sex": "female",
        "dob": None,
        "age": 4,
        "since": "2015-08-21T09:00:00-05:00",
        "h": None,
        "w": None,
        "lat": 19.433,
        "lon": -99.133,
        "progressed": 13,
        "text": {
            "es": (
                "Sofía",
                "Prueba Inventada",
                "Ciudad de México",
                "Mercado de ejemplo",
                "verde",
                "rubio",
                "Cicatriz en la rodilla derecha",
                "Playera roja",
                "Se separó de su familia en un mercado concurrido.",
            ),
            "en": (
                "Sofía",
                "Prueba Inventada",
                "Mexico City",
                "Example Market",
                "green",
                "blond",
                "Scar on the right knee",
                "Red T-shirt",
                "Became separated from her family in a busy market.",
            ),
        },
        "companions": [],
    },
    {
        "site": "ua",
        "id": "ua-0001",
        "type": "non_family_abduction",
        "sex": "female",
        "dob": "2012-01-15",
        "age": 12,
        "since": "2024-03-09T14:20:00+02:00",
        "h": (150, "cm"),
        "w": (38, "kg"),
        "lat": 50.45,
        "lon": 30.523,
        "text": {
            "uk": (
                "Оксана",
                "Вигаданенко",
                "Київська область",
                "Зразковий парк, Київ",
                "блакитні",
                "русяве, коса",
                "Родимка на шиї",
                "Зелена куртка, джинси",
                "Сіла в автомобіль незнайомця біля парку.",
            ),
            "en": (
                "Oksana",
                "Vyhadanenko",
                "Kyiv Oblast",
                "Sample Park, Kyiv",
                "blue",
                "light brown, plaited",
                "Birthmark on the neck",
                "Green jacket, jeans",
                "Got into a stranger's car near the park.",
            ),
        },
        "companions": [
            {
                "uk": ("", "невідомий", "Чоловік близько 30 років, високий", "білий"),
                "en": ("", "unknown", "Man about 30, tall", "white"),
                "vehicle": ("Daewoo", "Lanos", "AA 0000 DM"),
            }
        ],
    },
    {
        "site": "ua",
        "id": "ua-0002",
        "type": "unknown",
        "sex": "male",
        "dob": "2010-07-01",
        "age": 13,
        "since": "2023-12-24T19:00:00+02:00",
        "h": (155, "cm"),
        "w": None,
        "lat": 49.839,
        "lon": 24.029,
        "text": {
            "uk": (
                "Тарас",
                "Зразковий",
                "Львівська область",
                "Вигадана вулиця, Львів",
                "карі",
                "темне",
                "",
                "Чорна шапка, сірий светр",
                "Не повернувся додому ввечері.",
            ),
            "en": (
                "Taras",
                "Zrazkovyi",
                "Lviv Oblast",
                "Invented Street, Lviv",
                "brown",
                "dark",
                "",
                "Black hat, grey jumper",
                "Did not come home in the evening.",
            ),
        },
        "companions": [],
    },
    {
        "site": "ua",
        "id": "ua-0003",
        "type": "endangered_runaway",
        "sex": "female",
        "dob": "2008-02-29",
        "age": 16,
        "since": "2024-10-02T08:30:00+03:00",
        "h": (60, "in"),
        "w": (110, "lb"),
        "lat": 50.45,
        "lon": 30.523,
        "text": {
            "uk": (
                "Марія",
                "Тестова",
                "Київська область",
                "Тестовий вокзал",
                "сірі",
                "руде",
                "Пірсинг у лівому вусі",
                "Червоний рюкзак",
                "Залишила записку, що їде до друзів.",
            ),
            "en": (
                "Mariia",
                "Testova",
                "Kyiv Oblast",
                "Test Railway Station",
                "grey",
                "red",
                "Piercing in the left ear",
                "Red backpack",
                "Left a note saying she was going to friends.",
            ),
        },
        "companions": [],
    },
    {
        "site": "ma",
        "id": "ma-0001",
        "type": "family_abduction",
        "sex": "female",
        "dob": "2018-09-12",
        "age": 5,
        "since": "2024-01-20T11:00:00+01:00",
        "h": (108, "cm"),
        "w": (18, "kg"),
        "lat": 33.573,
        "lon": -7.59,
        "text": {
            "ar": (
                "ياسمين",
                "التجريبية",
                "الدار البيضاء-سطات",
                "حديقة وهمية، الدار البيضاء",
                "بنية",
                "أسود مجعد",
                "",
                "معطف وردي",
                "أخذتها قريبة لا تملك حق الحضانة.",
            ),
            "fr": (
                "Yasmine",
                "Tajribia",
                "Casablanca-Settat",
                "Parc imaginaire, Casablanca",
                "marron",
                "noirs, bouclés",
                "",
                "Manteau rose",
                "Emmenée par une parente qui n'a pas la garde.",
            ),
        },
        "companions": [
            {
                "ar": ("نادية التجريبية", "عمة", "امرأة في الثلاثينيات", "أزرق"),
                "fr": ("Nadia Tajribia", "tante", "Femme d'une trentaine d'années", "bleue"),
                "vehicle": ("Dacia", "Logan", "12345-أ-6 DEMO"),
            }
        ],
    },
    {
        "site": "ma",
        "id": "ma-0002",
        "type": "lost_injured",
        "sex": "male",
        "dob": "2013-03-03",
        "age": 11,
        "since": "2024-07-14T18:15:00+01:00",
        "h": (140, "cm"),
        "w": (33, "kg"),
        "lat": 34.02,
        "lon": -6.841,
        "text": {
            "ar": (
                "عمر",
                "المثالي",
                "الرباط-سلا-القنيطرة",
                "شاطئ افتراضي، الرباط",
                "عسلية",
                "أسود قصير",
                "ندبة على الجبين",
                "قميص أبيض وسروال قصير أزرق",
                "فُقد على الشاطئ بعد الظهر.",
            ),
            "fr": (
                "Omar",
                "Mithali",
                "Rabat-Salé-Kénitra",
                "Plage fictive, Rabat",
                "noisette",
                "noirs, courts",
                "Cicatrice sur le front",
                "Chemise blanche et short bleu",
                "Perdu sur la plage l'après-midi.",
            ),
        },
        "companions": [],
    },
]

TOMBSTONE = {
    "site": "ua",
    "id": "ua-0009",
    "kind": "case",
    "withdrawn_at": "2025-04-30T10:00:00+03:00",
    "paths": ["/ua/uk/cases/found-0009/", "/ua/en/cases/found-0009/"],
}


def write_sample(root: Path = SAMPLE_DIR) -> None:
    """Replace ``root`` with the sample snapshot."""
    if root.exists():
        shutil.rmtree(root)
    files = SnapshotFiles(root)
    files.record(
        "snapshot.json", {"format": "homeward-snapshot", "version": 1, "sites": list(SITES)}
    )
    for code, site in SITES.items():
        rgb = site["colours"][0]
        colour = (int(rgb[1:3], 16), int(rgb[3:5], 16), int(rgb[5:7], 16))
        mark = files.media(logo(colour), "png", "image/png", (48, 48))
        for locale in site["languages"]:
            base = layout.site_dir(code, locale)
            files.record(f"{base}/site.json", _site(code, site, locale, mark))
            (home_title, home_body), (slug, title, body) = PAGES[locale]
            stamp = "2025-01-10T09:00:00+00:00"
            files.record(
                f"{base}/pages/home.json",
                {
                    "id": "home",
                    "slug": "home",
                    "title": home_title,
                    "body": home_body,
                    "updated_at": stamp,
                    "kind": "home",
                },
            )
            files.record(
                f"{base}/pages/about.json",
                {
                    "id": "about",
                    "slug": slug,
                    "title": title,
                    "body": body,
                    "updated_at": stamp,
                    "kind": "page",
                },
            )
    for number, case in enumerate(CASES):
        site = SITES[case["site"]]
        photos = [
            {
                "media": files.media(portrait(number), "jpg", "image/jpeg", (120, 150)),
                "date_taken": case["since"][:10],
            }
        ]
        if "progressed" in case:
            photos.append(
                {
                    "media": files.media(
                        portrait(number, aged=True), "jpg", "image/jpeg", (120, 150)
                    ),
                    "date_taken": None,
                    "progressed": case["progressed"],
                }
            )
        for locale in site["languages"]:
            files.record(
                layout.record_file(case["site"], locale, "case", case["id"]),
                _case(case, site, locale, photos, files, number),
            )
    where, case_id = str(TOMBSTONE["site"]), str(TOMBSTONE["id"])
    files.record(layout.tombstone_file(where, "case", case_id), TOMBSTONE)


def _site(code: str, site: dict[str, Any], locale: str, mark: dict[str, Any]) -> dict[str, Any]:
    contact, legal = SITE_TEXT[locale]
    return {
        "code": code,
        "name": site["name"][locale],
        "locale": locale,
        "languages": site["languages"],
        "base_url": f"https://{code}.homeward.example",
        "hotline": {"number": site["hotline"], "label": site["hotline_label"][locale]},
        "agencies": [{"name": site["agency"][locale], "phone": site["agency_phone"]}],
        "branding": {
            "logo": mark,
            "primary_colour": site["colours"][0],
            "accent_colour": site["colours"][1],
        },
        "paper_size": site["paper"],
        "contact_text": contact,
        "legal_text": legal,
        "fictional": True,
        **(
            {"posters": {**site["posters"], "footer_text": site["posters"]["footer_text"][locale]}}
            if "posters" in site
            else {}
        ),
    }


def _case(
    case: dict[str, Any],
    site: dict[str, Any],
    locale: str,
    photos: list[dict[str, Any]],
    files: SnapshotFiles,
    number: int,
) -> dict[str, Any]:
    given, family, region, place, eyes, hair, marks, clothing, circumstances = case["text"][locale]
    alt = {
        "es": "Retrato dibujado de {}",
        "en": "Drawn portrait of {}",
        "uk": "Намальований портрет: {}",
        "ar": "صورة مرسومة لـ{}",
        "fr": "Portrait dessiné de {}",
    }[locale]
    aged_alt = {
        "es": "Imagen con progresión de edad de {}",
        "en": "Age-progressed image of {}",
        "uk": "Зображення з віковою прогресією: {}",
        "ar": "صورة معدلة للعمر لـ{}",
        "fr": "Image vieillie de {}",
    }[locale]
    companions = []
    for index, companion in enumerate(case["companions"]):
        name, relationship, description, colour = companion[locale]
        make, model, plate = companion["vehicle"]
        companions.append(
            {
                "name": name,
                "relationship": relationship,
                "description": description,
                "photo": files.media(
                    portrait(100 + number + index), "jpg", "image/jpeg", (120, 150)
                )
                if name
                else None,
                "vehicle": {"make": make, "model": model, "colour": colour, "plate": plate},
            }
        )
    name = f"{given} {family}"
    return {
        "id": case["id"],
        "case_number": case["id"].upper().replace("-", "-DEMO-"),
        "slug": f"{given}-{family}".lower().replace(" ", "-"),
        "case_type": case["type"],
        "status": "missing",
        "given_name": given,
        "family_name": family,
        "sex": case["sex"],
        "date_of_birth": case["dob"],
        "estimated_age": None if case["dob"] else case["age"],
        "age_when_missing": case["age"],
        "height": {"value": case["h"][0], "unit": case["h"][1]} if case["h"] else None,
        "weight": {"value": case["w"][0], "unit": case["w"][1]} if case["w"] else None,
        "eye_colour": eyes,
        "hair_colour": hair,
        "distinguishing_marks": marks,
        "clothing": clothing,
        "missing_since": case["since"],
        "missing_since_tz": site["tz"],
        "last_seen": {"place": place, "region": region, "lat": case["lat"], "lon": case["lon"]},
        "circumstances": circumstances,
        "photos": [
            {
                "media": p["media"],
                "date_taken": p["date_taken"],
                "age_progressed_to": p.get("progressed"),
                "alt": (aged_alt if p.get("progressed") else alt).format(name),
            }
            for p in photos
        ],
        "companions": companions,
        "agency": {"name": site["agency"][locale], "phone": site["agency_phone"]},
        "first_published_at": case["since"][:11] + "23:00:00" + case["since"][19:],
        "updated_at": "2025-02-01T12:00:00+00:00",
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_DIR
    write_sample(target)
    print(f"sample snapshot written to {target}")
