"""Alerts by email, end to end on a real SMTP server: sign up on a country site, confirm from
the email, a case published 5 km away alerts that subscriber (in Spanish, share image inline,
one-click unsubscribe) and nobody else; the child found, a retraction that names no one; one
click and nothing more is sent."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cms.cases.models import CaseStatus
from cms.distribution.models import AlertEvent, Delivery, Subscriber
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case
from tests.distribution.conftest import html_of, text_of

MEXICO_CITY = ("19.40", "-99.10")  # about 5 km from the case's last-seen point
MONTERREY = ("25.68", "-100.31")  # about 700 km away


def sign_up(client, email, *, site="MX", language="es", area="point", at=MEXICO_CITY, **more):
    fields = {"site": site, "language": language, "email": email, "area": area}
    if area == "point":
        fields.update(latitude=at[0], longitude=at[1], radius="10")
    fields.update(more)
    return client.post("/api/alerts/", fields)


def confirm_from_email(client, mailbox, address) -> None:
    (message,) = mailbox.to(address)
    link = re.search(r"https?://\S+/alerts/confirm/\S+/", text_of(message)).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200 and b"<form" in page.content  # a scanner's GET confirms nothing
    policy = dict(d.strip().split(" ", 1) for d in page["Content-Security-Policy"].split(";"))
    assert policy["form-action"] == "'self'"  # its own form may post, nowhere else ('none' and
    # 'self' together: browsers ignore the 'none' and say so in the console)
    assert Subscriber.objects.get(email=address).confirmed_at is None
    assert client.post(f"/{path}").status_code == 200
    assert Subscriber.objects.get(email=address).confirmed_at is not None


@pytest.fixture
def subscribed(client, smtp, public, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://cms.test"
    for address, at in (("near@example.org", MEXICO_CITY), ("far@example.org", MONTERREY)):
        assert sign_up(client, address, at=at).status_code == 201
        confirm_from_email(client, smtp, address)
    assert (
        sign_up(
            client, "whole-ukraine@example.org", site="UA", language="uk", area="country"
        ).status_code
        == 201
    )
    confirm_from_email(client, smtp, "whole-ukraine@example.org")
    assert sign_up(client, "never-confirmed@example.org").status_code == 201
    smtp.clear()
    return smtp


def test_a_case_published_nearby_alerts_only_the_subscribers_whose_area_holds_it(
    subscribed, countries, settings
):
    settings.HOMEWARD_POSTERS = True  # the share image goes inline
    case = make_case(countries["MX"], given_name="Ximena", case_number="MX-T-7")
    export_and_build("mx")
    assert [m["To"] for m in subscribed.messages] == ["near@example.org"]
    (alert,) = subscribed.messages
    assert alert["Subject"].strip() == "Niña o niño desaparecido: Ximena Fictional"
    text = text_of(alert)
    assert "Ximena Fictional" in text and "http://sites.test/mx/es/cases/" in text
    assert "poster.pdf" in text and "+1 555 0199" in text
    assert "notes-MX-T-7" not in alert.as_string()  # investigator notes never leave the CMS
    inline = [part for part in alert.walk() if part["Content-ID"] == "<share>"]
    assert inline and inline[0].get_content_type() == "image/jpeg"
    assert 'src="cid:share"' in html_of(alert)
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert alert["List-Unsubscribe"].strip().startswith("<http://cms.test/alerts/stop/")
    assert "http://sites.test/mx/es/alerts/" in text  # where to choose another area

    # Published again (an edit): the alert is not sent twice.
    subscribed.clear()
    export_and_build("mx")
    assert subscribed.messages == []
    assert Delivery.objects.filter(event__case_key=str(case.translation_key)).count() == 1

    # Found: the one who got the alert is told to take the poster down; no name, no photo.
    case.refresh_from_db()
    case.status = CaseStatus.FOUND
    case.save_revision().publish()
    export_and_build("mx")
    (retraction,) = subscribed.messages
    assert retraction["To"] == "near@example.org"
    assert "Ximena" not in retraction.as_string()
    assert not [part for part in retraction.walk() if part.get_content_maintype() == "image"]
    assert "retire el cartel" in text_of(retraction)


def test_an_editors_publish_alerts_and_an_editors_found_retracts(
    subscribed, countries, settings, django_capture_on_commit_callbacks
):
    # The editor's way: the publish queues the country's publishing task (by its code, "MX"),
    # which queues the alerts; nobody runs export_and_build by hand.
    settings.HOMEWARD_LIVE_PUBLISHING = True
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(countries["MX"], given_name="Ximena", case_number="MX-T-9")
    assert [m["To"] for m in subscribed.messages] == ["near@example.org"]
    subscribed.clear()
    case.refresh_from_db()
    case.status = CaseStatus.FOUND
    with django_capture_on_commit_callbacks(execute=True):
        case.save_revision().publish()
    (retraction,) = subscribed.messages
    assert retraction["To"] == "near@example.org" and "Ximena" not in retraction.as_string()


def test_one_click_unsubscribe_deletes_the_subscriber_and_all_it_had(client, subscribed, countries):
    make_case(countries["MX"], given_name="Ximena", case_number="MX-T-8")
    export_and_build("mx")
    (alert,) = subscribed.messages
    link = alert["List-Unsubscribe"].strip().strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    # What a mail client sends (RFC 8058): a POST with no cookie and this one field.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="near@example.org").exists()
    assert not Delivery.objects.filter(subscriber__email="near@example.org").exists()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # again: fine


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"radius": "0"}, "radius"),
        ({"radius": "10000"}, "radius"),
        ({"latitude": "91"}, "latitude"),
        ({"longitude": "-181"}, "longitude"),
        ({"site": "ZZ"}, "site"),
        ({"area": "galaxy"}, "area"),
        ({"area": "region", "region": "atlantis"}, "region"),
    ],
)
def test_bad_sign_ups_are_refused_whole_and_nothing_is_stored_or_sent(
    client, smtp, public, fields, field
):
    data = {
        "site": "MX",
        "language": "es",
        "email": "someone@example.org",
        "area": "point",
        "latitude": "19.4",
        "longitude": "-99.1",
        "radius": "10",
        **fields,
    }
    response = client.post("/api/alerts/", data)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_a_forged_expired_or_replayed_confirmation_changes_nothing(client, smtp, public):
    assert sign_up(client, "me@example.org").status_code == 201
    (message,) = smtp.messages
    path = "/" + re.search(r"/alerts/confirm/\S+/", text_of(message)).group(0).lstrip("/")
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(forged).status_code == 400
    assert client.post("/alerts/confirm/not-a-token/").status_code == 400
    assert Subscriber.objects.get().confirmed_at is None
    assert client.post(path).status_code == 200
    confirmed = Subscriber.objects.get().confirmed_at
    replay = client.post(path)
    assert replay.status_code == 200 and Subscriber.objects.get().confirmed_at == confirmed
    assert len(smtp.messages) == 1  # nothing more was sent


def test_sign_up_floods_are_limited(client, smtp, public, settings):
    settings.HOMEWARD_ALERT_SIGNUP_RATE = "3/h"
    codes = [sign_up(client, f"p{i}@example.org").status_code for i in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    assert Subscriber.objects.count() == 3 and len(smtp.messages) == 3


def test_one_address_gets_few_confirmation_emails_however_often_it_is_signed_up(
    client, smtp, public
):
    for radius in ("5", "10", "15", "20", "25"):
        response = sign_up(client, "victim@example.org", radius=radius)
        assert response.status_code == 201  # the same answer every time
    assert len(smtp.messages) == 3 and Subscriber.objects.count() == 3


def test_the_same_area_twice_is_one_subscription(client, smtp, public):
    for _ in range(2):
        assert sign_up(client, "me@example.org").status_code == 201
    assert Subscriber.objects.count() == 1 and len(smtp.messages) == 1


def test_the_area_is_kept_no_finer_than_a_kilometre_and_looked_up_once_confirmed(
    client, smtp, public
):
    sign_up(client, "me@example.org", at=("19.432608", "-99.133209"))
    subscriber = Subscriber.objects.get()
    assert (subscriber.latitude, subscriber.longitude) == (Decimal("19.43"), Decimal("-99.13"))
    assert not subscriber.cells.exists()  # an unconfirmed sign-up is in no alert's lookup
    confirm_from_email(client, smtp, "me@example.org")
    assert subscriber.cells.count() > 0


def test_events_are_made_once_however_often_a_site_is_published(subscribed, countries):
    make_case(countries["MX"], given_name="Ximena", case_number="MX-T-9")
    for _ in range(3):
        export_and_build("mx")
    assert AlertEvent.objects.filter(kind="alert").count() == 1


def test_an_update_an_editor_asks_for_reaches_those_alerted_and_those_near_the_new_place(
    subscribed, countries, staff, settings
):
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import PASSWORD, case_edit_data

    case = make_case(countries["MX"], given_name="Ximena", case_number="MX-T-10")
    export_and_build("mx")
    assert [m["To"] for m in subscribed.messages] == ["near@example.org"]
    subscribed.clear()
    editor = Client()
    assert editor.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])

    # Published again without the box: no update.
    response = editor.post(edit, {**case_edit_data(editor, case), "action-publish": "1"})
    assert response.status_code == 302
    export_and_build("mx")
    assert subscribed.messages == []

    # Seen in Monterrey now, published with the box ticked: both hear of it, once each.
    data = case_edit_data(editor, case) | {
        "last_seen_latitude": "25.68",
        "last_seen_longitude": "-100.31",
        "alert_update": "on",
        "action-publish": "1",
    }
    assert editor.post(edit, data).status_code == 302
    export_and_build("mx")
    export_and_build("mx")
    assert sorted(m["To"] for m in subscribed.messages) == ["far@example.org", "near@example.org"]
    for message in subscribed.messages:
        assert (
            message["Subject"].strip()
            == "Actualización: niña o niño desaparecido: Ximena Fictional"
        )
