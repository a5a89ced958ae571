"""The public tip form's fields and their checks, shared by the JSON API and the no-JS form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# A whole report: its photos and room for the text fields. A bigger body is refused unread.
MAX_REPORT_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024
# No sighting of a child missing today is older than this; year 1 in a zone east of UTC
# cannot even be stored (it would fall before the first representable instant).
EARLIEST_SIGHTING_YEAR = 1950


class TipForm(forms.Form):
    case = forms.UUIDField(required=False)
    site = forms.CharField(max_length=2, required=False)
    seen_at = forms.DateTimeField(required=False)
    seen_place = forms.CharField(max_length=300, required=False)
    seen_latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    seen_longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    description = forms.CharField(max_length=5000)
    contact_name = forms.CharField(max_length=200, required=False)
    contact_phone = forms.CharField(max_length=60, required=False)
    contact_email = forms.EmailField(required=False)
    language = forms.CharField(max_length=12, required=False)

    def clean_seen_at(self):
        seen_at = self.cleaned_data["seen_at"]
        if seen_at and seen_at.year < EARLIEST_SIGHTING_YEAR:
            raise forms.ValidationError(
                _("Give a date from %(year)s on.") % {"year": EARLIEST_SIGHTING_YEAR}
            )
        if seen_at and seen_at > timezone.now() + timezone.timedelta(minutes=10):
            raise forms.ValidationError(_("The time of the sighting cannot be in the future."))
        return seen_at

    def clean(self):
        cleaned = super().clean()
        has_lat = cleaned.get("seen_latitude") is not None
        has_lon = cleaned.get("seen_longitude") is not None
        if has_lat != has_lon:
            self.add_error("seen_longitude", _("Give both latitude and longitude, or neither."))
        if not cleaned.get("case") and not cleaned.get("site"):
            self.add_error("case", _("Say which case or which country's site the tip is about."))
        return cleaned
