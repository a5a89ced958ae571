"""Investigators review their own country's tips, photos included; nobody else sees them."""

import zoneinfo

import pytest
from django.urls import reverse

from cms.tips.models import Tip
from tests.conftest import PASSWORD, make_case, speaking
from tests.tips.test_api import URL, jpeg


@pytest.fixture
def tips(client, countries):
    tips = {}
    for code, name in (("MX", "Mateo"), ("UA", "Марко")):
        case = make_case(countries[code], given_name=name, case_number=f"{code}-TIP-1")
        response = client.post(
            URL,
            {
                "case": str(case.translation_key),
                "description": f"SIGHTING-{code}",
                "contact_phone": f"PHONE-{code}",
                "photos": [jpeg()],
            },
        )
        assert response.status_code == 201
        tips[code] = Tip.objects.get(pk=response.json()["id"])
    client.logout()
    return tips


@pytest.mark.django_db
def test_investigators_see_only_their_countrys_tips(client, staff, tips):
    assert client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    listing = client.get(reverse("tips:index")).content.decode()
    assert "MX-TIP-1" in listing or "Mateo" in listing
    assert "Марко" not in listing
    own = client.get(reverse("tips:inspect", args=[tips["MX"].pk]))
    assert own.status_code == 200
    page = own.content.decode()
    assert "SIGHTING-MX" in page and "PHONE-MX" in page
    photo_url = reverse("tip_photo", args=[tips["MX"].photos.get().pk])
    assert photo_url in page
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"

    assert client.get(reverse("tips:inspect", args=[tips["UA"].pk])).status_code in (302, 403, 404)
    other_photo = reverse("tip_photo", args=[tips["UA"].photos.get().pk])
    refused = client.get(other_photo)
    assert refused.status_code in (302, 403) and refused.get("Content-Type") != "image/jpeg"
    # Read-only: no one edits or deletes a tip.
    assert client.get(reverse("tips:edit", args=[tips["MX"].pk])).status_code in (302, 403)
    client.post(reverse("tips:delete", args=[tips["MX"].pk]))
    assert Tip.objects.filter(pk=tips["MX"].pk).exists()


@pytest.mark.django_db
def test_editors_and_the_public_never_see_tips(client, staff, tips):
    photo_url = reverse("tip_photo", args=[tips["MX"].photos.get().pk])
    assert client.get(photo_url).status_code in (302, 403, 404)  # anonymous
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    assert client.get(reverse("tips:index")).status_code in (302, 403)
    refused = client.get(photo_url)
    assert refused.status_code in (302, 403) and refused.get("Content-Type") != "image/jpeg"


RLO, PDI = "\u202e", "\u2069"


@pytest.mark.django_db
def test_a_senders_direction_controls_stay_inside_their_own_text(client, staff, countries):
    """A right-to-left override in a tip must not reverse the investigator's page around it."""
    case = make_case(countries["MX"], given_name="Mateo", case_number="MX-TIP-2")
    hostile = {
        "seen_place": f"Parque {RLO}0010 555 25+ llame",
        "description": f"La vi{RLO} <b>hoy</b>",
        "contact_name": f"Ana{RLO}",
        "contact_phone": f"+52{RLO}1",
    }
    response = client.post(URL, {"case": str(case.translation_key), **hostile})
    assert response.status_code == 201, response.content
    tip = Tip.objects.get()
    assert client.login(username=staff["MX"]["investigator"].username, password=PASSWORD)
    listing = client.get(reverse("tips:index")).content.decode()
    assert f"<bdi>{hostile['seen_place']}</bdi>" in listing
    page = client.get(reverse("tips:inspect", args=[tip.pk])).content.decode()
    assert f"<bdi>La vi{RLO} &lt;b&gt;hoy&lt;/b&gt;</bdi>" in page  # isolated, and escaped
    for field in ("seen_place", "contact_name", "contact_phone"):
        assert f"<bdi>{hostile[field]}</bdi>" in page, field
    # Every override character the page shows is inside an isolate.
    outside = page
    for chunk in page.split("<bdi>")[1:]:
        outside = outside.replace(chunk.split("</bdi>")[0], "")
    assert RLO not in outside and PDI not in outside


@pytest.mark.django_db
def test_the_tips_are_shown_in_the_investigators_language(client, staff, tips):
    """Every column heading, the number of photos' included (it was "Photo count" in every
    language), and each time in the country's zone, day first as Ukrainian writes dates; the
    tip's page has no field labelled in English ("Sender fingerprint" was)."""
    investigator = staff["UA"]["investigator"]
    speaking(investigator, "uk")
    client.login(username=investigator.username, password=PASSWORD)
    listing = client.get(reverse("tips:index")).content.decode()
    assert "Фотографії" in listing and "Photo count" not in listing
    received = tips["UA"].received_at.astimezone(zoneinfo.ZoneInfo("Europe/Kyiv"))
    assert f"{received:%d.%m.%Y}, {received:%H:%M}" in listing
    # The tip itself: its facts, not the hash of the sender's address kept for flood limits.
    page = client.get(reverse("tips:inspect", args=[tips["UA"].pk])).content.decode()
    assert "SIGHTING-UA" in page
    assert "fingerprint" not in page.lower() and tips["UA"].sender_fingerprint not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "language", "said"),
    [("UA", "uk", "Список «повідомлення» порожній."), ("MX", "es", "No hay reportes que mostrar.")],
)
def test_an_empty_list_of_tips_says_so_in_the_investigators_language(
    client, staff, code, language, said
):
    """Wagtail's catalogs lack the sentence in Ukrainian and Spanish: it said "There are no
    повідомлення to display." around the translated name."""
    investigator = staff[code]["investigator"]
    speaking(investigator, language)
    client.login(username=investigator.username, password=PASSWORD)
    listing = client.get(reverse("tips:index")).content.decode()
    assert said in listing and "to display" not in listing
