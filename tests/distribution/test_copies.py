"""The fast path of alert emails (cms.distribution.copies) sends what the plain path composes:
for readers of several languages, radii, areas and addresses, each message received by a real
SMTP server is the plain path's message for that reader, byte for byte once its Date, its
unsubscribe token's timestamp and its MIME boundary are set aside; what the fast path cannot
copy (an organisation's several addresses, an internationalised address) goes the plain way;
a dropped SMTP connection fails one message, and the next reconnects."""

from __future__ import annotations

import re
import smtplib

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from django.core import signing
from django.core.mail.message import sanitize_address
from django.utils import timezone

from cms.distribution import copies, events
from cms.distribution.mail import UNSUBSCRIBE_SALT
from cms.distribution.models import AlertEvent, Subscriber
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case
from tests.distribution.conftest import Mailbox, _free_port


def reader(country, email: str, *, language="es", radius=10, area="point", **more) -> Subscriber:
    fields = (
        {"latitude": 19.43, "longitude": -99.13, "radius_km": radius} if area == "point" else {}
    )
    subscriber = Subscriber.objects.create(
        country=country,
        email=email,
        language=language,
        area=area,
        confirmed_at=timezone.now(),
        **fields,
        **more,
    )
    subscriber.cover_area()
    return subscriber


def normalised(data: bytes, pk: int) -> bytes:
    """The message without what differs between two sendings of it: the Date, the token's
    timestamp (each token must still be the reader's own) and the MIME boundary."""
    data = re.sub(rb"\r\nDate: [^\r\n]+", b"", data)
    data = re.sub(rb"={15}\d{19}==", b"BOUNDARY", data)
    for token in set(re.findall(rb"/alerts/stop/([^/\s>]+)/", data)):
        assert signing.loads(token.decode(), salt=UNSUBSCRIBE_SALT) == pk
        data = data.replace(token, b"TOKEN")
    return data.rstrip(b"\r\n")


def plain(event: AlertEvent, subscriber: Subscriber) -> bytes:
    sender = events._Sender()
    content = sender.content(event, subscriber.language)
    message = sender.compose(event, content, subscriber)
    return message.message().as_bytes(linesep="\r\n")


def test_each_copied_alert_and_retraction_is_the_message_composed_for_its_reader(
    countries, public, smtp, settings
):
    settings.HOMEWARD_POSTERS = True  # the share image inline: the biggest part to copy
    mx = countries["MX"]
    readers = [
        reader(mx, "ana@example.org"),
        reader(mx, "bea@example.org"),  # the same kind of reader as Ana: a copy of her message
        reader(mx, "carl@example.org", language="en", radius=25),
        reader(mx, "dora@example.org", area="region", region="capital-region"),
        reader(mx, "eve@example.org", area="country", language="uk"),  # not a language of MX
        reader(mx, "fe@exämple.org"),  # internationalised: the plain path
        reader(mx, "", kind="organisation", emails="a@cruz.example\nb@cruz.example"),  # plain
        reader(mx, "", kind="organisation", emails="guardia@example.org"),  # copied
    ]
    case = make_case(mx, given_name="Ximena", case_number="MX-C-1")
    export_and_build("mx")
    alert = AlertEvent.objects.get(kind="alert")
    expected = {("alert", s.pk): plain(alert, s) for s in readers}  # while the case is public
    case.refresh_from_db()
    case.status = "found"
    case.save_revision().publish()
    export_and_build("mx")
    retraction = AlertEvent.objects.get(kind="retraction")
    expected |= {("retraction", s.pk): plain(retraction, s) for s in readers}

    received = {}
    for recipients, data in smtp.raw:
        kind = "retraction" if b"alert-%d-" % retraction.pk in data else "alert"
        received[(kind, tuple(recipients))] = data
    assert len(received) == 2 * len(readers)
    boundary = re.compile(rb"={15}\d{19}==")
    ana, bea = (received[("alert", (a,))] for a in ("ana@example.org", "bea@example.org"))
    assert boundary.findall(ana) == boundary.findall(bea)  # copies of one composed message
    for subscriber in readers:
        addresses = tuple(sanitize_address(a, "utf-8") for a in subscriber.addresses)
        for kind in ("alert", "retraction"):
            assert normalised(received[(kind, addresses)], subscriber.pk) == normalised(
                expected[(kind, subscriber.pk)], subscriber.pk
            ), subscriber.email


@pytest.fixture
def event(countries, public, smtp):
    make_case(countries["MX"], given_name="Ximena", case_number="MX-C-2")
    export_and_build("mx")
    smtp.clear()
    return AlertEvent.objects.get(kind="alert")


def test_only_a_reader_with_one_plain_address_through_smtp_is_copied(event, countries, smtp):
    sender = events._Sender()
    content = sender.content(event, "es")
    mx = countries["MX"]

    def send(subscriber: Subscriber) -> bool:
        key = (
            event.pk,
            subscriber.kind,
            subscriber.language,
            subscriber.area,
            subscriber.radius_km,
        )
        return sender.copies.send(key, subscriber, lambda s: sender.compose(event, content, s))

    with sender.connection:
        assert send(reader(mx, "ana@example.org"))
        assert send(reader(mx, "bea@example.org"))
        assert not send(reader(mx, "fe@exämple.org"))
        assert send(reader(mx, "", kind="organisation", emails="guardia@example.org"))
        assert not send(reader(mx, "", kind="organisation", emails="a@cruz.org\nb@cruz.org"))
    assert [recipients for recipients, _ in smtp.raw] == [
        ["ana@example.org"],
        ["bea@example.org"],
        ["guardia@example.org"],
    ]
    other = copies.Copies(
        django_mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
    )
    assert not other.send("key", reader(mx, "cy@example.org"), lambda s: None)


def test_a_dropped_connection_fails_one_message_and_the_next_reconnects(event, countries, settings):
    settings.EMAIL_PORT = port = _free_port()
    sender = events._Sender()
    content = sender.content(event, "es")
    mx = countries["MX"]

    def send(subscriber: Subscriber) -> bool:
        return sender.copies.send("es", subscriber, lambda s: sender.compose(event, content, s))

    before, after = Mailbox(), Mailbox()
    server = Controller(before, hostname="127.0.0.1", port=port)
    server.start()
    assert send(reader(mx, "ana@example.org"))
    server.stop()  # the relay goes away, and comes back
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(reader(mx, "bea@example.org"))
    server = Controller(after, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert send(reader(mx, "carl@example.org"))
    finally:
        sender.connection.close()
        server.stop()
    assert [r for r, _ in before.raw] == [["ana@example.org"]]
    assert [r for r, _ in after.raw] == [["carl@example.org"]]


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one-by-one"])
def test_the_relay_receives_the_bytes_given_whether_it_pipelines_or_not(
    pipelining, settings, monkeypatch
):
    """Lines that start with a dot, a message without a last line break, a refused address
    between two accepted ones on the same connection: the relay receives exactly what was
    handed over, as smtplib would send it, in two round trips when the relay pipelines."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_USE_TLS = False
    if pipelining:  # smtplib's own sendmail is then never used
        monkeypatch.setattr(smtplib.SMTP, "sendmail", None)
    mailbox = Mailbox(pipelining=pipelining)
    mailbox.refuse.add("gone@example.org")
    server = Controller(mailbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    server.start()
    connection = django_mail.get_connection()
    fast = copies.Copies(connection)
    first = b"Subject: one\r\n\r\n.a line with a dot\r\n..two dots\r\nend\r\n"
    last = b"Subject: two\r\n\r\nno line break at the end\r\n."
    try:
        with connection:
            fast._sendmail("Homeward <alerts@homeward.example>", "ana@example.org", first)
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                fast._sendmail("alerts@homeward.example", "gone@example.org", first)
            fast._sendmail("alerts@homeward.example", "bea@example.org", last)
    finally:
        server.stop()
    assert refused.value.recipients["gone@example.org"][0] == 550
    assert mailbox.raw == [(["ana@example.org"], first), (["bea@example.org"], last + b"\r\n")]
