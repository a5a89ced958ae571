"""The investigators' queue: what is still to review, in the country's time, and what a lead
page leads to. Leads are made directly (the face engine is tested in test_leads.py)."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cms.cases.models import CasePage, CaseStatus
from cms.matching.jobs import refresh_case
from cms.matching.models import Lead, LeadStatus
from cms.tips.models import Tip, TipPhoto, TipSource
from tests.conftest import PASSWORD, make_case, png_bytes, speaking


def tip_with_photo(country, case=None, **fields) -> TipPhoto:
    tip = Tip.objects.create(
        country=country,
        case=case,
        description=fields.pop("description", "La vi en el mercado"),
        sender_fingerprint="x",
        **fields,
    )
    photo = TipPhoto(tip=tip, sha256="0" * 64, width=64, height=80, match_status="done")
    photo.file.save("tip.png", ContentFile(png_bytes()), save=False)
    photo.save()
    return photo


def lead(photo, case, distance, **fields) -> Lead:
    from wagtail.models import Page

    from cms.countries.models import Country

    return Lead.objects.create(
        tip_photo=photo,
        face_index=fields.pop("face_index", 0),
        face_box=[0, 10, 10, 0],
        case=case,
        country=Country.objects.for_page(Page.objects.get(pk=case.pk)),
        subject="child",
        matched_image=case.photos.first().image,
        distance=distance,
        rank=1,
        **fields,
    )


def queue(client, user, **params) -> str:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("leads:queue"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def mx(countries):
    return countries["MX"]


@pytest.mark.django_db
def test_a_found_child_takes_its_leads_out_of_the_queue(client, staff, mx):
    case = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    other = make_case(mx, given_name="Yolanda", case_number="MX-Q-2")
    photo = tip_with_photo(mx)
    lead(photo, case, 0.40)
    decided = lead(photo, other, 0.42, status=LeadStatus.DISMISSED, reason="No")
    investigator = staff["MX"]["investigator"]
    assert "MX-Q-1" in queue(client, investigator)
    assert "MX-Q-2" not in queue(client, investigator)  # decided: out of the queue
    assert "MX-Q-2" in queue(client, investigator, status="dismissed")

    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    refresh_case(str(case.translation_key))  # what the gallery job does after the publish
    assert Lead.objects.get(case=case).status == LeadStatus.CLOSED
    assert "MX-Q-1" not in queue(client, investigator)
    assert "MX-Q-1" in queue(client, investigator, status="closed")
    assert Lead.objects.get(pk=decided.pk).status == LeadStatus.DISMISSED  # decisions stay


@pytest.mark.django_db
def test_weak_resemblances_are_hidden_unless_asked_for(client, staff, mx):
    strong = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    weak = make_case(mx, given_name="Yolanda", case_number="MX-Q-2")
    photo = tip_with_photo(mx)
    lead(photo, strong, 0.40)
    lead(photo, weak, 0.62)  # beyond the operating threshold (0.58)
    investigator = staff["MX"]["investigator"]
    page = queue(client, investigator)
    assert "MX-Q-1" in page and "MX-Q-2" not in page
    assert "hidden: 1" in page
    assert "MX-Q-2" in queue(client, investigator, weak=1)


@pytest.mark.django_db
def test_an_illustrated_case_photo_is_never_a_strong_resemblance(client, staff, mx):
    case = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    lead(tip_with_photo(mx), case, 0.30, matched_age_progressed_to=12)
    page = queue(client, staff["MX"]["investigator"])
    assert "Possible resemblance" in page and "Strong resemblance" not in page


@pytest.mark.django_db
def test_the_lead_page_shows_times_in_the_countrys_zone_and_leads_on(client, staff, mx):
    case = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    photo = tip_with_photo(
        mx,
        case=case,
        seen_at=dt.datetime(2026, 5, 5, 2, 10, tzinfo=dt.UTC),
        contact_name="Rosa Fictional",
        contact_phone="+52 55 1234 5678",
    )
    Tip.objects.filter(pk=photo.tip_id).update(
        received_at=dt.datetime(2026, 5, 5, 3, 0, tzinfo=dt.UTC)
    )
    found = lead(photo, case, 0.40)
    client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    page = client.get(reverse("leads:review", args=[found.pk])).content.decode()
    # 02:10 UTC is 20:10 the evening before in Mexico City, and the zone is named.
    assert "5/4/2026, 8:10\u202fPM (Mexico (Mexico City) Time)" in page
    assert "5/4/2026, 9:00\u202fPM (Mexico (Mexico City) Time)" in page
    assert "Rosa Fictional" in page and "tel:+52 55 1234 5678" in page
    assert reverse("tips:inspect", args=[photo.tip_id]) in page
    assert reverse("wagtailadmin_pages:edit", args=[case.pk]) in page
    # The tip's own page: the same times, and no "None" for coordinates nobody sent.
    tip_page = client.get(reverse("tips:inspect", args=[photo.tip_id])).content.decode()
    assert "(Mexico (Mexico City) Time)" in tip_page
    assert not re.search(r">\s*None\s*<", tip_page)


@pytest.mark.django_db
def test_a_photo_search_shows_every_countrys_resemblances_to_the_searcher(client, staff, countries):
    mx, ua = countries["MX"], countries["UA"]
    mx_case = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    ua_case = make_case(ua, given_name="Оксана", case_number="UA-Q-1")
    photo = tip_with_photo(
        mx, description="Búsqueda por foto de mx-investigator", source=TipSource.INVESTIGATOR
    )
    lead(photo, mx_case, 0.45)
    ua_lead = lead(photo, ua_case, 0.40, face_index=1)
    page = queue(client, staff["MX"]["investigator"], tip=photo.tip_id)
    assert "MX-Q-1" in page
    elsewhere = page[page.index("Resemblances in other countries") :]
    assert "UA-Q-1" in elsewhere and "Україна" in elsewhere and "Strong resemblance" in elsewhere
    assert reverse("leads:review", args=[ua_lead.pk]) not in page  # reviewed in Ukraine
    assert "Оксана" not in elsewhere  # what the public poster shows: its number and address
    # In Ukraine's queue, in its staff's language: a search by an investigator of México.
    ua_investigator = staff["UA"]["investigator"]
    client.login(username=ua_investigator.username, password=PASSWORD)
    review = client.get(
        reverse("leads:review", args=[ua_lead.pk]), HTTP_ACCEPT_LANGUAGE="uk"
    ).content.decode()
    assert "Búsqueda por foto" not in review
    assert "México" in review


@pytest.mark.django_db
def test_the_lead_email_speaks_each_investigators_language(staff, mx, mailoutbox):
    from cms.matching.jobs import notify_investigators
    from tests.conftest import make_user

    spanish = staff["MX"]["investigator"]  # no choice made: the country's first language
    english = make_user("mx-investigator-en", mx.investigators_group)
    speaking(english, "en")
    case = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    notify_investigators(lead(tip_with_photo(mx), case, 0.30))
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    assert (
        by_recipient[(spanish.email,)].subject
        == "[Homeward] Nueva pista fuerte para el caso MX-Q-1"
    )
    assert "Un parecido no es una identificación" in by_recipient[(spanish.email,)].body
    assert by_recipient[(english.email,)].subject == "[Homeward] Strong new lead for case MX-Q-1"
    assert "Ximena" not in by_recipient[(spanish.email,)].body  # a number and a link only


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("ar", "4\u200f/5\u200f/2026، 8:10 م"),  # day first, as Arabic writes dates
        ("es", "4/5/2026, 20:10"),
        ("uk", "04.05.2026, 20:10"),
    ],
)
def test_an_investigator_reads_the_tips_date_as_her_language_writes_it(
    client, staff, mx, language, written
):
    """Django has no short date-time format for Arabic and wrote month/day/year there: an
    investigator reading Arabic took a tip of 4 May for one of 5 April."""
    case = make_case(mx, given_name="Ximena", case_number="MX-Q-1")
    photo = tip_with_photo(mx, case=case, seen_at=dt.datetime(2026, 5, 5, 2, 10, tzinfo=dt.UTC))
    investigator = staff["MX"]["investigator"]
    speaking(investigator, language)
    client.login(username=investigator.username, password=PASSWORD)
    page = client.get(reverse("leads:review", args=[lead(photo, case, 0.40).pk])).content.decode()
    assert written in page
    assert "5/4/2026" not in page.replace("\u200f", "")  # no month first
