"""The public sign-up form's fields, posted by a country site's alerts page."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.distribution.models import AreaKind

MIN_RADIUS_KM, MAX_RADIUS_KM = 1, 200
ROUNDED = Decimal("0.01")  # about 1 km: the area is kept no finer than that


class SignUpForm(forms.Form):
    site = forms.CharField(max_length=2)
    language = forms.CharField(max_length=12, required=False)
    email = forms.EmailField(max_length=254, label=_("Email"))
    area = forms.ChoiceField(choices=AreaKind.choices, label=_("Area"))
    latitude = forms.DecimalField(
        min_value=-90, max_value=90, max_digits=12, decimal_places=8, required=False
    )
    longitude = forms.DecimalField(
        min_value=-180, max_value=180, max_digits=12, decimal_places=8, required=False
    )
    radius = forms.IntegerField(
        min_value=MIN_RADIUS_KM, max_value=MAX_RADIUS_KM, required=False, label=_("Radius")
    )
    region = forms.CharField(max_length=120, required=False, label=_("Region"))
    # The sites' form names a place by "lat,lon" (a region's middle, or where the visitor is).
    at = forms.CharField(max_length=60, required=False)

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        if area == AreaKind.POINT and cleaned.get("at") and cleaned.get("latitude") is None:
            self._point_from_at(cleaned)
        if area == AreaKind.POINT:
            for name in ("latitude", "longitude", "radius"):
                if cleaned.get(name) is None and not {name, "at"} & set(self.errors):
                    self.add_error(
                        name,
                        _("Choose a place and a radius from %(min)s to %(max)s km.")
                        % {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM},
                    )
            for name in ("latitude", "longitude"):
                if cleaned.get(name) is not None:
                    cleaned[name] = cleaned[name].quantize(ROUNDED, rounding=ROUND_HALF_UP)
        elif area == AreaKind.REGION and not cleaned.get("region"):
            self.add_error("region", _("Choose a region."))
        return cleaned

    def _point_from_at(self, cleaned: dict) -> None:
        try:
            lat, lon = (Decimal(part.strip()) for part in cleaned["at"].split(","))
            usable = lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180
        except (ValueError, ArithmeticError):  # not two numbers; NaN, which compares to nothing
            usable = False
        if usable:
            cleaned["latitude"], cleaned["longitude"] = lat, lon
        else:
            self.add_error("at", _("Choose a place from the list."))
