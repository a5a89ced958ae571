"""The case edit form: enters and shows the missing-since time in the case's own time zone."""

import zoneinfo

from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm


class CasePageForm(WagtailAdminPageForm):
    """Editors type the local time where the child went missing, whatever their own time zone.

    Django reads a typed date-time in the editor's time zone; this form re-reads the same wall
    clock time in the case's time zone, and shows stored times in that zone too.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Left blank, the address is made from the case number, never from the name.
            self.fields["slug"].required = False
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

    def clean(self):
        if not self.cleaned_data.get("slug") and self.cleaned_data.get("case_number"):
            self.cleaned_data["slug"] = slugify(self.cleaned_data["case_number"])
        cleaned = super().clean()
        when = cleaned.get("missing_since")
        tz_name = cleaned.get("missing_since_timezone")
        if when is not None and tz_name in zoneinfo.available_timezones():
            wall_clock = timezone.make_naive(when, timezone.get_current_timezone())
            cleaned["missing_since"] = timezone.make_aware(wall_clock, zoneinfo.ZoneInfo(tz_name))
        return cleaned
