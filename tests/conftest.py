"""Shared fixtures: two provisioned countries, their staff, and a case in each; Mexico's editor
signed in with the page to add a case, a network admin, and in each country a document and a
tip that carry the country's child's name, so a leak of either shows as that name.

Everything is made through the same code paths the product uses (provisioning, Wagtail's page
tree, Wagtail images), on the database chosen by DATABASE_URL (SQLite when unset).

The CMS's translations are compiled when pytest starts: ``django.mo`` files are not committed
(``python -m sitegen messages --compile`` writes them). Should Django have cached a catalog
meanwhile, it is told that its catalogs changed, as ``override_settings(LOCALE_PATHS=...)``
would.
"""

import datetime as dt
import hashlib
import io
import os
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images.models import Image

from cms.cases.models import CaseIndexPage, CasePage, CasePhoto, CaseStatus
from cms.countries.provisioning import CountrySpec, provision_country
from cms.tips.models import Tip
from sitegen.messages import compile_catalogs

pytest_plugins = ["tests.no_skips_in_ci"]

PASSWORD = "correct-horse-battery"
# Builds make no posters unless a test asks for them (build(..., posters=True)): a poster takes
# as long as hundreds of pages. The poster tests, golden, privacy and takedown tests do ask.
os.environ.setdefault("SITEGEN_POSTERS", "0")
# Nor search indexes (a Pagefind process per site and language): the search tests ask for them.
os.environ.setdefault("SITEGEN_SEARCH", "0")


def pytest_configure(config):
    if compile_catalogs():
        import django.test.signals  # noqa: F401  (connects Django's catalog-cache reset)
        from django.conf import settings
        from django.test.signals import setting_changed

        setting_changed.send(
            sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


def png_bytes(colour=(200, 120, 90), size=(64, 80)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(country, title: str) -> Image:
    colour = tuple(hashlib.sha256(title.encode()).digest()[:3])  # one picture per title
    return Image.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(png_bytes(colour)), name=f"{title}.png"),
        collection=country.collection,
    )


def make_case(country, *, given_name: str, case_number: str, publish=True, **fields) -> CasePage:
    """A published case in the country's default language, with one photo."""
    index = CaseIndexPage.objects.descendant_of(country.site.root_page).get(
        locale=country.site.root_page.locale
    )
    tz = zoneinfo.ZoneInfo(country.timezone)
    values = {
        "given_name": given_name,
        "family_name": "Fictional",
        "case_number": case_number,
        "status": CaseStatus.MISSING,
        "sex": "female",
        "date_of_birth": dt.date(2015, 3, 4),
        "missing_since": dt.datetime(2026, 5, 1, 17, 30, tzinfo=tz),
        "missing_since_timezone": country.timezone,
        "last_seen_place": "Central park",
        "last_seen_region": "Capital region",
        "last_seen_latitude": Decimal("19.432608"),
        "last_seen_longitude": Decimal("-99.133209"),
        "agency_name": "Fictional Search Unit",
        "agency_phone": "+1 555 0100",
        "investigator_notes": f"notes-{case_number}",
    }
    values.update(fields)
    case = CasePage(live=publish, **values)
    case.photos.add(CasePhoto(image=make_image(country, f"photo-{case_number}")))
    index.add_child(instance=case)
    revision = case.save_revision()
    if publish:
        revision.publish()
    return case


def case_edit_data(client, case: CasePage) -> dict:
    """What the case's admin edit form posts back when nothing is changed (for this user)."""
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    form = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    photos = [{"id": p.pk, "image": p.image.pk} for p in case.photos.all()]
    data.update(
        nested_form_data(
            {
                "photos": inline_formset(photos, initial=len(photos)),
                "companions": inline_formset([]),
                "comments": inline_formset([]),
            }
        )
    )
    return data


@pytest.fixture
def countries(db, django_capture_on_commit_callbacks):
    # wagtail-localize publishes translated pages once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        mx = provision_country(CountrySpec.parse("MX", "México", "es,en", "America/Mexico_City"))
        ua = provision_country(CountrySpec.parse("UA", "Україна", "uk,en", "Europe/Kyiv"))
    return {"MX": mx, "UA": ua}


def make_user(username: str, group=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    if group is not None:
        user.groups.add(group)
    return user


def speaking(user, language: str):
    """``user`` with ``language`` chosen as the admin's language in their account."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def staff(countries):
    """staff[code][role] -> user, for roles editor and investigator."""
    return {
        code: {
            "editor": make_user(f"{code.lower()}-editor", country.editors_group),
            "investigator": make_user(f"{code.lower()}-investigator", country.investigators_group),
        }
        for code, country in countries.items()
    }


@pytest.fixture
def cases(countries):
    return {
        "MX": make_case(countries["MX"], given_name="Ximena", case_number="MX-T-1"),
        "UA": make_case(countries["UA"], given_name="Оксана", case_number="UA-T-1"),
    }


@pytest.fixture
def editor_client(client, staff):
    """The test client, signed in as Mexico's editor."""
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    return client


@pytest.fixture
def add_url(countries):
    """Where Mexico's editors add a case."""
    home = countries["MX"].site.root_page
    index = CaseIndexPage.objects.child_of(home).get()
    return reverse("wagtailadmin_pages:add", args=["cases", "casepage", index.pk])


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("network-admin", "root@example.org", PASSWORD)


@pytest.fixture
def documents(countries, cases):
    """documents[code]: a document in the country's collection named after its child, tagged so."""
    found = {}
    for code, case in cases.items():
        document = get_document_model().objects.create(
            title=f"Statement about {case.given_name}",
            file=ContentFile(f"statement-{case.case_number}".encode(), name=f"{code}-st.txt"),
            collection=countries[code].collection,
        )
        document.tags.add(f"family-{case.given_name}")
        found[code] = document
    return found


@pytest.fixture
def country_tips(countries, cases):
    """country_tips[code]: a tip about the country's case."""
    return {
        code: Tip.objects.create(
            country=countries[code], case=case, description=f"Seen: {case.given_name}"
        )
        for code, case in cases.items()
    }


@pytest.fixture
def public(settings, tmp_path, countries):
    """Where the export and the build go, per test; countries carry a hotline and an agency."""
    settings.HOMEWARD_CONTENT_DIR = tmp_path / "content"
    settings.HOMEWARD_OUTPUT_DIR = tmp_path / "output"
    settings.HOMEWARD_PUBLIC_URL = "http://sites.test"
    for country in countries.values():
        country.hotline_number = "+1 555 0199"
        country.hotline_label = "Hotline (fictional)"
        country.save()
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with every address's budget unused (tips, sign-ups): the cache holds
    the counts."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
