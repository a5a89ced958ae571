"""POST /api/tips/ — the public endpoint for sightings, with or without JavaScript.

A script on a country site posts multipart data and reads JSON; a plain HTML form (no script)
posts the same fields plus `next`, and is sent back to `next` when the tip is stored. Bad input
gets every problem at once, in the sender's language, and nothing is stored half-way.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from cms.cases.models import CasePage
from cms.countries.models import Country
from cms.tips.forms import MAX_PHOTO_BYTES, MAX_PHOTOS, TipForm
from cms.tips.models import Tip, TipPhoto, TipSource
from cms.tips.photos import BadPhoto, CleanPhoto, clean_photo
from cms.tips.signals import tip_received


def _fingerprint(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _wants_html(request) -> bool:
    return bool(request.POST.get("next"))


def _safe_next(url: str) -> str | None:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return url if origin in settings.CORS_ALLOWED_ORIGINS else None


def _errors_response(request, errors: dict[str, list[str]], status: int):
    if not _wants_html(request):
        return JsonResponse({"errors": errors}, status=status)
    items = "".join(f"<li>{escape(' '.join(messages))}</li>" for messages in errors.values())
    back = escape(request.POST.get("next", ""))
    title = escape(_("Your report was not sent"))
    advice = escape(_("Go back to correct it: what you typed is still in the form."))
    back_label = escape(_("Back"))
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    html = (
        f'<!doctype html><html lang="{translation.get_language()}" dir="{direction}">'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{title}</title><h1>{title}</h1><ul>{items}</ul>"
        f'<p>{advice}</p><p><a href="{back}">{back_label}</a></p></html>'
    )
    return HttpResponse(html, status=status)


def _read_photos(request, errors) -> list[CleanPhoto]:
    uploads = request.FILES.getlist("photos")
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


def _country_timezone(data) -> str:
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
    language = request.POST.get("language") or translation.get_language()
    with translation.override(language):
        if is_ratelimited(
            request, group="tips", key="ip", rate=settings.HOMEWARD_TIP_RATE, increment=True
        ):
            return _errors_response(
                request, {"__all__": [_("Too many reports from your connection; try later.")]}, 429
            )
        form = TipForm(request.POST)
        errors: dict[str, list[str]] = {}
        # A time typed without a zone (the no-JS form's datetime-local) is the country's time.
        with timezone.override(_country_timezone(request.POST)):
            valid = form.is_valid()
        if not valid:
            errors.update({field: list(messages) for field, messages in form.errors.items()})
        photos = _read_photos(request, errors)
        country = case = None
        if not errors:
            country, case = _resolve_country(form, errors)
        if errors:
            return _errors_response(request, errors, 400)
        tip = store_tip(
            country=country,
            case=case,
            photos=photos,
            fields=form.cleaned_data,
            fingerprint=_fingerprint(request),
            language=language,
            source=TipSource.PUBLIC,
        )
        message = _("Thank you. Your report was sent to the investigators.")
        if _wants_html(request):
            target = _safe_next(request.POST["next"])
            if target:
                return HttpResponseRedirect(f"{target.split('#')[0]}#tip-sent", status=303)
            return HttpResponse(f"<!doctype html><meta charset='utf-8'><p>{escape(message)}</p>")
        return JsonResponse({"id": tip.pk, "message": message}, status=201)


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
