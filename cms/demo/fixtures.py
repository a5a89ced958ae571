"""Homeward demo content as plain dataclasses. EVERYTHING HERE IS FICTIONAL.

No real child, family, agency, phone number, vehicle or address is described:
names are random combinations of common first names and surnames, numbers use
the countries' formats but are obviously fake (zeros, impossible plate codes),
pictures are drawn cartoons (see :mod:`cms.demo.portraits`), and every case's
``circumstances`` ends with a "fictional demo case" marker in its language.

The data is generated deterministically: ``cases_for("MX")`` returns equal
objects on every call, on every machine.

Plain Python only (stdlib + Pillow via ``portraits``), so it can be imported
without Django settings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from cms.demo import portraits

__all__ = [
    "CASE_TYPES",
    "COUNTRIES",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "FICTIONAL_MARKERS",
    "NETWORK",
    "REFERENCE_DATE",
    "RTL_LANGUAGES",
    "STATUSES",
    "DemoCase",
    "DemoCompanion",
    "DemoCountry",
    "DemoPhoto",
    "DemoUser",
    "DemoVehicle",
    "age_on",
    "all_cases",
    "cases_for",
    "country",
]

#: "Today" for the demo data: every case went missing before this date and
#: age-progressed photos show the child's age on this date.
REFERENCE_DATE = date(2026, 11, 1)

#: Password of every demo account. Demo only, never use on a real deployment.
DEMO_PASSWORD = settings.HOMEWARD_DEMO_PASSWORD

CASE_TYPES = (
    "family_abduction",
    "non_family_abduction",
    "endangered_runaway",
    "lost_injured",
    "unknown",
)
STATUSES = ("missing", "found", "closed")
RTL_LANGUAGES = frozenset({"ar"})

#: Appended to every case's ``circumstances`` (keyed by language code).
FICTIONAL_MARKERS = {
    "en": "(Fictional demo case.)",
    "es": "(Caso ficticio de demostración.)",
    "uk": "(Вигаданий демонстраційний випадок.)",
    "ar": "(حالة خيالية للعرض التوضيحي.)",
    "fr": "(Cas fictif de démonstration.)",
}


# --------------------------------------------------------------------------- dataclasses


def age_on(dob: date, on: date) -> int:
    """Completed years between ``dob`` and ``on``."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@dataclass
class DemoCountry:
    code: str  # ISO 3166-1 alpha-2, or "NET" for the network site
    name: str  # native name, e.g. "México", "Україна", "المغرب"
    name_en: str
    languages: list[str]  # first one is the site's default language
    hotline_number: str  # fictional number in the country's format
    hotline_label: str  # in the default language
    agencies: list[tuple[str, str]]  # (name, phone), fictional
    primary_colour: str  # "#rrggbb"
    accent_colour: str  # "#rrggbb"
    paper_size: str  # "Letter" or "A4"
    contact_text: str  # default language, says the site is a fictional demo
    legal_text: str  # default language, says the site is a fictional demo
    regions: list[str]  # real region names in the default language
    region_centres: dict[str, tuple[float, float]]  # region -> (lat, lon), approximate
    region_cities: dict[str, str]  # region -> main city (used in place texts)
    timezone: str  # IANA name
    fictional: bool = True
    poster_layout: str = "standard"
    poster_second_language: str = ""  # bilingual posters with this language
    poster_footer: str = ""  # default language

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def rtl(self) -> bool:
        """True when the default language is written right-to-left."""
        return self.default_language in RTL_LANGUAGES

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def logo_png(self) -> bytes:
        return portraits.logo_png(f"Homeward\n{self.name}", self.primary_colour, self.accent_colour)


@dataclass
class DemoVehicle:
    make: str
    model: str
    colour: str  # in the country's default language
    colour_key: str  # English key understood by portraits.vehicle_png
    plate: str  # fictional, deliberately impossible

    def png(self) -> bytes:
        return portraits.vehicle_png(self.plate, self.colour_key)


@dataclass
class DemoCompanion:
    name: str
    relationship: str  # in the default language, e.g. "padre", "тітка", "الأب"
    description: str  # in the default language
    has_photo: bool
    vehicle: DemoVehicle | None = None
    sex: str = "male"
    age: int = 35
    photo_seed: str | None = None  # set when has_photo
    portrait: dict[str, Any] = field(default_factory=dict)  # kwargs for portrait_png

    def photo_png(self) -> bytes | None:
        if not self.has_photo or self.photo_seed is None:
            return None
        return portraits.portrait_png(self.photo_seed, **self.portrait)


@dataclass
class DemoPhoto:
    seed: str  # "<case_number>/<n>": same face across a case's photos
    date_taken: date
    age_progressed_to: int | None = None  # set on age-progressed illustrations
    source: str = ""  # PRIVATE: where the photo came from (default language)
    portrait: dict[str, Any] = field(default_factory=dict)  # kwargs for portrait_png

    @property
    def is_age_progressed(self) -> bool:
        return self.age_progressed_to is not None

    def png(self) -> bytes:
        return portraits.portrait_png(self.seed, **self.portrait)


@dataclass
class DemoCase:
    country_code: str
    case_number: str  # e.g. "MX-2026-0001"
    case_type: str  # one of CASE_TYPES
    status: str  # one of STATUSES
    given_name: str
    family_name: str
    sex: str  # "female" / "male"
    date_of_birth: date | None
    estimated_age: int | None  # set only when date_of_birth is None
    age_when_missing: int
    height_value: int
    height_unit: str
    weight_value: int
    weight_unit: str
    eye_colour: str  # default language
    hair_colour: str  # default language
    distinguishing_marks: str
    clothing: str
    missing_since: datetime  # aware, in the country's time zone
    region: str  # one of the country's regions
    last_seen_place: str  # a public place, never a home address
    last_seen_lat: float
    last_seen_lon: float
    circumstances: str  # ends with FICTIONAL_MARKERS[language]
    photos: list[DemoPhoto]
    companions: list[DemoCompanion]
    agency_index: int  # index into DemoCountry.agencies
    # PRIVATE fields: must never be published on a public page or poster.
    investigator_notes: str
    family_contacts: str
    medical_details: str
    home_address: str
    # Keys for drawing (portraits.SKIN_TONES / HAIR_COLOURS / EYE_COLOURS).
    skin_tone: str = "medium"
    hair_key: str = "black"
    eye_key: str = "brown"
    language: str = "en"
    fictional: bool = True

    PRIVATE_FIELDS = ("investigator_notes", "family_contacts", "medical_details", "home_address")

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_at(self, on: date) -> int:
        if self.date_of_birth is not None:
            return age_on(self.date_of_birth, on)
        assert self.estimated_age is not None
        return self.estimated_age + max(0, age_on(self.missing_since.date(), on))

    @property
    def current_age(self) -> int:
        """Age on REFERENCE_DATE."""
        return self.age_at(REFERENCE_DATE)


@dataclass
class DemoUser:
    username: str
    role: str  # "editor", "investigator" or "network_admin"
    country_code: str | None  # None for the network admin
    language: str
    first_name: str
    last_name: str
    email: str
    password: str = DEMO_PASSWORD
    is_superuser: bool = False


# --------------------------------------------------------------------------- countries

COUNTRIES: list[DemoCountry] = [
    DemoCountry(
        code="MX",
        name="México",
        name_en="Mexico",
        languages=["es", "en"],
        hotline_number="+52 800 000 0000",
        hotline_label="Línea nacional de niñas y niños desaparecidos (demo)",
        agencies=[
            ("Fiscalía Demo de Búsqueda de Personas", "+52 800 000 0001"),
            ("Comisión Ficticia de Búsqueda de Niñas y Niños", "+52 800 000 0002"),
            ("Fundación Demo Regreso a Casa", "+52 800 000 0003"),
        ],
        primary_colour="#0B6E4F",
        accent_colour="#F2A541",
        paper_size="Letter",
        poster_footer="Comparte este cartel: cada hora cuenta. Caso ficticio de demostración.",
        contact_text=(
            "Si tienes información sobre alguno de estos casos, llama a la línea "
            "+52 800 000 0000 o acude a la fiscalía más cercana. Este sitio es una "
            "demostración ficticia de Homeward: los casos, nombres y teléfonos no son reales."
        ),
        legal_text=(
            "Sitio de demostración ficticio. Todas las personas, casos, imágenes y números "
            "de teléfono son inventados; cualquier parecido con personas reales es "
            "coincidencia. No envíes información real a este sitio."
        ),
        regions=["Jalisco", "Ciudad de México", "Nuevo León", "Puebla", "Yucatán", "Oaxaca"],
        region_centres={
            "Jalisco": (20.67, -103.35),
            "Ciudad de México": (19.43, -99.13),
            "Nuevo León": (25.67, -100.31),
            "Puebla": (19.04, -98.21),
            "Yucatán": (20.97, -89.62),
            "Oaxaca": (17.07, -96.72),
        },
        region_cities={
            "Jalisco": "Zapopan",
            "Ciudad de México": "Coyoacán",
            "Nuevo León": "Monterrey",
            "Puebla": "Puebla",
            "Yucatán": "Mérida",
            "Oaxaca": "Oaxaca de Juárez",
        },
        timezone="America/Mexico_City",
    ),
    DemoCountry(
        code="UA",
        name="Україна",
        name_en="Ukraine",
        languages=["uk", "en"],
        hotline_number="+380 800 000 000",
        hotline_label="Гаряча лінія з пошуку зниклих дітей (демо)",
        agencies=[
            ("Демонстраційний відділ ювенальної превенції", "+380 800 000 001"),
            ("Вигадана служба пошуку дітей", "+380 800 000 002"),
            ("Демо-фонд «Дорога додому»", "+380 800 000 003"),
        ],
        primary_colour="#0057B7",
        accent_colour="#FFD500",
        paper_size="A4",
        contact_text=(
            "Якщо ви маєте інформацію про будь-який із цих випадків, зателефонуйте на "
            "гарячу лінію +380 800 000 000 або зверніться до найближчого відділу поліції. "
            "Це вигаданий демонстраційний сайт Homeward: випадки, імена та телефони "
            "не є справжніми."
        ),
        legal_text=(
            "Вигаданий демонстраційний сайт. Усі особи, випадки, зображення та номери "
            "телефонів вигадані; будь-яка схожість зі справжніми людьми є випадковою. "
            "Не надсилайте на цей сайт справжню інформацію."
        ),
        regions=[
            "Київська область",
            "Львівська область",
            "Харківська область",
            "Одеська область",
            "Вінницька область",
        ],
        region_centres={
            "Київська область": (49.80, 30.11),
            "Львівська область": (49.84, 24.03),
            "Харківська область": (49.99, 36.23),
            "Одеська область": (46.46, 30.68),
            "Вінницька область": (49.23, 28.47),
        },
        region_cities={
            "Київська область": "Біла Церква",
            "Львівська область": "Львів",
            "Харківська область": "Харків",
            "Одеська область": "Одеса",
            "Вінницька область": "Вінниця",
        },
        timezone="Europe/Kyiv",
    ),
    DemoCountry(
        code="MA",
        name="المغرب",
        name_en="Morocco",
        languages=["ar", "fr"],
        hotline_number="+212 800 00 00 00",
        hotline_label="الخط الأخضر للأطفال المفقودين (تجريبي)",
        agencies=[
            ("الوحدة التجريبية للبحث عن الأطفال المفقودين", "+212 800 00 00 01"),
            ("المرصد الخيالي لحماية الطفولة", "+212 800 00 00 02"),
            ("جمعية العودة إلى البيت (تجريبية)", "+212 800 00 00 03"),
        ],
        primary_colour="#C1272D",
        accent_colour="#006233",
        paper_size="A4",
        poster_layout="sidebar",
        poster_second_language="fr",
        poster_footer="شارك هذا الملصق: كل ساعة مهمة. حالة خيالية للعرض التوضيحي.",
        contact_text=(
            "إذا كانت لديك معلومات عن أي من هذه الحالات، فاتصل بالخط الأخضر "
            "+212 800 00 00 00 أو توجّه إلى أقرب مركز للشرطة. هذا موقع تجريبي خيالي "
            "لمنصة Homeward: الحالات والأسماء وأرقام الهاتف ليست حقيقية."
        ),
        legal_text=(
            "موقع تجريبي خيالي. جميع الأشخاص والحالات والصور وأرقام الهاتف مختلقة، "
            "وأي تشابه مع أشخاص حقيقيين هو محض صدفة. لا ترسل معلومات حقيقية إلى هذا الموقع."
        ),
        regions=[
            "الدار البيضاء-سطات",
            "الرباط-سلا-القنيطرة",
            "مراكش-آسفي",
            "فاس-مكناس",
            "طنجة-تطوان-الحسيمة",
            "سوس-ماسة",
        ],
        region_centres={
            "الدار البيضاء-سطات": (33.55, -7.58),
            "الرباط-سلا-القنيطرة": (33.99, -6.83),
            "مراكش-آسفي": (31.63, -8.01),
            "فاس-مكناس": (34.03, -5.00),
            "طنجة-تطوان-الحسيمة": (35.74, -5.83),
            "سوس-ماسة": (30.42, -9.55),
        },
        region_cities={
            "الدار البيضاء-سطات": "الدار البيضاء",
            "الرباط-سلا-القنيطرة": "الرباط",
            "مراكش-آسفي": "مراكش",
            "فاس-مكناس": "فاس",
            "طنجة-تطوان-الحسيمة": "طنجة",
            "سوس-ماسة": "أكادير",
        },
        timezone="Africa/Casablanca",
    ),
]

#: The network (umbrella) site. Same shape as a country; it has no hotline,
#: agencies or regions of its own.
NETWORK = DemoCountry(
    code="NET",
    name="Homeward Network",
    name_en="Homeward Network",
    languages=["en", "fr", "es", "ar"],
    hotline_number="",
    hotline_label="",
    agencies=[],
    primary_colour="#1F3A5F",
    accent_colour="#E07A5F",
    paper_size="A4",
    contact_text=(
        "Homeward is an open-source platform that helps police agencies and NGOs publish "
        "missing-child posters. To report information about a case, use the hotline on "
        "the country site. This network site is a fictional demo."
    ),
    legal_text=(
        "Fictional demo site. All people, cases, images and phone numbers are invented; "
        "any resemblance to real people is coincidental. Do not submit real information."
    ),
    regions=[],
    region_centres={},
    region_cities={},
    timezone="UTC",
)


def country(code: str) -> DemoCountry:
    """The demo country (or NETWORK for "NET") with that code, case-insensitive."""
    wanted = code.upper()
    for c in [*COUNTRIES, NETWORK]:
        if c.code == wanted:
            return c
    raise KeyError(f"No demo country with code {code!r}")


# --------------------------------------------------------------------------- language packs
# Each pack holds the word lists and sentence templates for one default language.
# Keys of "eyes"/"hair" are portrait palette keys; values are the local words.

_PACKS: dict[str, dict[str, Any]] = {
    "es": {
        "given": {
            "female": [
                "Sofía",
                "Valentina",
                "Camila",
                "Ximena",
                "Regina",
                "Mariana",
                "Daniela",
                "Fernanda",
                "Lucía",
                "Renata",
            ],
            "male": [
                "Santiago",
                "Mateo",
                "Sebastián",
                "Diego",
                "Emiliano",
                "Leonardo",
                "Alejandro",
                "Iker",
                "Gael",
                "Jesús",
            ],
        },
        "adult_given": {
            "female": ["Guadalupe", "Patricia", "Verónica", "Alejandra", "Claudia", "Rosa María"],
            "male": ["Juan", "Carlos", "José Luis", "Miguel Ángel", "Ricardo", "Arturo"],
        },
        "surnames": [
            "García",
            "Hernández",
            "López",
            "Martínez",
            "González",
            "Pérez",
            "Rodríguez",
            "Sánchez",
            "Ramírez",
            "Flores",
            "Cruz",
            "Morales",
        ],
        "eyes": {
            "dark_brown": "café oscuro",
            "brown": "café",
            "hazel": "miel",
            "green": "verde",
            "blue": "azul",
            "grey": "gris",
        },
        "hair": {
            "black": "negro",
            "dark_brown": "castaño oscuro",
            "brown": "castaño",
            "light_brown": "castaño claro",
            "blonde": "rubio",
            "red": "pelirrojo",
        },
        "marks": {
            "scar": "Cicatriz pequeña sobre la ceja izquierda.",
            "mole": "Lunar en la mejilla derecha.",
            "glasses": "Usa lentes de armazón oscuro.",
            "tooth": "Le falta un diente frontal.",
            "birthmark": "Marca de nacimiento en el antebrazo derecho.",
            "freckles": "Pecas en la nariz y las mejillas.",
            "earrings": "Orejas perforadas con aretes dorados pequeños.",
            "none": "Sin señas particulares conocidas.",
        },
        "clothing": [
            "Sudadera azul marino con capucha, pantalón de mezclilla y tenis blancos.",
            "Playera roja con un dinosaurio estampado, shorts grises y sandalias negras.",
            "Uniforme escolar: suéter verde, pantalón gris y zapatos negros.",
            "Chamarra amarilla impermeable, pants negros y botas de lluvia.",
            "Camiseta blanca de fútbol, pantalón deportivo azul y tenis rojos.",
            "Suéter morado, jeans claros y una mochila rosa con estrellas.",
        ],
        "circumstances": {
            "family_abduction": (
                "Se cree que {name} fue sustraíd{o} por su {rel}, quien no tiene la custodia, "
                "después de una visita familiar. Podría encontrarse en otro estado o fuera "
                "del país."
            ),
            "non_family_abduction": (
                "{name} fue vist{o} por última vez cuando subía a un vehículo con un adulto "
                "desconocido. Cualquier información debe reportarse de inmediato."
            ),
            "endangered_runaway": (
                "{name} salió de casa sin avisar y no se ha comunicado con su familia. "
                "Necesita tomar un medicamento a diario."
            ),
            "lost_injured": (
                "{name} se separó de su familia en un lugar concurrido y no ha sido "
                "localizad{o}. Podría estar desorientad{o} o lesionad{o}."
            ),
            "unknown": (
                "Se desconocen las circunstancias de la desaparición. {name} no regresó a "
                "casa a la hora habitual."
            ),
        },
        "gender": {"female": {"o": "a"}, "male": {"o": "o"}},
        "places": [
            "Parque central de {city}",
            "Terminal de autobuses de {city}",
            "Mercado municipal de {city}",
            "Plaza principal de {city}",
            "Entrada del centro comercial de {city}",
            "Parada de autobús frente a la biblioteca pública de {city}",
        ],
        "relations": {
            "father": "padre",
            "mother": "madre",
            "uncle": "tío",
            "aunt": "tía",
            "stepfather": "pareja de la madre",
            "friend": "amigo",
            "stranger": "desconocido",
        },
        "stranger_name": "Persona desconocida",
        "companion_desc": {
            "male": [
                "Hombre de unos {age} años, complexión media, cabello corto y barba.",
                "Hombre de unos {age} años, alto y delgado, usa gorra negra.",
            ],
            "female": [
                "Mujer de unos {age} años, cabello largo recogido, estatura media.",
                "Mujer de unos {age} años, complexión delgada, usa lentes.",
            ],
        },
        "vehicles": [
            ("Nissan", "Versa"),
            ("Volkswagen", "Jetta"),
            ("Chevrolet", "Aveo"),
            ("Nissan", "NP300"),
        ],
        "vehicle_colours": {
            "white": "blanco",
            "black": "negro",
            "silver": "plateado",
            "grey": "gris",
            "red": "rojo",
            "blue": "azul",
        },
        "plate": "DMO-{n:03d}-Z",
        "notes": [
            "Nota interna ficticia: revisar cámaras de vigilancia cerca del lugar; "
            "entrevista pendiente con la familia.",
            "Nota interna ficticia: un testigo reportó un vehículo sospechoso; falta "
            "confirmar la placa.",
            "Nota interna ficticia: se notificó a las terminales de autobuses y aeropuertos "
            "de la región.",
        ],
        "medical": [
            "Sin condiciones médicas conocidas (dato ficticio).",
            "Asma leve; usa inhalador (dato ficticio).",
            "Alergia a la penicilina (dato ficticio).",
        ],
        "medical_daily": "Diabetes tipo 1; necesita insulina diaria (dato ficticio).",
        "contact": "{name} ({rel}): +52 55 0000 {n:04d} (contacto ficticio)",
        "address": "Calle de los Ejemplos {n}, Colonia Demo, {city}, {region} (ficticia)",
        "sources": ["álbum familiar", "foto escolar", "redes sociales de la familia"],
        "aged_source": "progresión de edad (ilustración ficticia)",
        "two_surnames": True,
        "shared_surname": False,
    },
    "uk": {
        "given": {
            "female": [
                "Софія",
                "Анна",
                "Марія",
                "Вікторія",
                "Дарина",
                "Олена",
                "Катерина",
                "Соломія",
                "Злата",
                "Аліна",
            ],
            "male": [
                "Олександр",
                "Максим",
                "Артем",
                "Дмитро",
                "Назар",
                "Богдан",
                "Іван",
                "Михайло",
                "Тарас",
                "Андрій",
            ],
        },
        "adult_given": {
            "female": ["Наталія", "Оксана", "Ірина", "Тетяна", "Людмила", "Галина"],
            "male": ["Олег", "Сергій", "Віктор", "Ігор", "Василь", "Роман"],
        },
        "surnames": [
            "Ковальчук",
            "Шевченко",
            "Бондаренко",
            "Ткаченко",
            "Мельник",
            "Кравченко",
            "Поліщук",
            "Лисенко",
            "Савчук",
            "Руденко",
            "Гнатюк",
            "Марченко",
        ],
        "eyes": {
            "dark_brown": "темно-карі",
            "brown": "карі",
            "hazel": "горіхові",
            "green": "зелені",
            "blue": "блакитні",
            "grey": "сірі",
        },
        "hair": {
            "black": "чорне",
            "dark_brown": "темно-каштанове",
            "brown": "каштанове",
            "light_brown": "русяве",
            "blonde": "світле",
            "red": "руде",
        },
        "marks": {
            "scar": "Невеликий шрам над лівою бровою.",
            "mole": "Родимка на правій щоці.",
            "glasses": "Носить окуляри в темній оправі.",
            "tooth": "Немає одного переднього зуба.",
            "birthmark": "Родима пляма на правому передпліччі.",
            "freckles": "Веснянки на носі та щоках.",
            "earrings": "Проколоті вуха з маленькими золотими сережками.",
            "none": "Особливих прикмет не виявлено.",
        },
        "clothing": [
            "Темно-синє худі з капюшоном, джинси та білі кросівки.",
            "Червона футболка з динозавром, сірі шорти та чорні сандалі.",
            "Шкільна форма: зелений светр, сірі штани та чорні черевики.",
            "Жовта непромокальна куртка, чорні спортивні штани та гумові чоботи.",
            "Біла футбольна футболка, сині спортивні штани та червоні кросівки.",
            "Фіолетовий светр, світлі джинси та рожевий рюкзак із зірочками.",
        ],
        "circumstances": {
            "family_abduction": (
                "Ймовірно, дитину забрав один із батьків, який не має права опіки, після "
                "сімейної зустрічі. Дитина може перебувати в іншій області або за кордоном."
            ),
            "non_family_abduction": (
                "Свідки бачили, як дитина сідала в автомобіль із незнайомим дорослим. "
                "Будь-яку інформацію просимо негайно повідомити поліції."
            ),
            "endangered_runaway": (
                "Дитина пішла з дому, нікого не попередивши, і не виходить на зв’язок. "
                "Їй потрібно щодня приймати ліки."
            ),
            "lost_injured": (
                "Дитина відстала від родини в людному місці й досі не знайдена. Вона може "
                "бути розгубленою або травмованою."
            ),
            "unknown": (
                "Обставини зникнення невідомі. Дитина не повернулася додому у звичний час."
            ),
        },
        "gender": {"female": {}, "male": {}},
        "places": [
            "Центральний парк, м. {city}",
            "Автовокзал, м. {city}",
            "Центральний ринок, м. {city}",
            "Зупинка громадського транспорту біля міської бібліотеки, м. {city}",
            "Вхід до торговельного центру, м. {city}",
            "Залізничний вокзал, м. {city}",
        ],
        "relations": {
            "father": "батько",
            "mother": "мати",
            "uncle": "дядько",
            "aunt": "тітка",
            "stepfather": "вітчим",
            "friend": "знайомий",
            "stranger": "незнайомець",
        },
        "stranger_name": "Невідома особа",
        "companion_desc": {
            "male": [
                "Чоловік близько {age} років, середньої статури, коротке волосся, борода.",
                "Чоловік близько {age} років, високий і худорлявий, у чорній кепці.",
            ],
            "female": [
                "Жінка близько {age} років, довге волосся, зібране в хвіст, середнього зросту.",
                "Жінка близько {age} років, худорлява, носить окуляри.",
            ],
        },
        "vehicles": [
            ("Daewoo", "Lanos"),
            ("Škoda", "Octavia"),
            ("Renault", "Logan"),
            ("Volkswagen", "Passat"),
        ],
        "vehicle_colours": {
            "white": "білий",
            "black": "чорний",
            "silver": "сріблястий",
            "grey": "сірий",
            "red": "червоний",
            "blue": "синій",
        },
        "plate": "ДМ {n:04d} ДМ",
        "notes": [
            "Вигадана службова примітка: переглянути записи камер біля місця зникнення; "
            "заплановано опитування родини.",
            "Вигадана службова примітка: свідок повідомив про підозрілий автомобіль; номер "
            "ще не підтверджено.",
            "Вигадана службова примітка: повідомлено автовокзали та залізничні вокзали області.",
        ],
        "medical": [
            "Відомих захворювань немає (вигадані дані).",
            "Легка форма астми; користується інгалятором (вигадані дані).",
            "Алергія на пеніцилін (вигадані дані).",
        ],
        "medical_daily": (
            "Цукровий діабет 1 типу; потребує щоденного введення інсуліну (вигадані дані)."
        ),
        "contact": "{name} ({rel}): +380 44 000 {n:04d} (вигаданий контакт)",
        "address": "вул. Вигадана, {n}, м. {city}, {region} (вигадана адреса)",
        "sources": ["сімейний альбом", "шкільне фото", "соцмережі родини"],
        "aged_source": "вікова прогресія (вигадана ілюстрація)",
        "two_surnames": False,
        "shared_surname": True,
    },
    "ar": {
        "given": {
            "female": [
                "فاطمة",
                "مريم",
                "سلمى",
                "آية",
                "خديجة",
                "هبة",
                "نور",
                "إيمان",
                "ياسمين",
                "زينب",
            ],
            "male": [
                "محمد",
                "يوسف",
                "أيوب",
                "آدم",
                "حمزة",
                "إلياس",
                "عمر",
                "أنس",
                "مهدي",
                "إسماعيل",
            ],
        },
        "adult_given": {
            "female": ["نادية", "لطيفة", "حليمة", "سعاد", "رشيدة", "نعيمة"],
            "male": ["عبد الله", "رشيد", "مصطفى", "خالد", "سعيد", "هشام"],
        },
        "surnames": [
            "العلوي",
            "بنعلي",
            "الإدريسي",
            "التازي",
            "بنجلون",
            "الفاسي",
            "المراكشي",
            "الحسني",
            "الصقلي",
            "بناني",
            "الزياني",
            "الودغيري",
        ],
        "eyes": {
            "dark_brown": "بني داكن",
            "brown": "بني",
            "hazel": "عسلي",
            "green": "أخضر",
            "blue": "أزرق",
            "grey": "رمادي",
        },
        "hair": {
            "black": "أسود",
            "dark_brown": "بني داكن",
            "brown": "بني",
            "light_brown": "بني فاتح",
            "blonde": "أشقر",
            "red": "أحمر",
        },
        "marks": {
            "scar": "ندبة صغيرة فوق الحاجب الأيسر.",
            "mole": "شامة على الخد الأيمن.",
            "glasses": "نظارات طبية بإطار داكن.",
            "tooth": "سن أمامية مفقودة.",
            "birthmark": "وحمة على الساعد الأيمن.",
            "freckles": "نمش على الأنف والخدين.",
            "earrings": "أذنان مثقوبتان بقرطين ذهبيين صغيرين.",
            "none": "لا توجد علامات مميزة معروفة.",
        },
        "clothing": [
            "سترة زرقاء داكنة بقلنسوة، وسروال جينز، وحذاء رياضي أبيض.",
            "قميص أحمر عليه رسم ديناصور، وسروال قصير رمادي، وصندل أسود.",
            "زي مدرسي: كنزة خضراء، وسروال رمادي، وحذاء أسود.",
            "معطف مطري أصفر، وسروال رياضي أسود، وحذاء مطاطي.",
            "قميص كرة قدم أبيض، وسروال رياضي أزرق، وحذاء رياضي أحمر.",
            "كنزة بنفسجية، وسروال جينز فاتح، وحقيبة ظهر وردية عليها نجوم.",
        ],
        "gender": {"female": {}, "male": {}},
        # Arabic sentences agree with the child's sex, so there is one set per sex.
        "circumstances_by_sex": {
            "male": {
                "family_abduction": (
                    "يُعتقد أن الطفل برفقة أحد والديه الذي لا يملك حق الحضانة بعد زيارة "
                    "عائلية. قد يكون في مدينة أخرى أو خارج البلاد."
                ),
                "non_family_abduction": (
                    "شوهد الطفل آخر مرة وهو يركب سيارة مع شخص بالغ مجهول. يرجى إبلاغ "
                    "الشرطة فوراً بأي معلومة."
                ),
                "endangered_runaway": (
                    "غادر الطفل المنزل دون إخبار أحد ولم يتصل بعائلته منذ ذلك الحين. "
                    "يحتاج إلى دواء يومي."
                ),
                "lost_injured": (
                    "انفصل الطفل عن عائلته في مكان مزدحم ولم يُعثر عليه بعد. قد يكون تائهاً أو مصاباً."
                ),
                "unknown": ("ظروف الاختفاء غير معروفة. لم يعد الطفل إلى المنزل في الموعد المعتاد."),
            },
            "female": {
                "family_abduction": (
                    "يُعتقد أن الطفلة برفقة أحد والديها الذي لا يملك حق الحضانة بعد زيارة "
                    "عائلية. قد تكون في مدينة أخرى أو خارج البلاد."
                ),
                "non_family_abduction": (
                    "شوهدت الطفلة آخر مرة وهي تركب سيارة مع شخص بالغ مجهول. يرجى إبلاغ "
                    "الشرطة فوراً بأي معلومة."
                ),
                "endangered_runaway": (
                    "غادرت الطفلة المنزل دون إخبار أحد ولم تتصل بعائلتها منذ ذلك الحين. "
                    "تحتاج إلى دواء يومي."
                ),
                "lost_injured": (
                    "انفصلت الطفلة عن عائلتها في مكان مزدحم ولم يُعثر عليها بعد. قد تكون "
                    "تائهة أو مصابة."
                ),
                "unknown": (
                    "ظروف الاختفاء غير معروفة. لم تعد الطفلة إلى المنزل في الموعد المعتاد."
                ),
            },
        },
        "places": [
            "الحديقة العمومية في {city}",
            "محطة الحافلات في {city}",
            "السوق المركزي في {city}",
            "الساحة الرئيسية في {city}",
            "مدخل المركز التجاري في {city}",
            "محطة القطار في {city}",
        ],
        "relations": {
            "father": "الأب",
            "mother": "الأم",
            "uncle": "العم",
            "aunt": "الخالة",
            "stepfather": "زوج الأم",
            "friend": "صديق",
            "stranger": "غريب",
        },
        "stranger_name": "شخص مجهول",
        "companion_desc": {
            "male": [
                "رجل في {decade} من عمره، متوسط البنية، شعره قصير وله لحية.",
                "رجل في {decade} من عمره، طويل ونحيف، يرتدي قبعة سوداء.",
            ],
            "female": [
                "امرأة في {decade} من عمرها، شعرها طويل ومربوط، متوسطة القامة.",
                "امرأة في {decade} من عمرها، نحيفة، تضع نظارات.",
            ],
        },
        "decades": {20: "العشرينيات", 30: "الثلاثينيات", 40: "الأربعينيات"},
        "vehicles": [
            ("Dacia", "Logan"),
            ("Renault", "Clio"),
            ("Peugeot", "208"),
            ("Hyundai", "Accent"),
        ],
        "vehicle_colours": {
            "white": "أبيض",
            "black": "أسود",
            "silver": "فضي",
            "grey": "رمادي",
            "red": "أحمر",
            "blue": "أزرق",
        },
        "plate": "{n:05d}-أ-00",
        "notes": [
            "ملاحظة داخلية خيالية: مراجعة تسجيلات كاميرات المراقبة قرب مكان الاختفاء؛ "
            "لم تُستكمل مقابلة العائلة بعد.",
            "ملاحظة داخلية خيالية: أبلغ شاهد عن سيارة مشبوهة؛ لم يتم التأكد من رقم اللوحة بعد.",
            "ملاحظة داخلية خيالية: تم إخطار محطات الحافلات والقطارات في الجهة.",
        ],
        "medical": [
            "لا توجد حالات طبية معروفة (معلومات خيالية).",
            "ربو خفيف واستعمال بخاخ عند الحاجة (معلومات خيالية).",
            "حساسية من البنسلين (معلومات خيالية).",
        ],
        "medical_daily": "سكري من النوع الأول؛ حاجة يومية إلى الأنسولين (معلومات خيالية).",
        "contact": "{name} ({rel}): +212 600 00 {n:04d} (جهة اتصال خيالية)",
        "address": "{n} زنقة المثال، حي التجربة، {city}، {region} (عنوان خيالي)",
        "sources": ["ألبوم العائلة", "صورة مدرسية", "حساب العائلة على وسائل التواصل"],
        "aged_source": "محاكاة التقدم في العمر (رسم خيالي)",
        "two_surnames": False,
        "shared_surname": False,
    },
}

# Per-country weights for appearance (portrait palette keys).
_APPEARANCE: dict[str, dict[str, dict[str, float]]] = {
    "MX": {
        "skin": {"light": 1, "light_medium": 3, "olive": 2, "medium": 3, "medium_dark": 1},
        "hair": {"black": 5, "dark_brown": 4, "brown": 2, "light_brown": 1},
        "eyes": {"dark_brown": 5, "brown": 3, "hazel": 1, "green": 0.5},
    },
    "UA": {
        "skin": {"fair": 3, "light": 4, "light_medium": 1},
        "hair": {
            "dark_brown": 2,
            "brown": 2,
            "light_brown": 4,
            "blonde": 3,
            "black": 1,
            "red": 0.5,
        },
        "eyes": {"blue": 3, "grey": 2, "brown": 3, "green": 2, "hazel": 1},
    },
    "MA": {
        "skin": {"light_medium": 3, "olive": 3, "medium": 2, "medium_dark": 1, "dark": 0.5},
        "hair": {"black": 5, "dark_brown": 4, "brown": 1, "light_brown": 1},
        "eyes": {"dark_brown": 5, "brown": 3, "hazel": 2, "green": 1},
    },
}

# The 11 case slots of every country: (case type, status, age-progressed photo, dob unknown).
_PLAN: tuple[tuple[str, str, bool, bool], ...] = (
    ("family_abduction", "missing", True, False),
    ("non_family_abduction", "missing", False, False),
    ("endangered_runaway", "missing", False, False),
    ("lost_injured", "missing", False, True),
    ("family_abduction", "missing", False, False),
    ("unknown", "missing", True, False),
    ("endangered_runaway", "missing", False, False),
    ("lost_injured", "missing", False, True),
    ("non_family_abduction", "found", False, False),
    ("family_abduction", "found", False, False),
    ("endangered_runaway", "closed", False, False),
)

_AGE_RANGES = {
    "family_abduction": (2, 11),
    "non_family_abduction": (6, 15),
    "endangered_runaway": (13, 17),
    "lost_injured": (3, 10),
    "unknown": (5, 16),
}


# --------------------------------------------------------------------------- generation


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _height_weight(rng: random.Random, age: int, sex: str) -> tuple[int, int]:
    height = 86 + 6 * age if age <= 12 else 158 + (6 if sex == "male" else 2) * (age - 12)
    height += rng.randint(-5, 5)
    bmi = 15.5 + 0.35 * max(0, age - 6) + rng.uniform(-1.2, 1.5)
    weight = round(bmi * height * height / 10000)
    return height, weight


def _vehicle(rng: random.Random, pack: dict[str, Any]) -> DemoVehicle:
    make, model = rng.choice(pack["vehicles"])
    key = rng.choice(sorted(pack["vehicle_colours"]))
    return DemoVehicle(
        make=make,
        model=model,
        colour=pack["vehicle_colours"][key],
        colour_key=key,
        plate=pack["plate"].format(n=rng.randint(1, 999)),
    )


def _adult_description(rng: random.Random, pack: dict[str, Any], sex: str, age: int) -> str:
    template = rng.choice(pack["companion_desc"][sex])
    decades = pack.get("decades", {})
    decade = decades[max([d for d in decades if d <= age] or [min(decades)])] if decades else ""
    return template.format(age=age, decade=decade)


def _companion(
    rng: random.Random,
    pack: dict[str, Any],
    code: str,
    case_number: str,
    index: int,
    *,
    name: str,
    relation: str,
    sex: str,
    age: int,
    has_photo: bool,
    vehicle: bool,
) -> DemoCompanion:
    seed = f"{case_number}/companion-{index}"
    look = _APPEARANCE[code]
    return DemoCompanion(
        name=name,
        relationship=pack["relations"][relation],
        description=_adult_description(rng, pack, sex, age),
        has_photo=has_photo,
        vehicle=_vehicle(rng, pack) if vehicle else None,
        sex=sex,
        age=age,
        photo_seed=seed if has_photo else None,
        portrait={
            "skin": _weighted(rng, look["skin"]),
            "hair": _weighted(rng, look["hair"]),
            "eyes": _weighted(rng, look["eyes"]),
            "sex": sex,
            "age": age,
        },
    )


def _family_name(rng: random.Random, pack: dict[str, Any]) -> tuple[str, str, str]:
    """(child family name, father's family name, mother's family name)."""
    if pack["two_surnames"]:  # Spanish: father's first surname + mother's first surname
        a, b, c, d = rng.sample(pack["surnames"], 4)
        return f"{a} {b}", f"{a} {c}", f"{b} {d}"
    a, b = rng.sample(pack["surnames"], 2)
    if pack["shared_surname"]:  # e.g. Ukrainian -енко/-ук surnames fit both sexes
        return a, a, a
    return a, a, b  # Moroccan mothers keep their own family name


def cases_for(country_code: str) -> list[DemoCase]:
    """The 11 fictional demo cases of a country, ordered by case number."""
    ctry = country(country_code)
    if ctry is NETWORK:
        return []
    code = ctry.code
    lang = ctry.default_language
    pack = _PACKS[lang]
    tz = ctry.tzinfo
    rng = random.Random(f"homeward-demo-cases:{code}")

    slots = _missing_moments(rng, tz)  # case numbers follow the order they went missing

    used_names: set[str] = set()
    cases: list[DemoCase] = []
    for seq, (missing_since, (case_type, status, aged, dob_unknown)) in enumerate(slots, 1):
        case_number = f"{code}-{missing_since.year}-{seq:04d}"
        missing_day = missing_since.date()
        sex = rng.choice(("female", "male"))
        # distinct first names within a country keep the demo list easy to scan
        names = [n for n in pack["given"][sex] if n not in used_names] or pack["given"][sex]
        given = rng.choice(names)
        used_names.add(given)
        family, father_family, mother_family = _family_name(rng, pack)

        lo, hi = _AGE_RANGES[case_type]
        age = rng.randint(lo, hi)
        if dob_unknown:
            dob = None
            estimated_age: int | None = age
        else:
            dob = _years_before(missing_day, age) - timedelta(days=rng.randint(1, 360))
            estimated_age = None
            age = age_on(dob, missing_day)

        look = _APPEARANCE[code]
        skin = _weighted(rng, look["skin"])
        hair_key = _weighted(rng, look["hair"])
        eye_key = _weighted(rng, look["eyes"])

        marks = _marks(rng, age, sex)  # glasses and freckles also show in the portrait
        marks_text = " ".join(pack["marks"][m] for m in marks)

        height, weight = _height_weight(rng, age, sex)
        region = rng.choice(ctry.regions)
        city = ctry.region_cities[region]
        lat, lon = ctry.region_centres[region]
        place = rng.choice(pack["places"]).format(city=city)

        father = f"{rng.choice(pack['adult_given']['male'])} {father_family}"
        mother = f"{rng.choice(pack['adult_given']['female'])} {mother_family}"
        companions, taker, contact_rel = _companions(
            rng, pack, code, case_number, case_type, father, mother, father_family
        )
        rel_for_text = pack["relations"][taker]

        # circumstances
        if "circumstances_by_sex" in pack:
            text = pack["circumstances_by_sex"][sex][case_type]
        else:
            text = pack["circumstances"][case_type].format(
                name=given, rel=rel_for_text, **pack["gender"][sex]
            )
        circumstances = f"{text} {FICTIONAL_MARKERS[lang]}"

        # private details
        medical = (
            pack["medical_daily"]
            if case_type == "endangered_runaway"
            else rng.choice(pack["medical"])
        )
        contact_name = mother if contact_rel == "mother" else father
        family_contacts = pack["contact"].format(
            name=contact_name, rel=pack["relations"][contact_rel], n=rng.randint(1, 9999)
        )
        home_address = pack["address"].format(n=rng.randint(1, 250), city=city, region=region)

        # photos: 1-3 "family" pictures before the disappearance (+1 age progression)
        portrait_base: dict[str, Any] = {
            "skin": skin,
            "hair": hair_key,
            "eyes": eye_key,
            "sex": sex,
            "glasses": "glasses" in marks,
            "freckles": "freckles" in marks,
        }
        photos = _photos(rng, pack, case_number, dob, age, missing_day, portrait_base)

        case = DemoCase(
            country_code=code,
            case_number=case_number,
            case_type=case_type,
            status=status,
            given_name=given,
            family_name=family,
            sex=sex,
            date_of_birth=dob,
            estimated_age=estimated_age,
            age_when_missing=age,
            height_value=height,
            height_unit="cm",
            weight_value=weight,
            weight_unit="kg",
            eye_colour=pack["eyes"][eye_key],
            hair_colour=pack["hair"][hair_key],
            distinguishing_marks=marks_text,
            clothing=rng.choice(pack["clothing"]),
            missing_since=missing_since,
            region=region,
            last_seen_place=place,
            last_seen_lat=round(lat + rng.uniform(-0.04, 0.04), 5),
            last_seen_lon=round(lon + rng.uniform(-0.04, 0.04), 5),
            circumstances=circumstances,
            photos=photos,
            companions=companions,
            agency_index=rng.randrange(len(ctry.agencies)),
            investigator_notes=rng.choice(pack["notes"]),
            family_contacts=family_contacts,
            medical_details=medical,
            home_address=home_address,
            skin_tone=skin,
            hair_key=hair_key,
            eye_key=eye_key,
            language=lang,
        )
        if aged:
            current = case.current_age
            case.photos.append(
                DemoPhoto(
                    seed=f"{case_number}/age-{current}",
                    date_taken=REFERENCE_DATE - timedelta(days=rng.randint(5, 40)),
                    age_progressed_to=current,
                    source=pack["aged_source"],
                    portrait={**portrait_base, "age": current},
                )
            )
        cases.append(case)
    return cases


def _missing_moments(rng: random.Random, tz) -> list[tuple[datetime, tuple]]:
    """When each planned case went missing, in that order."""
    slots = []
    for plan in _PLAN:
        aged = plan[2]
        if aged:  # long-running cases, so the age-progressed photo shows an older child
            day = _random_date(rng, date(2024, 1, 10), date(2024, 10, 31))
        else:
            day = _random_date(rng, date(2024, 2, 1), date(2026, 10, 20))
        moment = datetime.combine(day, time(rng.randint(7, 20), rng.choice(range(0, 60, 5))))
        slots.append((moment.replace(tzinfo=tz), plan))
    slots.sort(key=lambda s: s[0])
    return slots


def _marks(rng: random.Random, age: int, sex: str) -> list[str]:
    """One or two distinguishing marks (keys of a pack's "marks"), or ["none"]."""
    mark_pool = ["scar", "mole", "glasses", "birthmark", "freckles", "none"]
    if 5 <= age <= 8:
        mark_pool.append("tooth")
    if sex == "female":
        mark_pool.append("earrings")
    marks = rng.sample(mark_pool, rng.choice((1, 1, 2)))
    return ["none"] if "none" in marks else marks


def _companions(
    rng: random.Random,
    pack: dict[str, Any],
    code: str,
    case_number: str,
    case_type: str,
    father: str,
    mother: str,
    father_family: str,
) -> tuple[list[DemoCompanion], str, str]:
    """Who the child went with, by the kind of case; with the relation the circumstances name
    (the parent who took the child, else the father) and the parent the family contact is."""
    if case_type == "family_abduction":
        return _family_abduction(rng, pack, code, case_number, father, mother, father_family)
    companions: list[DemoCompanion] = []
    if case_type == "non_family_abduction":
        companions.append(
            _companion(
                rng,
                pack,
                code,
                case_number,
                1,
                name=pack["stranger_name"],
                relation="stranger",
                sex="male",
                age=rng.choice((30, 35, 40, 45)),
                has_photo=False,
                vehicle=True,
            ),
        )
    elif case_type == "endangered_runaway" and rng.random() < 0.5:
        friend = rng.choice(pack["adult_given"]["male"])
        companions.append(
            _companion(
                rng,
                pack,
                code,
                case_number,
                1,
                name=f"{friend} {rng.choice(pack['surnames'])}",
                relation="friend",
                sex="male",
                age=20,
                has_photo=True,
                vehicle=rng.random() < 0.5,
            ),
        )
    return companions, "father", "mother"


def _family_abduction(
    rng: random.Random,
    pack: dict[str, Any],
    code: str,
    case_number: str,
    father: str,
    mother: str,
    father_family: str,
) -> tuple[list[DemoCompanion], str, str]:
    """A parent took the child, sometimes with a relative."""
    taker = rng.choice(("father", "mother"))
    contact_rel = "mother" if taker == "father" else "father"
    companions = [
        _companion(
            rng,
            pack,
            code,
            case_number,
            1,
            name=father if taker == "father" else mother,
            relation=taker,
            sex="male" if taker == "father" else "female",
            age=rng.choice((30, 35, 40)),
            has_photo=True,
            vehicle=rng.random() < 0.5,
        )
    ]
    if rng.random() < 0.5:
        options = ("aunt", "uncle", "stepfather") if taker == "mother" else ("aunt", "uncle")
        extra = rng.choice(options)
        extra_sex = "female" if extra == "aunt" else "male"
        surname = rng.choice(pack["surnames"])
        if extra == "uncle":
            surname = father_family
        companions.append(
            _companion(
                rng,
                pack,
                code,
                case_number,
                2,
                name=f"{rng.choice(pack['adult_given'][extra_sex])} {surname}",
                relation=extra,
                sex=extra_sex,
                age=rng.choice((25, 30, 35, 40, 45)),
                has_photo=rng.random() < 0.6,
                vehicle=False,
            ),
        )
    return companions, taker, contact_rel


def _photos(
    rng: random.Random,
    pack: dict[str, Any],
    case_number: str,
    dob: date | None,
    age: int,
    missing_day: date,
    portrait_base: dict[str, Any],
) -> list[DemoPhoto]:
    """One to three "family" pictures from before the disappearance."""
    earliest = missing_day - timedelta(days=700)
    if dob is not None:
        earliest = max(earliest, dob + timedelta(days=400))
    latest = missing_day - timedelta(days=10)
    dates = sorted(_random_date(rng, earliest, latest) for _ in range(rng.randint(1, 3)))
    photos: list[DemoPhoto] = []
    for i, taken in enumerate(dates, 1):
        if dob is not None:
            photo_age = age_on(dob, taken)
        else:
            photo_age = max(1, age - (age_on(taken, missing_day)))
        photos.append(
            DemoPhoto(
                seed=f"{case_number}/{i}",
                date_taken=taken,
                age_progressed_to=None,
                source=rng.choice(pack["sources"]),
                portrait={**portrait_base, "age": photo_age},
            )
        )
    return photos


def all_cases() -> list[DemoCase]:
    """Every demo case of every country (33 in total)."""
    return [case for c in COUNTRIES for case in cases_for(c.code)]


# --------------------------------------------------------------------------- users


def _users() -> list[DemoUser]:
    users = [
        DemoUser(
            username="admin",
            role="network_admin",
            country_code=None,
            language="en",
            first_name="Demo",
            last_name="Network Admin",
            email="admin@demo.homeward.invalid",
            is_superuser=True,
        )
    ]
    for c in COUNTRIES:
        for role in ("editor", "investigator"):
            username = f"{c.code.lower()}-{role}"
            users.append(
                DemoUser(
                    username=username,
                    role=role,
                    country_code=c.code,
                    language=c.default_language,
                    first_name="Demo",
                    last_name=f"{role.title()} ({c.code})",
                    email=f"{username}@demo.homeward.invalid",
                )
            )
    return users


#: Demo accounts: "admin" (network admin) plus "<cc>-editor" and "<cc>-investigator"
#: for every country. All use DEMO_PASSWORD.
DEMO_USERS: list[DemoUser] = _users()
