"""The case edit form: the missing-since time in the case's own time zone, and a case number
that no other case of the country has (it is the page's address)."""

import zoneinfo

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

# No child missing today was born or went missing before this year.
EARLIEST_YEAR = 1900


def dates_out_of_range(**dates) -> dict[str, list[str]]:
    """Errors for the dates before EARLIEST_YEAR; year 1 east of UTC cannot even be stored (it
    falls before the first representable instant), so this is checked before anything else."""
    message = _("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR}
    return {
        name: [message] for name, value in dates.items() if value and value.year < EARLIEST_YEAR
    }


class CasePageForm(WagtailAdminPageForm):
    """Editors type the local time where the child went missing, whatever their own time zone.

    Django reads a typed date-time in the editor's time zone; this form re-reads the same wall
    clock time in the case's time zone, and shows stored times in that zone too.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.missing_since and instance.missing_since_timezone:
            tz = zoneinfo.ZoneInfo(instance.missing_since_timezone)
            local = instance.missing_since.astimezone(tz).replace(tzinfo=None)
            self.initial["missing_since"] = local
        elif not instance.missing_since_timezone:
            country = self._country_for_parent()
            if country is not None:
                self.initial.setdefault("missing_since_timezone", country.timezone)

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
        if when is not None and tz_name in zoneinfo.available_timezones():
            wall_clock = timezone.make_naive(when, timezone.get_current_timezone())
            cleaned["missing_since"] = timezone.make_aware(wall_clock, zoneinfo.ZoneInfo(tz_name))
        return cleaned
