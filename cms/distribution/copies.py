"""The fast path of alert emails: one message composed per kind of reader, then copied for each.

An alert to 100,000 people is a few dozen different messages: what a reader's alert says depends
on the event and on their kind (person or organisation), language, country, kind of area and
radius, and otherwise only on who they are (their address, the Message-ID and the unsubscribe
link made from their id) and on the minute it is sent (the Date). ``Copies`` composes a message
the plain way (``mail.alert`` or ``mail.retraction``, through the caller's ``compose``) once per
kind of reader, for a stand-in reader, turns it into the bytes Django's SMTP backend would send,
and for each real reader puts their address, id, unsubscribe token and the date in the stand-
in's places, then hands the bytes to the SMTP connection the backend holds: where the relay
advertises PIPELINING (RFC 2920; every common relay does), the envelope and DATA go in one
write and the message in the next, two round trips instead of four, with no address parsed
again for each message.

It never guesses: a message is copied only when every stand-in value it changes is found in the
raw bytes exactly as often as in the decoded headers and text (so no encoding or folding hides
one), and only for a reader with one plain-ASCII address through Django's SMTP backend. Anything
else (an organisation's several addresses, an address Django would encode, another backend)
returns False and the caller sends it the plain way. Tested against the plain path, byte for
byte once the Date and the token's timestamp are set aside (tests/distribution/test_copies.py).
"""

from __future__ import annotations

import email
import email.policy
import functools
import re
import smtplib
import time
from collections.abc import Callable, Hashable
from copy import copy
from dataclasses import dataclass
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

from cms.distribution import mail
from cms.distribution.models import Subscriber, SubscriberKind

STAND_IN_ID = 918_273_645_546_372  # longer than any real id: a copy's lines are never longer
STAND_IN_ADDRESS = "alerts-stand-in-reader@homeward.invalid"
# An address smtplib would put between angle brackets as it is (a dot-atom local part, a domain
# of letters, digits, dots and hyphens): anything else is quoted by smtplib itself.
PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9.-]+"
)
LINE_STARTING_WITH_A_DOT = re.compile(rb"(?m)^\.")


@dataclass(frozen=True)
class Template:
    """A composed message cut at the stand-in's values: ``pieces`` alternate between fixed
    bytes and a slot name (``address``, ``id``, ``token``, ``date``)."""

    sender: str
    pieces: tuple[bytes | str, ...]


def _decoded_text(data: bytes) -> str:
    """The message's headers (unfolded, decoded) and text parts as a reader's program sees them."""
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    lines = [f"{name}: {value}" for name, value in parsed.items()]
    for part in parsed.walk():
        if part.get_content_maintype() == "text":
            lines.append(part.get_content())
    return "\n".join(lines)


def _cut(data: bytes, slots: dict[str, str]) -> tuple[bytes | str, ...] | None:
    decoded = _decoded_text(data)
    for value in slots.values():
        raw = data.count(value.encode())
        if raw == 0 or raw != decoded.count(value):
            return None  # encoded, folded or absent somewhere: a copy could keep a stand-in's value
    names = {value.encode(): name for name, value in slots.items()}
    pattern = b"(" + b"|".join(re.escape(value) for value in names) + b")"
    return tuple(names.get(piece, piece) for piece in re.split(pattern, data))


class Copies:
    """Sends copies of composed messages through a Django SMTP ``EmailBackend``."""

    def __init__(self, backend) -> None:
        self.backend = backend if isinstance(backend, EmailBackend) else None
        self.templates: dict[Hashable, Template | None] = {}
        self.date = ("", 0)

    def send(
        self, key: Hashable, reader: Subscriber, compose: Callable[[Subscriber], EmailMessage]
    ) -> bool:
        """Send ``compose(reader)`` as a copy of the message of its kind (``key`` must tell
        apart every reader whose message differs other than by address, id and date); False
        when it must be sent the plain way."""
        addresses = reader.addresses
        if self.backend is None or len(addresses) != 1 or not addresses[0].isascii():
            return False
        if key not in self.templates:
            self.templates[key] = self._template(reader, compose)
        template = self.templates[key]
        if template is None:
            return False
        values = {
            "address": addresses[0].encode(),
            "id": str(reader.pk).encode(),
            "token": mail.unsubscribe_token(reader.pk).encode(),
            "date": self._now().encode(),
        }
        data = b"".join(values[p] if isinstance(p, str) else p for p in template.pieces)
        self._sendmail(template.sender, addresses[0], data)
        return True

    def _template(self, reader: Subscriber, compose) -> Template | None:
        stand_in = copy(reader)
        stand_in.pk = STAND_IN_ID
        if reader.kind == SubscriberKind.PERSON:
            stand_in.email = STAND_IN_ADDRESS
        else:
            stand_in.emails = STAND_IN_ADDRESS
        token = mail.unsubscribe_token(STAND_IN_ID)  # signed with the second it is made in
        message = compose(stand_in)
        if message.recipients() != [STAND_IN_ADDRESS]:
            return None
        encoding = message.encoding or settings.DEFAULT_CHARSET
        composed = message.message()
        date, data = composed["Date"], composed.as_bytes(linesep="\r\n")
        if token.encode() not in data:  # composed in the next second
            token = mail.unsubscribe_token(STAND_IN_ID)
        slots = {
            "address": STAND_IN_ADDRESS,
            "id": str(STAND_IN_ID),
            "token": token,
            "date": date,
        }
        pieces = _cut(data, slots)
        if pieces is None:
            return None
        return Template(sanitize_address(message.from_email, encoding), pieces)

    def _now(self) -> str:
        """The Date header, made once a second (as the plain path would write it)."""
        second = int(time.time())
        if self.date[1] != second:
            self.date = (formatdate(second, localtime=settings.EMAIL_USE_LOCALTIME), second)
        return self.date[0]

    def _sendmail(self, sender: str, address: str, data: bytes) -> None:
        self.backend.open()  # opens only when closed: after a dropped connection, anew
        connection = self.backend.connection
        try:
            if _pipelining(connection) and PLAIN_ADDRESS.fullmatch(address):
                _pipelined(connection, sender, address, data)
            else:
                connection.sendmail(sender, [address], data)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # an answer (this address refused, say): the connection still serves
        except OSError:  # dropped, reset, timed out: the next message reconnects
            self.backend.close()
            raise


def _pipelining(connection: smtplib.SMTP) -> bool:
    connection.ehlo_or_helo_if_needed()  # once per connection: smtplib remembers the answer
    return connection.does_esmtp and connection.has_extn("pipelining")


@functools.cache
def _quoted(sender: str) -> str:
    return smtplib.quoteaddr(sender)


def _pipelined(connection: smtplib.SMTP, sender: str, address: str, data: bytes) -> None:
    """What ``smtplib.SMTP.sendmail`` sends for one plain address, in two writes (RFC 2920):
    MAIL, RCPT and DATA together, then the message once DATA was answered 354."""
    size = f" size={len(data)}" if connection.has_extn("size") else ""
    connection.send(f"mail FROM:{_quoted(sender)}{size}\r\nrcpt TO:<{address}>\r\ndata\r\n")
    mail_from, rcpt_to, ready = (connection.getreply() for _ in range(3))
    if ready[0] != 354:  # the relay refused the sender or the address, so DATA too
        connection.rset()
        if mail_from[0] != 250:
            raise smtplib.SMTPSenderRefused(*mail_from, sender)
        if rcpt_to[0] not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({address: rcpt_to})
        raise smtplib.SMTPDataError(*ready)
    if mail_from[0] != 250 or rcpt_to[0] not in (250, 251):
        raise smtplib.SMTPServerDisconnected("DATA accepted after a refusal: connection dropped")
    data = LINE_STARTING_WITH_A_DOT.sub(b"..", data)
    connection.send(data + (b".\r\n" if data.endswith(b"\r\n") else b"\r\n.\r\n"))
    code, answer = connection.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
