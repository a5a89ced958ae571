"""The public side of alerts: sign up (posted from a country site's alerts page, by a script or
a plain form), confirm (the link of the confirmation email), and stop (the link and the
one-click ``List-Unsubscribe-Post`` of every alert). Answers say nothing of whether an address
is already signed up; bad input is refused whole, with every problem named in the sender's
language, and nothing stored or sent."""

from __future__ import annotations

import logging
import smtplib

from csp.decorators import csp_replace
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms.countries.models import Country
from cms.distribution import mail, snapshot
from cms.distribution.forms import SignUpForm
from cms.distribution.models import AreaKind, Subscriber
from cms.public_forms import language_of, over_rate_limit, safe_next, wants_html

logger = logging.getLogger(__name__)

# Sign-ups of one address waiting for confirmation at once: more would let a stranger fill
# someone's mailbox with confirmation emails.
MAX_WAITING_PER_EMAIL = 3
FORMS_TO_SELF = {"form-action": ["'self'"]}


def _page(request, status: int, title: str, lines: list[str], form: dict | None = None):
    context = {
        "language": translation.get_language(),
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "title": title,
        "lines": lines,
        "form": form,
    }
    return render(request, "distribution/page.html", context, status=status)


def _answer(request, data, status: int, message: str, errors: dict | None = None):
    if not wants_html(request, data):
        body = {"errors": errors} if errors else {"message": message}
        return JsonResponse(body, status=status)
    back = safe_next((data or {}).get("next") or "")
    if not errors and back:
        return HttpResponseRedirect(f"{back.split('#')[0]}#alerts-sent", status=303)
    lines = [" ".join(found) for found in (errors or {}).values()] or [message]
    return _page(request, status, message, lines, {"back": back} if back else None)


@csrf_exempt  # a public, cross-site form; it adds a sign-up that does nothing until confirmed
@require_POST
def subscribe(request):
    data = request.POST
    language = language_of(data.get("language"))
    with translation.override(language):
        if over_rate_limit(request, "alerts", settings.HOMEWARD_ALERT_SIGNUP_RATE):
            message = _("Too many sign-ups from your connection; try later.")
            return _answer(request, data, 429, message, {"__all__": [message]})
        form = SignUpForm(data)
        errors = {} if form.is_valid() else {k: list(v) for k, v in form.errors.items()}
        country = None
        if not errors:
            country, errors = _check_place(form.cleaned_data, language)
        if errors:
            return _answer(request, data, 400, _("Your sign-up was not saved."), errors)
        try:
            _sign_up(country, form.cleaned_data, language)
        except (OSError, smtplib.SMTPException):
            message = _("The confirmation email could not be sent; please try again later.")
            return _answer(request, data, 503, message, {"__all__": [message]})
        message = _(
            "Thank you. Check your email and follow the link in it to start receiving alerts."
        )
        return _answer(request, data, 201, message)


def _check_place(fields: dict, language: str) -> tuple[Country | None, dict]:
    country = Country.objects.filter(code=fields["site"].upper()).first()
    if country is None:
        return None, {"site": [_("There is no such site.")]}
    if fields["area"] == AreaKind.REGION:
        known = snapshot.regions(country.site_code, language)
        if fields["region"] not in known:
            return None, {"region": [_("Choose a region from the list.")]}
    return country, {}


def _sign_up(country: Country, fields: dict, language: str) -> None:
    now = timezone.now()
    expired = now - timezone.timedelta(days=mail.CONFIRM_DAYS)
    Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=expired).delete()
    email = fields["email"].strip().lower()
    waiting = Subscriber.objects.filter(email=email, confirmed_at__isnull=True)
    if waiting.count() >= MAX_WAITING_PER_EMAIL:
        return  # the same answer: nothing tells a stranger what this address did
    point = fields["area"] == AreaKind.POINT
    area = {
        "country": country,
        "email": email,
        "area": fields["area"],
        "latitude": fields["latitude"] if point else None,
        "longitude": fields["longitude"] if point else None,
        "radius_km": fields["radius"] if point else None,
        "region": fields["region"] if fields["area"] == AreaKind.REGION else "",
    }
    if Subscriber.objects.filter(**area).exists():
        return  # signed up already for this very area: one alert each, not two
    subscriber = Subscriber.objects.create(language=language, **area)
    try:
        mail.confirmation(subscriber).send()
    except (OSError, smtplib.SMTPException):
        logger.exception("the confirmation of a sign-up could not be sent")
        subscriber.delete()  # not kept for an email that never went out
        raise


def _subscriber(token: str, salt: str, max_age=None) -> tuple[Subscriber | None, str, int]:
    """The subscriber a signed link names, or why not and the status to answer with."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        return None, _("This link has expired. Please sign up again."), 400
    except signing.BadSignature:
        return None, _("This link is not valid."), 400
    found = Subscriber.objects.filter(pk=pk).select_related("country").first()
    if found is None:
        return None, _("These alerts no longer exist: the sign-up expired or was stopped."), 200
    return found, "", 200


@csrf_exempt  # the link of an email: the signed token is the proof
@csp_replace(FORMS_TO_SELF)
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    max_age = timezone.timedelta(days=mail.CONFIRM_DAYS)
    subscriber, problem, status = _subscriber(token, mail.CONFIRM_SALT, max_age)
    language = subscriber.language if subscriber else translation.get_language()
    with translation.override(language):
        if subscriber is None:
            return _page(request, max(status, 400), _("Your alerts were not confirmed"), [problem])
        title = _("Alerts about missing children %(area)s") % {"area": mail.area_words(subscriber)}
        if subscriber.confirmed_at is not None:
            return _page(request, 200, title, [_("Your alerts are already confirmed.")])
        if request.method == "GET":  # a mail scanner following links must not confirm
            return _page(request, 200, title, [], {"button": _("Confirm my alerts")})
        with transaction.atomic():
            confirmed = Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True)
            if confirmed.update(confirmed_at=timezone.now()):
                subscriber.refresh_from_db()
                subscriber.cover_area()
        return _page(request, 200, title, [_("Thank you: your alerts are confirmed.")])


@csrf_exempt  # RFC 8058: mail clients post "List-Unsubscribe=One-Click" here, with no cookie
@csp_replace(FORMS_TO_SELF)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscriber, problem, status = _subscriber(token, mail.UNSUBSCRIBE_SALT)
    language = subscriber.language if subscriber else translation.get_language()
    with translation.override(language):
        title = _("Stop alerts about missing children")
        if subscriber is None:  # already stopped: nothing left to stop, and that is fine
            return _page(request, status, title, [problem])
        if request.method == "GET":
            lines = [
                _("Alerts %(area)s to %(email)s.")
                % {"area": mail.area_words(subscriber), "email": subscriber.email}
            ]
            return _page(request, 200, title, lines, {"button": _("Stop these alerts")})
        subscriber.delete()  # with its area and what was sent to it: nothing kept
        return _page(request, 200, title, [_("Done: you will receive no more alerts.")])
