"""Member countries: one Wagtail Site each, its languages, hotline, agencies and branding.

A country is the unit of access control. Its staff belong to the country's editors or
investigators group, and every scoped query in the CMS goes through `Country.objects.for_user`.
Contact and legal text are translatable, so they live on the country's home page (one per
language, managed by wagtail-localize), not here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Collection, Orderable, Site

from cms.countries.forms import CountryForm
from cms.timezones import known_zones
from sitegen.i18n import SOURCE_LOCALE, TRANSLATIONS_DIR, has_catalog

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, e.g. #0b5394.")
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{1,30}$",
    _("Enter a phone number of digits, spaces, brackets or dashes, optionally starting with +."),
)


def content_language_codes() -> set[str]:
    return {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}


def parse_language_codes(value: str) -> list[str]:
    """Turn "es, en" into ["es", "en"], rejecting unknown or repeated codes with a clear error."""
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    if not codes:
        raise ValidationError(_("Give at least one language code, e.g. es,en."))
    unknown = [code for code in codes if code not in content_language_codes()]
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s. Use codes such as es, en, ar, uk."),
            params={"codes": ", ".join(unknown)},
        )
    if len(set(codes)) != len(codes):
        raise ValidationError(_("A language is listed twice."))
    untranslated = [code for code in codes if not has_catalog(code)]
    if untranslated:
        # A site in a language without the sites' catalog would say lang="af" over English.
        raise ValidationError(
            _(
                "The public sites are not translated into %(codes)s yet, so a site in it would "
                "show English. Languages the sites are translated into: %(complete)s. Add the "
                "catalog first (translations/<code>/LC_MESSAGES/messages.po, see the README)."
            ),
            params={"codes": ", ".join(untranslated), "complete": ", ".join(site_languages())},
        )
    return codes


def site_languages() -> list[str]:
    """The languages the public sites' interface is translated into (sitegen's catalogs)."""
    catalogs = TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")
    found = {path.parent.parent.name for path in catalogs}
    return sorted(found | {SOURCE_LOCALE})


def validate_language_codes(value: str) -> None:
    parse_language_codes(value)


def validate_timezone(value: str) -> None:
    if value not in known_zones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


# Who may see a case's private fields (investigators, editors): the cases app's permission,
# granted per country by this app's groups.
PRIVATE_PERMISSION = "cases.view_case_private"


class PaperSize(models.TextChoices):
    # Translators: the ISO paper size; most languages keep "A4".
    A4 = "A4", _("A4")
    LETTER = "Letter", _("US Letter")


class PosterLayout(models.TextChoices):
    STANDARD = "standard", _("Standard: photos across the top")
    SIDEBAR = "sidebar", _("Sidebar: photos and QR code in a side column")


class PosterField(models.TextChoices):
    """What a country may leave off its posters (sitegen.context.OPTIONAL_FIELDS)."""

    DATE_OF_BIRTH = "date_of_birth", _("date of birth")
    SEX = "sex", _("sex")
    HEIGHT = "height", _("height")
    WEIGHT = "weight", _("weight")
    EYE_COLOUR = "eye_colour", _("eye colour")
    HAIR_COLOUR = "hair_colour", _("hair colour")
    DISTINGUISHING_MARKS = "distinguishing_marks", _("distinguishing marks")
    CLOTHING = "clothing", _("clothing")
    CIRCUMSTANCES = "circumstances", _("circumstances")
    COMPANIONS = "companions", _("companions and vehicles")
    AGE_PROGRESSED = "age_progressed", _("age-progressed photo")


def all_poster_fields() -> list[str]:
    return list(PosterField.values)


class CountryQuerySet(models.QuerySet):
    def for_user(self, user) -> CountryQuerySet:
        """The countries whose data `user` may see: all for network admins, else their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        group_ids = user.groups.values_list("pk", flat=True)
        return self.filter(
            models.Q(editors_group__in=group_ids) | models.Q(investigators_group__in=group_ids)
        ).distinct()

    def for_page(self, page) -> Country | None:
        """The country whose tree (in any language) holds `page`."""
        home_path = page.path[: page.steplen * 2]
        from wagtail.models import Page

        home = Page.objects.filter(path=home_path).only("translation_key").first()
        if home is None:
            return None
        return self.filter(site__root_page__translation_key=home.translation_key).first()


class Country(ClusterableModel):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 code, e.g. MX."))],
        help_text=_("ISO 3166-1 alpha-2, upper case, e.g. MX."),
    )
    name = models.CharField(_("name"), max_length=100)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        validators=[validate_language_codes],
        help_text=_("Language codes, comma separated; the first is the site's default."),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("Default time zone for new cases, e.g. America/Mexico_City."),
    )
    # Required in the form; blank only between provisioning and the first edit, and a country
    # without a hotline is not published (see cms.publishing.export).
    hotline_number = models.CharField(
        _("national hotline"), max_length=40, validators=[phone_validator]
    )
    hotline_label = models.CharField(
        _("hotline label"), max_length=120, blank=True, help_text=_("e.g. 24-hour hotline")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#0b5394", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#c00000", validators=[colour_validator]
    )
    poster_paper_size = models.CharField(
        _("poster paper size"), max_length=10, choices=PaperSize.choices, default=PaperSize.A4
    )
    poster_layout = models.CharField(
        _("poster layout"), max_length=20, choices=PosterLayout.choices, default="standard"
    )
    poster_second_language = models.CharField(
        _("second poster language"),
        max_length=20,
        blank=True,
        help_text=_(
            "Bilingual posters: every poster also shows this language (the poster in this "
            "language shows the default language). Leave empty for one language."
        ),
    )
    poster_fields = models.JSONField(
        _("optional poster fields"),
        default=all_poster_fields,
        blank=True,
        help_text=_("Name, ages, photos, dates, place, phone numbers and QR code always appear."),
    )
    poster_heading_colour = models.CharField(
        _("poster heading colour"), max_length=7, default="#c00000", validators=[colour_validator]
    )
    is_demo = models.BooleanField(
        _("demo site"),
        default=False,
        help_text=_("Shows a banner on every page saying the people and cases are fictional."),
    )
    site = models.OneToOneField(
        Site, on_delete=models.PROTECT, related_name="country", editable=False
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="country", editable=False
    )
    editors_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="editor_of_country", editable=False
    )
    investigators_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="investigator_of_country", editable=False
    )

    objects = CountryQuerySet.as_manager()
    base_form_class = CountryForm

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code", read_only=True)]),
        FieldRowPanel([FieldPanel("languages"), FieldPanel("timezone")]),
        MultiFieldPanel(
            [FieldPanel("hotline_number"), FieldPanel("hotline_label")],
            heading=_("National hotline"),
        ),
        InlinePanel("agencies", heading=_("Investigating agencies"), label=_("Agency")),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")]),
                FieldPanel("is_demo"),
            ],
            heading=_("Branding"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("poster_paper_size"), FieldPanel("poster_layout")]),
                FieldRowPanel(
                    [FieldPanel("poster_heading_colour"), FieldPanel("poster_second_language")]
                ),
                FieldPanel("poster_fields"),
            ],
            heading=_("Posters"),
            help_text=_(
                "The footer text is set on each language's home page. Preview a case to see "
                "its poster before publishing."
            ),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def site_code(self) -> str:
        """The country's site in public addresses and the snapshot: ``mx``."""
        return self.code.lower()

    @property
    def language_codes(self) -> list[str]:
        return parse_language_codes(self.languages)

    @property
    def default_language(self) -> str:
        return self.language_codes[0]

    def home_pages(self):
        """The country's home page in every language it has."""
        return self.site.root_page.get_translations(inclusive=True).specific()

    def is_staff(self, user) -> bool:
        return Country.objects.for_user(user).filter(pk=self.pk).exists()


class InvestigatingAgency(Orderable):
    country = ParentalKey(Country, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, validators=[phone_validator])

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("phone")])]

    class Meta(Orderable.Meta):
        verbose_name = _("investigating agency")
        verbose_name_plural = _("investigating agencies")

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"


from cms.countries.pages import ContentPage, CountryHomePage, NetworkHomePage  # noqa: E402

__all__ = [
    "ContentPage",
    "Country",
    "CountryHomePage",
    "InvestigatingAgency",
    "NetworkHomePage",
    "PaperSize",
]
