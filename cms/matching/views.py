"""The investigators' lead queue: review, confirm or dismiss with a reason; search by photo.

Every view here is limited to the countries the user works for: a lead belongs to the country
of the matched case, wherever the tip was sent from.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from cms.cases.models import CaseStatus
from cms.countries.models import Country
from cms.countries.zones import local_time
from cms.matching.models import Lead, LeadStatus
from cms.matching.review import lead_facts
from cms.tips.models import TipPhoto, TipSource
from cms.tips.photos import BadPhoto, clean_photo
from match_worker.ranking import OPERATING_THRESHOLD, shown_strength

LABELS = {
    "queue": gettext_lazy("Leads to review"),
    "search": gettext_lazy("Search all cases with a photo"),
    "search_help": gettext_lazy(
        "Any photo, for example from an online advert: every face in it is compared with the "
        "children and companions of every active case in the network."
    ),
    "none": gettext_lazy("No leads to review."),
    "case": gettext_lazy("Case"),
    "subject": gettext_lazy("Resembles"),
    "strength": gettext_lazy("Resemblance"),
    "received": gettext_lazy("Tip received"),
    "status": gettext_lazy("Status"),
    "tip_face": gettext_lazy("Face in the tip photo"),
    "case_photo": gettext_lazy("Case photo"),
    "age_in_photo": gettext_lazy("Age in the case photo"),
    "age_progressed": gettext_lazy("age-progressed image"),
    "age_at_tip": gettext_lazy("Age when the tip photo was taken"),
    "years_between": gettext_lazy("Years between the photos"),
    "distance": gettext_lazy("Distance (lower is closer)"),
    "photos_close": gettext_lazy("Photos of this person within the threshold"),
    "tip": gettext_lazy("The tip"),
    "decision": gettext_lazy("Decision"),
    "history": gettext_lazy("Decisions"),
    "caution": gettext_lazy(
        "A resemblance between two faces is a lead, not an identification. Check it."
    ),
    "searching": gettext_lazy("The photo is being compared; its leads appear here shortly."),
    "failed": gettext_lazy("Face matching failed for this photo:"),
    "no_face": gettext_lazy("No face was found in this photo."),
    "show": gettext_lazy("Show"),
    "weak_hidden": gettext_lazy(
        "Weak resemblances (beyond the matching threshold) are hidden: %(count)s."
    ),
    "show_weak": gettext_lazy("Show them too"),
    "hide_weak": gettext_lazy("Hide weak resemblances"),
    "open_tip": gettext_lazy("Open the tip"),
    "open_case": gettext_lazy("Open the case"),
    "contact": gettext_lazy("Sender's contact"),
    "no_contact": gettext_lazy("The sender left no contact."),
    "country": gettext_lazy("Country"),
    "seen": gettext_lazy("Seen"),
    "elsewhere": gettext_lazy("Resemblances in other countries"),
    "elsewhere_help": gettext_lazy(
        "These leads are in the queue of the country of each case, for its investigators."
    ),
    "poster": gettext_lazy("Public poster"),
}

# The queue's views of the leads: to review (the default), each decision, or all of them.
QUEUE_FILTERS = {
    "new": (gettext_lazy("To review"), Q(status=LeadStatus.NEW, case__status=CaseStatus.MISSING)),
    "confirmed": (gettext_lazy("Confirmed"), Q(status=LeadStatus.CONFIRMED)),
    "dismissed": (gettext_lazy("Dismissed"), Q(status=LeadStatus.DISMISSED)),
    "closed": (gettext_lazy("Closed with the case"), Q(status=LeadStatus.CLOSED)),
    "all": (gettext_lazy("All"), Q()),
}


def countries(request):
    return Country.objects.for_user(request.user)


def visible_leads(request):
    if not request.user.has_perm("matching.view_lead"):
        raise PermissionDenied
    return Lead.objects.filter(country__in=countries(request)).select_related(
        "case", "tip_photo__tip", "matched_image"
    )


def visible_lead(request, pk: int) -> Lead:
    """A lead of the user's countries; any other id is refused the same way, existing or not."""
    lead = visible_leads(request).filter(pk=pk).first()
    if lead is None:
        raise PermissionDenied
    return lead


def queue(request):
    """The leads to review, nearest first; decided ones, those closed with their case and the
    weak resemblances beyond the operating threshold only when asked for."""
    leads = visible_leads(request)
    tip_id = request.GET.get("tip")
    photos = []
    if tip_id and tip_id.isdigit():
        leads = leads.filter(tip_photo__tip_id=int(tip_id))
        photos = TipPhoto.objects.filter(tip_id=int(tip_id), tip__country__in=countries(request))
    shown = request.GET.get("status") if request.GET.get("status") in QUEUE_FILTERS else "new"
    leads = leads.filter(QUEUE_FILTERS[shown][1])
    weak = request.GET.get("weak") == "1"
    hidden = 0
    if not weak:
        hidden = leads.filter(distance__gt=OPERATING_THRESHOLD).count()
        leads = leads.filter(distance__lte=OPERATING_THRESHOLD)
    rows = [(lead, lead_facts(lead)) for lead in leads.order_by("status", "distance")[:200]]
    filters = [
        (key, label, f"?{urlencode({'status': key, **({'weak': 1} if weak else {})})}")
        for key, (label, _query) in QUEUE_FILTERS.items()
    ]
    context = {
        "rows": rows,
        "labels": LABELS,
        "photos": photos,
        "search_form": SearchForm(),
        "filters": filters,
        "shown": shown,
        "weak": weak,
        "hidden": hidden,
        "weak_hidden": LABELS["weak_hidden"] % {"count": hidden},
        "toggle_weak": "?" + urlencode({"status": shown, **({} if weak else {"weak": 1})}),
        "refresh": any(p.match_status in ("queued", "running") for p in photos),
        "elsewhere": _elsewhere(request, tip_id) if photos else [],
    }
    return TemplateResponse(request, "matching/queue.html", context)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (LeadStatus.CONFIRMED, gettext_lazy("Confirm: worth following up")),
            (LeadStatus.DISMISSED, gettext_lazy("Dismiss: not this child")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


def review(request, pk: int):
    lead = visible_lead(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("matching.change_lead"):
            raise PermissionDenied
        if form.is_valid():
            decide(lead, request.user, form.cleaned_data["decision"], form.cleaned_data["reason"])
            messages.success(request, _("Decision recorded."))
            return redirect("leads:queue")
    others = visible_leads(request).filter(tip_photo=lead.tip_photo).exclude(pk=lead.pk)
    return TemplateResponse(
        request,
        "matching/review.html",
        {
            "lead": lead,
            "facts": lead_facts(lead),
            "form": form,
            "labels": LABELS,
            "others": others,
            "history": [
                (local_time(entry.timestamp, lead.country.timezone), entry)
                for entry in ModelLogEntry.objects.for_instance(lead).select_related("user")
            ],
            "search_label": _search_label(lead.tip_photo.tip),
        },
    )


def _elsewhere(request, tip_id: str) -> list[tuple[Lead, str, str]]:
    """Another country's leads from a tip of the user's country (an investigator's photo
    search of every case): ranked, the country named, and only what the public poster shows
    (case number, its public page); reviewing them is that country's staff's, in their queue."""
    from cms.countries.addresses import public_url

    others = (
        Lead.objects.filter(tip_photo__tip_id=int(tip_id), distance__lte=OPERATING_THRESHOLD)
        .exclude(country__in=countries(request))
        .exclude(status=LeadStatus.CLOSED)
        .select_related("case", "country")
        .order_by("distance")
    )
    rows = []
    for lead in others:
        strength = shown_strength(
            lead.distance, illustrated=lead.matched_age_progressed_to is not None
        )
        rows.append((lead, _(strength.label), public_url(lead.case)))
    return rows


def _search_label(tip) -> str:
    """A photo search by an investigator, in the reader's language (its stored description is
    in the searcher's)."""
    if tip.source != TipSource.INVESTIGATOR:
        return ""
    return _("Photo search by an investigator of %(country)s") % {"country": tip.country.name}


@transaction.atomic
def decide(lead: Lead, user, decision: str, reason: str) -> None:
    lead.status = decision
    lead.reason = reason
    lead.decided_by = user
    lead.decided_at = timezone.now()
    lead.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    log(instance=lead, action=f"homeward.lead.{decision}", user=user, data={"reason": reason})


def face_crop(request, pk: int):
    """The face a lead is about, cut from the tip photo: for this country's staff only."""
    lead = visible_lead(request, pk)
    top, right, bottom, left = lead.face_box
    margin = int(0.35 * max(bottom - top, right - left))
    with lead.tip_photo.file.open("rb") as handle, Image.open(handle) as image:
        crop = image.convert("RGB").crop(
            (
                max(left - margin, 0),
                max(top - margin, 0),
                min(right + margin, image.width),
                min(bottom + margin, image.height),
            )
        )
        crop.thumbnail((320, 320))
        out = io.BytesIO()
        crop.save(out, "JPEG", quality=88)
    response = HttpResponse(out.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


class SearchForm(forms.Form):
    photo = forms.ImageField(label=gettext_lazy("Photo"))


def search(request):
    """An investigator's photo becomes a tip of their own, matched like any other."""
    if not request.user.has_perm("matching.view_lead") or request.method != "POST":
        raise PermissionDenied
    form = SearchForm(request.POST, request.FILES)
    country = countries(request).first()
    if country is None or not form.is_valid():
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
        return redirect("leads:queue")
    try:
        photo = clean_photo(request.FILES["photo"].read())
    except BadPhoto as problem:
        messages.error(request, str(problem))
        return redirect("leads:queue")
    from cms.tips.views import store_tip

    tip = store_tip(
        country=country,
        case=None,
        photos=[photo],
        fields={"description": _("Photo search by %(user)s") % {"user": request.user}},
        fingerprint="",
        language=request.LANGUAGE_CODE,
        source=TipSource.INVESTIGATOR,
    )
    messages.success(request, str(LABELS["searching"]))
    return redirect(f"{request.path.rsplit('/search/', 1)[0]}/?tip={tip.pk}")
