"""The case edit form: the missing-since time in the case's own time zone (a choice of zones,
the country's first), a case number that no other case of the country has (it is the page's
address; a new case gets the next free one suggested), the agency and zone of the country's
settings prefilled, and a map to pick where the child was last seen (``map-picker.js``)."""

import re
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from cms.timezones import known_zones

# No child missing today was born or went missing before this year.
EARLIEST_YEAR = 1900


def dates_out_of_range(**dates) -> dict[str, list[str]]:
    """Errors for the dates before EARLIEST_YEAR; year 1 east of UTC cannot even be stored (it
    falls before the first representable instant), so this is checked before anything else."""
    message = _("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR}
    return {
        name: [message] for name, value in dates.items() if value and value.year < EARLIEST_YEAR
    }


def zone_choices(first: str | None) -> list[tuple[str, str]]:
    """Every IANA time zone, the country's first."""
    zones = sorted(known_zones())
    ordered = ([first] if first in zones else []) + [zone for zone in zones if zone != first]
    return [(zone, zone.replace("_", " ")) for zone in ordered]


def suggested_case_number(country, year: int) -> str:
    """The next free number of the country's pattern for the year, e.g. MX-2026-0012: one more
    than the highest ``<CODE>-<YEAR>-<n>`` any of its cases has."""
    from cms.cases.models import CasePage

    prefix = f"{country.code}-{year}-"
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    numbers = CasePage.objects.descendant_of(country.site.root_page).filter(
        case_number__startswith=prefix
    )
    highest = max(
        (
            int(m.group(1))
            for n in numbers.values_list("case_number", flat=True)
            if (m := pattern.match(n))
        ),
        default=0,
    )
    return f"{prefix}{highest + 1:04d}"


class CasePageForm(WagtailAdminPageForm):
    """Editors type the local time where the child went missing, whatever their own time zone.

    Django reads a typed date-time in the editor's time zone; this form re-reads the same wall
    clock time in the case's time zone, and shows stored times in that zone too.
    """

    # Not stored on the case: read when the case is published (cms.distribution.wagtail_hooks).
    alert_update = forms.BooleanField(
        required=False,
        label=gettext_lazy("Send an update to alert subscribers"),
        help_text=gettext_lazy(
            "With Publish, for news that matters to the public: a new photo, a new place where "
            "the child may be. Everyone alerted about this child, and everyone near the place "
            "now given, gets the updated poster."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.missing_since and instance.missing_since_timezone:
            tz = zoneinfo.ZoneInfo(instance.missing_since_timezone)
            local = instance.missing_since.astimezone(tz).replace(tzinfo=None)
            self.initial["missing_since"] = local
        country = self._country_for_parent() if not instance.pk else None
        if country is not None:  # a new case: what the country's settings say
            agency = country.agencies.first()
            year = timezone.localdate(timezone=zoneinfo.ZoneInfo(country.timezone)).year
            suggested = {
                "missing_since_timezone": country.timezone,
                "agency_name": agency.name if agency else "",
                "agency_phone": agency.phone if agency else "",
                "case_number": suggested_case_number(country, year),
            }
            for name, value in suggested.items():
                if value and not self.initial.get(name):
                    self.initial[name] = value
        if "missing_since_timezone" in self.fields:
            zone = instance.missing_since_timezone or (country.timezone if country else None)
            self.fields["missing_since_timezone"].widget = forms.Select(choices=zone_choices(zone))
        if "last_seen_latitude" in self.fields:  # read by map-picker.js
            attrs = self.fields["last_seen_latitude"].widget.attrs
            attrs["data-map-label"] = _("Map: click where the child was last seen")
            attrs["data-map-zoom-in"] = _("Zoom in")
            attrs["data-map-zoom-out"] = _("Zoom out")
            attrs["data-map-tiles"] = settings.HOMEWARD_MAP_TILES
            attrs["data-map-attribution"] = settings.HOMEWARD_MAP_ATTRIBUTION

    def _country_for_parent(self):
        parent = self.parent_page
        if parent is None:
            return None
        home = parent.get_ancestors(inclusive=True).filter(depth=2).first()
        return home.specific.get_country() if home else None

    def _check_address_is_free(self, case_number: str | None) -> None:
        """The page address is the case number (CasePage._derive_title_and_slug): two cases of
        one country cannot share one, and the editor is told so on the case number itself."""
        if not case_number or self.parent_page is None:
            return
        if not Page._slug_is_available(slugify(case_number), self.parent_page, self.instance):
            self.add_error(
                "case_number",
                _("Another case of this country already has this case number."),
            )

    def clean(self):
        cleaned = super().clean()
        self._check_address_is_free(cleaned.get("case_number"))
        when = cleaned.get("missing_since")
        out_of_range = dates_out_of_range(
            missing_since=when, date_of_birth=cleaned.get("date_of_birth")
        )
        for name, messages in out_of_range.items():
            self.add_error(name, messages)  # also for drafts, which skip the model's checks
        if out_of_range:
            return cleaned
        tz_name = cleaned.get("missing_since_timezone")
        if when is not None and tz_name in known_zones():
            wall_clock = timezone.make_naive(when, timezone.get_current_timezone())
            cleaned["missing_since"] = timezone.make_aware(wall_clock, zoneinfo.ZoneInfo(tz_name))
        return cleaned
