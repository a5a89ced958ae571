"""The emails of the alerts, each in its reader's language: the sign-up's confirmation, an alert
(from the case's public record only, with its share image inline), and a retraction that names
no one. Every alert and retraction carries a one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import datetime as dt
from email.mime.image import MIMEImage
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cms.distribution import snapshot
from cms.distribution.models import AlertEvent, AreaKind, Subscriber
from sitegen import urls
from sitegen.posters import POSTER_FILE, SHARE_FILE

CONFIRM_SALT = "homeward.alerts.confirm"
UNSUBSCRIBE_SALT = "homeward.alerts.unsubscribe"
CONFIRM_DAYS = 2  # an unconfirmed sign-up is forgotten after this


def _cms_url(name: str, token: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[token])


def confirm_url(subscriber: Subscriber) -> str:
    return _cms_url("alerts_confirm", signing.dumps(subscriber.pk, salt=CONFIRM_SALT))


def unsubscribe_token(pk: int) -> str:
    return signing.dumps(pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _cms_url("alerts_unsubscribe", unsubscribe_token(subscriber.pk))


def _message(
    subscriber: Subscriber, subject: str, lines: list[str], html: str
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body="\n\n".join(lines), to=subscriber.addresses
    )
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    message.attach_alternative(
        format_html(
            '<!doctype html><html lang="{}" dir="{}"><body>{}</body></html>',
            subscriber.language,
            direction,
            html,
        ),
        "text/html",
    )
    return message


def _paragraphs(lines: list[str]) -> str:
    # A line each: a long line would make the HTML part quoted-printable, cut at 76 characters.
    return format_html_join("\n", "<p>{}</p>", ((line,) for line in lines))


def confirmation(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(subscriber.language):
        link = confirm_url(subscriber)
        lines = [
            _("Someone, probably you, asked for alerts about missing children %(area)s.")
            % {"area": area_words(subscriber)},
            _("To start receiving them, confirm within %(days)s days:") % {"days": CONFIRM_DAYS},
            link,
            _("If you did not ask for this, ignore this message: nothing will be sent to you."),
        ]
        html = _paragraphs(lines[:2]) + format_html(
            '<p><a href="{}">{}</a></p>', link, _("Confirm my alerts")
        )
        html += _paragraphs(lines[3:])
        return _message(subscriber, _("Confirm your alerts about missing children"), lines, html)


def area_words(subscriber: Subscriber) -> str:
    if subscriber.area == AreaKind.POINT:
        return _("within %(km)s km of the place you chose") % {
            "km": formats.localize(subscriber.radius_km)
        }
    if subscriber.area == AreaKind.REGION:
        return _("in a region of %(country)s") % {"country": subscriber.country.name}
    return _("in %(country)s") % {"country": subscriber.country.name}


def _unsubscribe(message: EmailMultiAlternatives, link: str) -> None:
    message.extra_headers["List-Unsubscribe"] = f"<{link}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.extra_headers["Auto-Submitted"] = "auto-generated"


def sign_up_page(subscriber: Subscriber) -> str | None:
    """The alerts page of the subscriber's site, in their language where it has it."""
    code = subscriber.country.site_code
    for language in [subscriber.language, *snapshot.languages(code)]:
        site = snapshot.site_record(code, language)
        if site and site.get("alerts_url"):
            return site["base_url"] + urls.site_root(code, language) + "alerts/"
    return None


def _footer(subscriber: Subscriber, stop: str) -> list[str]:
    lines = [
        _("You receive this because you asked for alerts about missing children %(area)s.")
        % {"area": area_words(subscriber)},
        _("Stop these alerts: %(link)s") % {"link": stop},
    ]
    page = sign_up_page(subscriber) if subscriber.kind == "person" else None
    if page:
        lines.append(
            _("To change your area, sign up with the new one, then stop this one: %(link)s")
            % {"link": page}
        )
    return lines


def _date(value: str) -> str:
    return formats.date_format(dt.datetime.fromisoformat(value), "DATE_FORMAT")


def alert(
    subscriber: Subscriber,
    case: dict[str, Any],
    site: dict[str, Any],
    output: Path,
    *,
    update: bool = False,
) -> EmailMultiAlternatives:
    """An alert from the case's public record (in the subscriber's language where the site has
    it) and the site's: name, age, missing since, last seen, hotline, case page, poster."""
    language = case["_locale"]
    with translation.override(subscriber.language):
        name = f"{case['given_name']} {case['family_name']}".strip()
        path = urls.case_path(site["code"], language, case["slug"])
        page = site["base_url"] + path
        seen = case.get("last_seen") or {}
        place = ", ".join(part for part in (seen.get("place"), seen.get("region")) if part)
        hotline = site.get("hotline") or {}
        lines = [
            _("%(name)s is missing since %(date)s.")
            % {"name": name, "date": _date(case["missing_since"])},
            _("Last seen: %(place)s") % {"place": place},
            _("Have you seen %(name)s? Call %(hotline)s (%(number)s) or report it on the page:")
            % {"name": name, "hotline": hotline.get("label", ""), "number": hotline.get("number")},
            page,
            _("The poster to print (PDF): %(link)s") % {"link": page + POSTER_FILE},
        ]
        share = output / urls.file_for(path + SHARE_FILE)
        image = share.read_bytes() if share.is_file() else None
        html = (
            format_html('<p><img src="cid:share" alt="{}" width="600"></p>', name) if image else ""
        )
        html += _paragraphs(lines[:3]) + format_html('<p><a href="{}">{}</a></p>', page, page)
        html += format_html('<p><a href="{}">{}</a></p>', page + POSTER_FILE, lines[4])
        stop = unsubscribe_url(subscriber)
        footer = _footer(subscriber, stop)
        html += format_html("\n<hr>\n{}", _paragraphs(footer))
        if update:
            subject = _("Update: missing child: %(name)s") % {"name": name}
            news = _("New information about a child we alerted you to:")
            lines.insert(0, news)
            html = format_html("<p><strong>{}</strong></p>", news) + html
        else:
            subject = _("Missing child: %(name)s") % {"name": name}
        message = _message(subscriber, subject, lines + footer, html)
    if image:
        message.mixed_subtype = "related"
        inline = MIMEImage(image, "jpeg")
        inline.add_header("Content-ID", "<share>")
        inline.add_header("Content-Disposition", "inline", filename=SHARE_FILE)
        message.attach(inline)
    _unsubscribe(message, stop)
    return message


def retraction(subscriber: Subscriber, event: AlertEvent) -> EmailMultiAlternatives:
    """No name, no photo: the date of the alert it takes back, and what to do."""
    with translation.override(subscriber.language):
        first = event.alerted_at or event.created_at
        lines = [
            _("The child in our alert of %(date)s has been found, or the case is closed.")
            % {"date": formats.date_format(first, "DATE_FORMAT")},
            _("Please take the poster down, and do not share the alert any more."),
        ]
        stop = unsubscribe_url(subscriber)
        footer = _footer(subscriber, stop)
        message = _message(
            subscriber,
            _("Please take down the poster of our alert of %(date)s")
            % {"date": formats.date_format(first, "DATE_FORMAT")},
            lines + footer,
            _paragraphs(lines) + format_html("\n<hr>\n{}", _paragraphs(footer)),
        )
    _unsubscribe(message, stop)
    return message
