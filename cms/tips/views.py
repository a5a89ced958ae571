"""POST /api/tips/ — the public endpoint for sightings, with or without JavaScript.

A script on a country site posts multipart data and reads JSON; a plain HTML form (no script)
posts the same fields plus `next`, and is sent back to `next` when the tip is stored. Bad input
gets every problem at once, in the sender's language, and nothing is stored half-way.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.cases.models import CasePage
from cms.countries.models import Country
from cms.public_forms import fingerprint, language_of, over_rate_limit, safe_next, wants_html
from cms.timezones import known_zones
from cms.tips.forms import MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_REPORT_BYTES, TipForm
from cms.tips.models import Tip, TipPhoto, TipSource
from cms.tips.photos import BadPhoto, CleanPhoto, clean_photo
from cms.tips.refused import refused_page
from cms.tips.signals import tip_received


class UnreadableReport(Exception):
    """The request body is too big or malformed; nothing of it was read."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _errors_response(request, errors: dict[str, list[str]], status: int, data=None):
    if not wants_html(request, data):
        return JsonResponse({"errors": errors}, status=status)
    back = safe_next((data or {}).get("next") or request.headers.get("Referer", ""))
    if data is not None:
        messages = [" ".join(found) for found in errors.values()]
        page = refused_page(data, messages, status, back, _sender_timezone(data))
        if page is not None:
            return page
    context = {
        "language": translation.get_language(),
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "errors": [" ".join(messages) for messages in errors.values()],
        "back": back,
        "labels": {
            "title": _("Your report was not sent"),
            "advice": _("Go back to correct it: what you typed is still in the form."),
            "back": _("Back"),
        },
    }
    return render(request, "tips/not_sent.html", context, status=status)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # as Django reads it


def _read_report(request) -> tuple[QueryDict, list]:
    """The form fields and uploaded photos, or UnreadableReport before any work is done."""
    if _content_length(request) > MAX_REPORT_BYTES:
        raise UnreadableReport(
            _("The report is too large: send at most %(count)s photos of %(size)s MB each.")
            % {"count": MAX_PHOTOS, "size": MAX_PHOTO_BYTES // (1024 * 1024)},
            status=413,
        )
    try:
        return request.POST, request.FILES.getlist("photos")
    except (SuspiciousOperation, MultiPartParserError) as problem:
        # RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent or a broken multipart body.
        raise UnreadableReport(_("The report could not be read; send it again."), 400) from problem


def _read_photos(uploads, errors) -> list[CleanPhoto]:
    if len(uploads) > MAX_PHOTOS:
        errors["photos"] = [_("Send at most %(count)s photos.") % {"count": MAX_PHOTOS}]
        return []
    photos = []
    for upload in uploads:
        if upload.size > MAX_PHOTO_BYTES:
            errors.setdefault("photos", []).append(
                _("%(name)s is larger than %(size)s MB.")
                % {"name": upload.name, "size": MAX_PHOTO_BYTES // (1024 * 1024)}
            )
            continue
        try:
            photos.append(clean_photo(upload.read()))
        except BadPhoto as problem:
            errors.setdefault("photos", []).append(f"{upload.name}: {problem}")
    return photos


def _sender_timezone(data) -> str:
    """The zone a time typed without one is read in: the one the form named beside the field
    (``seen_tz``: the case's, else the country's), else the country's."""
    named = data.get("seen_tz") or ""
    if named in known_zones():
        return named
    code = (data.get("site") or "").upper()
    country = Country.objects.filter(code=code).only("timezone").first() if code else None
    return country.timezone if country else settings.TIME_ZONE


def _resolve_country(form, errors) -> tuple[Country | None, CasePage | None]:
    case = None
    if form.cleaned_data.get("case"):
        case = (
            CasePage.objects.live()
            .filter(translation_key=form.cleaned_data["case"])
            .order_by("pk")
            .first()
        )
        if case is None:
            errors["case"] = [_("There is no such case.")]
            return None, None
        return Country.objects.for_page(case), case
    country = Country.objects.filter(code=form.cleaned_data["site"].upper()).first()
    if country is None:
        errors["site"] = [_("There is no such site.")]
    return country, None


@csrf_exempt  # a public, cross-site form; it changes nothing but adds a tip
@require_POST
def submit_tip(request):
    if over_rate_limit(request, "tips", settings.HOMEWARD_TIP_RATE):
        message = _("Too many reports from your connection; try later.")
        return _errors_response(request, {"__all__": [message]}, 429)
    try:
        data, uploads = _read_report(request)
    except UnreadableReport as problem:
        return _errors_response(request, {"__all__": [str(problem)]}, problem.status)
    language = language_of(data.get("language"))
    with translation.override(language):
        return _accept_tip(request, data, uploads, language)


def _accept_tip(request, data: QueryDict, uploads: list, language: str) -> HttpResponse:
    form = TipForm(data)
    errors: dict[str, list[str]] = {}
    # A time typed without a zone (the form's datetime-local) is read in the zone the form names.
    with timezone.override(_sender_timezone(data)):
        valid = form.is_valid()
    if not valid:
        errors.update({field: list(messages) for field, messages in form.errors.items()})
    photos = _read_photos(uploads, errors)
    country = case = None
    if not errors:
        country, case = _resolve_country(form, errors)
    if errors:
        return _errors_response(request, errors, 400, data)
    tip = store_tip(
        country=country,
        case=case,
        photos=photos,
        fields=form.cleaned_data,
        fingerprint=fingerprint(request),
        language=language,
        source=TipSource.PUBLIC,
    )
    message = _("Thank you. Your report was sent to the investigators.")
    if not wants_html(request, data):
        return JsonResponse({"id": tip.pk, "message": message}, status=201)
    target = safe_next(data["next"])
    if target:
        return HttpResponseRedirect(f"{target.split('#')[0]}#tip-sent", status=303)
    context = {
        "language": language,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "message": message,
    }
    return render(request, "tips/sent.html", context)


@transaction.atomic
def store_tip(
    *, country, case, photos, fields: dict, fingerprint: str, language: str, source: str
) -> Tip:
    """Save a tip and its cleaned photos in one transaction; `tip_received` follows the commit."""
    tip = Tip.objects.create(
        source=source,
        country=country,
        case=case,
        language=(language or "")[:12],
        seen_at=fields.get("seen_at"),
        seen_place=fields.get("seen_place") or "",
        seen_latitude=fields.get("seen_latitude"),
        seen_longitude=fields.get("seen_longitude"),
        description=fields["description"],
        contact_name=fields.get("contact_name") or "",
        contact_phone=fields.get("contact_phone") or "",
        contact_email=fields.get("contact_email") or "",
        sender_fingerprint=fingerprint,
    )
    for photo in photos:
        stored = TipPhoto(
            tip=tip,
            sha256=photo.sha256,
            width=photo.width,
            height=photo.height,
            exif_taken_at=photo.taken_at,
            exif_latitude=photo.latitude,
            exif_longitude=photo.longitude,
        )
        stored.file.save(f"{photo.sha256}.jpg", ContentFile(photo.data), save=False)
        stored.save()
    transaction.on_commit(lambda: tip_received.send(sender=Tip, tip=tip))
    return tip
