"""The country settings form: languages can be added in the CMS, never silently dropped."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class CountryForm(WagtailAdminModelForm):
    """Adding a language gives the country its page tree in that language, at once.

    Removing a language or changing the default one would orphan published pages and posters,
    so the form refuses it with an explanation; a network admin does that deliberately.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cms.countries.models import PosterField

        if "poster_fields" in self.fields:
            self.fields["poster_fields"] = forms.MultipleChoiceField(
                label=_("optional poster fields"),
                choices=PosterField.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=self.fields["poster_fields"].help_text,
            )

    def clean_poster_second_language(self):
        value = (self.cleaned_data.get("poster_second_language") or "").strip()
        if not value:
            return ""
        from cms.countries.models import parse_language_codes

        languages = parse_language_codes(self.cleaned_data.get("languages") or "") or (
            self.instance.language_codes if self.instance.pk else []
        )
        if value not in languages:
            raise forms.ValidationError(
                _("Choose one of the country's languages: %(codes)s."),
                params={"codes": ", ".join(languages)},
            )
        return value

    def clean_languages(self):
        from cms.countries.models import parse_language_codes

        value = self.cleaned_data["languages"]
        if not self.instance.pk:
            return value
        new = parse_language_codes(value)
        old = self.instance.language_codes
        if new[0] != old[0]:
            raise forms.ValidationError(
                _("The default language stays %(code)s; list it first."), params={"code": old[0]}
            )
        missing = [code for code in old if code not in new]
        if missing:
            raise forms.ValidationError(
                _("Languages can only be added here; ask a network admin to remove %(codes)s."),
                params={"codes": ", ".join(missing)},
            )
        return ",".join(new)

    def save(self, commit=True):
        from cms.countries.provisioning import add_country_languages

        added = []
        if self.instance.pk and "languages" in self.changed_data:
            before = type(self.instance).objects.get(pk=self.instance.pk).language_codes
            added = [code for code in self.instance.language_codes if code not in before]
            self.instance.languages = ",".join(before)  # add_country_languages records them
        country = super().save(commit=commit)
        if added and commit:
            add_country_languages(country, [*country.language_codes, *added])
        return country
