"""The organisation form of the admin: a country's editors register a police station, a
hospital, a transport operator or a newsroom for alerts, by email and/or a signed webhook."""

from __future__ import annotations

from decimal import ROUND_HALF_UP

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.countries.models import Country
from cms.distribution import webhooks
from cms.distribution.forms import MAX_RADIUS_KM, MIN_RADIUS_KM, ROUNDED
from cms.distribution.models import AreaKind, Subscriber, SubscriberKind


class OrganisationForm(WagtailAdminModelForm):
    webhook_url = forms.URLField(
        label=Subscriber._meta.get_field("webhook_url").verbose_name,
        help_text=Subscriber._meta.get_field("webhook_url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    enabled = forms.BooleanField(
        label=_("Enabled"),
        required=False,
        initial=True,
        help_text=_("Off after a day of failed webhook calls; turn on again once it is fixed."),
    )

    class Meta:
        model = Subscriber
        widgets = {"emails": forms.Textarea(attrs={"rows": 3})}
        fields = [
            "country",
            "name",
            "language",
            "emails",
            "webhook_url",
            "area",
            "latitude",
            "longitude",
            "radius_km",
            "region",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        countries = Country.objects.for_user(for_user) if for_user is not None else None
        if countries is not None:
            self.fields["country"].queryset = countries
            if countries.count() == 1 and not self.instance.pk:  # an editor of one country
                only = countries.get()
                self.initial["country"] = only.pk
                self.initial.setdefault("language", only.default_language)
        codes = sorted(
            {code for c in (countries or Country.objects.all()) for code in c.language_codes}
        )
        self.fields["language"] = forms.ChoiceField(
            label=capfirst(Subscriber._meta.get_field("language").verbose_name),
            choices=[(code, f"{code} — {get_language_info(code)['name_local']}") for code in codes],
        )
        self.initial.setdefault("area", AreaKind.POINT)
        self.fields["name"].required = True
        self.fields["enabled"].initial = self.instance.disabled_at is None
        if self.instance.webhook_secret:
            self.fields["webhook_url"].help_text = _(
                "Signing secret (Standard Webhooks): %(secret)s"
            ) % {"secret": self.instance.webhook_secret}

    def clean_emails(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines()]
        for line in filter(None, lines):
            try:
                validate_email(line)
            except ValidationError:
                raise ValidationError(
                    _("%(address)s is not an email address.") % {"address": line}
                ) from None
        return "\n".join(filter(None, lines))

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data["webhook_url"]
        if url:
            try:
                webhooks.resolve(url)
            except webhooks.RefusedURL as problem:
                raise ValidationError(str(problem)) from None
        return url

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("emails") and not cleaned.get("webhook_url"):
            self.add_error("emails", _("Give an email address or a webhook, or both."))
        country = cleaned.get("country")
        if country and cleaned.get("language") not in country.language_codes:
            self.add_error("language", _("Choose one of the country's languages."))
        if cleaned.get("area") == AreaKind.POINT:
            self._clean_point(cleaned)
        elif cleaned.get("area") == AreaKind.REGION and not cleaned.get("region"):
            self.add_error("region", _("Choose a region."))
        return cleaned

    def _clean_point(self, cleaned) -> None:
        limits = {"latitude": 90, "longitude": 180}
        for name, limit in limits.items():
            value = cleaned.get(name)
            if value is None or not -limit <= value <= limit:
                self.add_error(name, _("Give the place's coordinates."))
            else:
                cleaned[name] = value.quantize(ROUNDED, rounding=ROUND_HALF_UP)
        radius = cleaned.get("radius_km")
        if radius is None or not MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM:
            self.add_error(
                "radius_km",
                _("Give a radius from %(min)s to %(max)s km.")
                % {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM},
            )

    @transaction.atomic
    def save(self, commit=True):
        organisation = super().save(commit=False)
        organisation.kind = SubscriberKind.ORGANISATION
        organisation.confirmed_at = organisation.confirmed_at or timezone.now()
        if organisation.webhook_url and not organisation.webhook_secret:
            organisation.webhook_secret = webhooks.new_secret()
        if self.cleaned_data.get("enabled"):
            if organisation.disabled_at:
                organisation.failures = 0
            organisation.disabled_at = None
        elif organisation.disabled_at is None:
            organisation.disabled_at = timezone.now()
        if organisation.area != AreaKind.POINT:
            organisation.latitude = organisation.longitude = organisation.radius_km = None
        if organisation.area != AreaKind.REGION:
            organisation.region = ""
        organisation.save()
        organisation.cover_area()
        return organisation
