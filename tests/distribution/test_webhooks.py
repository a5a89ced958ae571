"""Organisations, registered by a country's editors in the admin, get alerts by webhook: signed
as Standard Webhooks says (checked by that project's own library, on a real local HTTP
receiver), retried with backoff, disabled after a day of failures with the editors told; and
never sent into a private network."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from cms.cases.models import CaseStatus
from cms.distribution import events, webhooks
from cms.distribution.models import Delivery, DeliveryStatus, Subscriber, SubscriberKind
from cms.publishing.tasks import export_and_build
from tests.conftest import PASSWORD, make_case


class Receiver:
    """A partner's endpoint: checks each call's signature with the organisation's secret."""

    def __init__(self) -> None:
        self.secret = ""
        self.received: list[dict] = []
        self.refused = 0
        self.answer = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    payload = Webhook(receiver.secret).verify(body, dict(self.headers))
                except Exception:  # noqa: BLE001 - any failure to verify is a refusal
                    receiver.refused += 1
                    self.send_response(401)
                else:
                    receiver.received.append({"headers": dict(self.headers), **payload})
                    self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/homeward"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def organisation_form(country, **fields) -> dict:
    data = {
        "country": country.pk,
        "name": "Estación Central de Policía",
        "language": "es",
        "emails": "",
        "webhook_url": "",
        "area": "point",
        "latitude": "19.43",
        "longitude": "-99.13",
        "radius_km": "20",
        "region": "",
        "enabled": "on",
    }
    data.update(fields)
    return data


@pytest.fixture
def editor(client, staff):
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/hook",
        "https://192.168.0.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "ftp://example.org/hook",
    ],
)
def test_a_webhook_into_a_private_network_is_refused(editor, countries, url):
    response = editor.post(
        reverse("alert-organisations:add"), organisation_form(countries["MX"], webhook_url=url)
    )
    assert response.status_code == 200  # the form again, with the error
    assert "webhook_url" in response.context["form"].errors
    assert not Subscriber.objects.exists()


def test_a_stored_private_address_is_refused_again_when_sending():
    with pytest.raises(webhooks.RefusedURL):
        webhooks.resolve("https://169.254.169.254/latest/meta-data/")


def test_an_editor_registers_an_organisation_of_her_country_only(editor, countries, staff):
    ua = countries["UA"]
    response = editor.post(reverse("alert-organisations:add"), organisation_form(ua))
    assert "country" in response.context["form"].errors  # not hers to choose
    response = editor.post(
        reverse("alert-organisations:add"),
        organisation_form(countries["MX"], emails="guardia@example.org\nprensa@example.org"),
    )
    assert response.status_code == 302
    organisation = Subscriber.objects.get()
    assert organisation.kind == SubscriberKind.ORGANISATION and organisation.confirmed_at
    assert organisation.addresses == ["guardia@example.org", "prensa@example.org"]
    assert organisation.cells.exists()
    # Ukraine's editor neither sees nor opens it.
    editor.logout()
    assert editor.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    listing = editor.get(reverse("alert-organisations:index"))
    assert b"Central de Polic" not in listing.content
    edit = editor.get(reverse("alert-organisations:edit", args=[organisation.pk]))
    assert edit.status_code in (302, 403)
    inspect = editor.get(reverse("alert-organisations:inspect", args=[organisation.pk]))
    assert inspect.status_code in (302, 403)


def test_alert_and_retraction_by_signed_webhook(
    editor, countries, public, settings, receiver, mailoutbox
):
    settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on this machine
    response = editor.post(
        reverse("alert-organisations:add"),
        organisation_form(countries["MX"], webhook_url=receiver.url),
    )
    assert response.status_code == 302
    organisation = Subscriber.objects.get()
    receiver.secret = organisation.webhook_secret
    assert receiver.secret.startswith("whsec_")

    case = make_case(countries["MX"], given_name="Ximena", case_number="MX-W-1")
    export_and_build("mx")
    assert receiver.refused == 0
    (alert,) = receiver.received
    assert alert["type"] == "case.alert"
    data = alert["data"]
    assert data["case"]["given_name"] == "Ximena" and data["language"] == "es"
    assert data["case_url"].startswith("http://sites.test/mx/es/cases/")
    assert data["poster_url"].endswith("/poster.pdf")
    assert "<msgType>Alert</msgType>" in data["cap"]
    assert "notes-MX-W-1" not in json.dumps(alert)  # investigator notes never leave the CMS
    first_id = alert["headers"]["webhook-id"]

    case.refresh_from_db()
    case.status = CaseStatus.FOUND
    case.save_revision().publish()
    export_and_build("mx")
    retraction = receiver.received[-1]
    assert retraction["type"] == "case.retraction"
    assert "Ximena" not in json.dumps(retraction)
    assert "<msgType>Cancel</msgType>" in retraction["data"]["cap"]
    assert retraction["headers"]["webhook-id"] != first_id
    # The delivery log in the admin shows both.
    log = editor.get(reverse("alert-organisations:inspect", args=[organisation.pk]))
    assert log.content.count(b"<tr><td>") == 2
    # Each time as Mexico's clocks showed it, the zone named (as every time of a country).
    assert log.content.decode().count("(Mexico (Mexico City) Time)") == 4


def test_a_failing_webhook_is_retried_then_disabled_and_the_editors_told(
    editor, countries, public, settings, receiver, mailoutbox, staff
):
    settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE = True
    editor.post(
        reverse("alert-organisations:add"),
        organisation_form(countries["MX"], webhook_url=receiver.url),
    )
    organisation = Subscriber.objects.get()
    receiver.secret, receiver.answer = organisation.webhook_secret, 503
    make_case(countries["MX"], given_name="Ximena", case_number="MX-W-2")
    export_and_build("mx")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_status == 503
    assert delivery.next_attempt_at > timezone.now()  # tried again later, not at once
    assert events.send() == 0  # not due yet: nothing is called
    assert len(receiver.received) == 1

    # A day of failures later: the last attempt fails too.
    Delivery.objects.update(attempts=len(events.BACKOFF), next_attempt_at=timezone.now())
    mailoutbox.clear()
    assert events.send() == 0
    delivery.refresh_from_db()
    organisation.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert organisation.disabled_at is not None and organisation.channels == []
    (told,) = mailoutbox
    assert told.to == [staff["MX"]["editor"].email]
    assert "Estación Central de Policía" in told.subject

    # Fixed and enabled again by the editor: the next alert goes out.
    receiver.answer = 204
    data = organisation_form(countries["MX"], webhook_url=receiver.url)
    response = editor.post(reverse("alert-organisations:edit", args=[organisation.pk]), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.disabled_at is None and organisation.channels == ["webhook"]


def test_people_and_organisations_are_listed_apart(editor, countries, client):
    editor.post(
        reverse("alert-organisations:add"),
        organisation_form(countries["MX"], emails="guardia@example.org"),
    )
    Subscriber.objects.create(
        country=countries["MX"], email="persona@example.org", language="es", area="country"
    )
    people = editor.get(reverse("alert-subscribers:index")).content.decode()
    organisations = editor.get(reverse("alert-organisations:index")).content.decode()
    # Each listing's rows (what a person or an organisation typed is shown in <bdi>).
    assert "<bdi>persona@example.org</bdi>" in people and "<bdi>Estación" not in people
    assert "<bdi>Estación Central de Policía</bdi>" in organisations
    assert "persona@example.org" not in organisations


def test_a_sender_keeps_the_connection_and_survives_the_receiver_closing_it(settings):
    """Kept alive between deliveries (HTTP/1.1); a connection the receiver closed in silence
    is replaced, and the delivery made once."""
    settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE = True
    seen: list[tuple[int, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.client_address[1], self.headers["webhook-id"]))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if len(seen) == 2:
                self.close_connection = True  # gone, without saying "Connection: close"

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    secret = webhooks.new_secret()
    pool = webhooks.Connections()
    try:
        for number in range(3):
            assert webhooks.post(url, secret, f"msg_{number}", b"{}", pool) == 204
    finally:
        pool.close()
        server.shutdown()
        server.server_close()
    assert [message for _port, message in seen] == ["msg_0", "msg_1", "msg_2"]
    ports = [port for port, _message in seen]
    assert ports[0] == ports[1] != ports[2]  # one connection for two, a new one after the close
