"""What an investigator sees of a lead: resemblance in plain words, ages, years apart.

Children change as they grow, so the review screen puts the child's age in each photo and the
years between them next to the resemblance, and the words never claim the faces are the same
person (see match_worker.ranking).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cms.cases.models import age_on
from cms.countries.zones import local_time
from cms.matching.models import Lead
from match_worker.ranking import shown_strength


@dataclass(frozen=True)
class LeadFacts:
    strength: str
    strength_code: str
    age_in_case_photo: int | None
    age_progressed: bool
    tip_date: dt.date
    age_at_tip: int | None
    years_between: int | None
    received: str  # when the tip came, in the case's country's time, zone named
    seen: str  # when the sender says they saw the child, likewise ("—" if they did not say)


def tip_date(lead: Lead) -> dt.date:
    """When the tip photo was taken: the camera's clock if it had one, else when it was sent."""
    taken = lead.tip_photo.exif_taken_at
    if taken:
        try:
            return dt.datetime.fromisoformat(taken).date()
        except ValueError:
            pass
    return lead.tip_photo.tip.received_at.date()


def lead_facts(lead: Lead) -> LeadFacts:
    strength = shown_strength(lead.distance, illustrated=lead.matched_age_progressed_to is not None)
    birth = lead.case.date_of_birth if lead.subject == "child" else None
    when = tip_date(lead)
    if lead.matched_age_progressed_to is not None:
        photo_age = lead.matched_age_progressed_to
    elif birth and lead.matched_photo_date:
        photo_age = age_on(birth, lead.matched_photo_date)
    else:
        photo_age = None
    years = None
    if lead.matched_photo_date and lead.matched_age_progressed_to is None:
        years = max(0, age_on(lead.matched_photo_date, when))
    return LeadFacts(
        strength=_(strength.label),
        strength_code=strength.code,
        age_in_case_photo=photo_age,
        age_progressed=lead.matched_age_progressed_to is not None,
        tip_date=when,
        age_at_tip=age_on(birth, when) if birth else None,
        years_between=years,
        received=local_time(lead.tip_photo.tip.received_at, lead.country.timezone),
        seen=local_time(lead.tip_photo.tip.seen_at, lead.country.timezone),
    )
