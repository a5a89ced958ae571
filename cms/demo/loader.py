"""Loads the fictional demo network into the CMS through the same code editors' actions use.

Countries are provisioned with `provision_country`, cases are Wagtail pages published through
revisions, translations are wagtail-localize's synced translations. Every name, number and
photo is fictional and made by the project (see cms.demo.fixtures and cms.demo.portraits).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.test.utils import override_settings
from wagtail.images.models import Image
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from cms.cases.models import CaseIndexPage, CasePage, CasePhoto, Companion
from cms.cases.signals import case_changes_paused
from cms.countries.models import Country, InvestigatingAgency
from cms.countries.provisioning import (
    CountrySpec,
    provision_country,
    provision_network_site,
    translate_tree,
)
from cms.demo import fixtures
from cms.matching.jobs import refresh_case_gallery
from cms.publishing.signals import live_publishing_paused


def is_loaded() -> bool:
    return Country.objects.filter(code__in=[c.code for c in fixtures.COUNTRIES]).exists()


def _image(png: bytes, title: str, collection, name: str) -> Image:
    return Image.objects.create(
        title=title, file=ImageFile(io.BytesIO(png), name=name), collection=collection
    )


def _setup_country(demo: fixtures.DemoCountry) -> Country:
    country = provision_country(
        CountrySpec.parse(demo.code, demo.name, ",".join(demo.languages), demo.timezone)
    )
    country.hotline_number = demo.hotline_number
    country.hotline_label = demo.hotline_label
    country.primary_colour = demo.primary_colour
    country.accent_colour = demo.accent_colour
    country.poster_paper_size = demo.paper_size
    country.poster_layout = demo.poster_layout
    country.poster_second_language = demo.poster_second_language
    country.is_demo = demo.fictional
    country.logo = _image(
        demo.logo_png(), f"{demo.name} logo", country.collection, f"logo-{demo.code}.png"
    )
    country.save()
    for order, (name, phone) in enumerate(demo.agencies):
        InvestigatingAgency.objects.create(
            country=country, name=name, phone=phone, sort_order=order
        )
    home = country.site.root_page.specific
    home.contact_text = demo.contact_text
    home.legal_text = demo.legal_text
    home.poster_footer = demo.poster_footer
    home.save_revision().publish()
    return country


def _add_case(country: Country, index: CaseIndexPage, demo: fixtures.DemoCase) -> CasePage:
    agency_name, agency_phone = fixtures.country(country.code).agencies[demo.agency_index]
    case = CasePage(
        case_number=demo.case_number,
        case_type=demo.case_type,
        status=demo.status,
        given_name=demo.given_name,
        family_name=demo.family_name,
        sex=demo.sex,
        date_of_birth=demo.date_of_birth,
        estimated_age=demo.estimated_age,
        age_when_missing=demo.age_when_missing,
        height_value=demo.height_value,
        height_unit=demo.height_unit,
        weight_value=demo.weight_value,
        weight_unit=demo.weight_unit,
        eye_colour=demo.eye_colour,
        hair_colour=demo.hair_colour,
        distinguishing_marks=demo.distinguishing_marks,
        clothing=demo.clothing,
        missing_since=demo.missing_since,
        missing_since_timezone=country.timezone,
        last_seen_place=demo.last_seen_place,
        last_seen_region=demo.region,
        last_seen_latitude=Decimal(f"{demo.last_seen_lat:.6f}"),
        last_seen_longitude=Decimal(f"{demo.last_seen_lon:.6f}"),
        circumstances=demo.circumstances,
        agency_name=agency_name,
        agency_phone=agency_phone,
        investigator_notes=demo.investigator_notes,
        family_contacts=demo.family_contacts,
        medical_details=demo.medical_details,
        home_address=demo.home_address,
        photo_sources="\n".join(
            f"{number}: {photo.source}" for number, photo in enumerate(demo.photos, 1)
        ),
    )
    for number, photo in enumerate(demo.photos, 1):
        image = _image(
            photo.png(),
            f"{demo.case_number} photo {number}",
            country.collection,
            f"{demo.case_number}-{number}.png",
        )
        case.photos.add(
            CasePhoto(
                image=image,
                date_taken=photo.date_taken,
                age_progressed_to=photo.age_progressed_to,
                sort_order=number,
            )
        )
    for number, companion in enumerate(demo.companions, 1):
        png = companion.photo_png()
        vehicle = companion.vehicle
        case.companions.add(
            Companion(
                name=companion.name,
                relationship=companion.relationship,
                description=companion.description,
                photo=_image(
                    png,
                    f"{demo.case_number} companion {number}",
                    country.collection,
                    f"{demo.case_number}-companion-{number}.png",
                )
                if png
                else None,
                vehicle_make=vehicle.make if vehicle else "",
                vehicle_model=vehicle.model if vehicle else "",
                vehicle_colour=vehicle.colour if vehicle else "",
                vehicle_plate=vehicle.plate if vehicle else "",
                sort_order=number,
            )
        )
    index.add_child(instance=case)
    case.save_revision().publish()
    return case


def _setup_users() -> list[fixtures.DemoUser]:
    User = get_user_model()
    for demo in fixtures.DEMO_USERS:
        user = User.objects.create_user(
            username=demo.username,
            password=demo.password,
            email=demo.email,
            first_name=demo.first_name,
            last_name=demo.last_name,
            is_superuser=demo.is_superuser,
            is_staff=demo.is_superuser,
        )
        if demo.country_code:
            country = Country.objects.get(code=demo.country_code)
            group = country.editors_group if demo.role == "editor" else country.investigators_group
            user.groups.add(group)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = demo.language
        profile.save()
    return fixtures.DEMO_USERS


def load_demo(report: Callable[[str], None] = print) -> None:
    """Load the whole demo network; the caller checks `is_loaded()` first.

    Wagtail's own follow-up work (reference and search indexes) runs inline here: queued, it
    would name child rows that later saves in this same load have already replaced.
    """
    with override_settings(TASKS=INLINE_TASKS), live_publishing_paused(), case_changes_paused():
        _load_demo(report)
    # The face gallery is filled by the worker in the background (`make run` starts it).
    for key in {str(key) for key in CasePage.objects.values_list("translation_key", flat=True)}:
        refresh_case_gallery.enqueue(key)


INLINE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": settings.TASK_QUEUES,
    }
}


def _load_demo(report: Callable[[str], None]) -> None:
    with transaction.atomic():
        provision_network_site(fixtures.NETWORK.name, fixtures.NETWORK.languages)
    for demo in fixtures.COUNTRIES:
        with transaction.atomic():
            country = _setup_country(demo)
            home = country.site.root_page
            index = CaseIndexPage.objects.child_of(home).get()
            cases = [_add_case(country, index, case) for case in fixtures.cases_for(demo.code)]
            others = list(Locale.objects.filter(language_code__in=demo.languages[1:]))
            for case in cases:
                translate_tree(case, others)
        report(f"{country}: {len(cases)} fictional cases in {', '.join(demo.languages)}")
    with transaction.atomic():
        _setup_users()
