"""A missing child's case: the page that becomes the public poster, and its private file.

A CasePage carries two kinds of field. The poster fields are what the public sees once the case
is published. The private fields (investigator notes, family contacts, medical details, home
address, where each photo came from) are only for the country's investigators: they sit on a
permission-guarded tab, are never sent to translators (synchronised, not translated), and the
export to the public sites never copies them (it copies a whitelist, see the publishing app).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.cases.forms import CasePageForm, dates_out_of_range
from cms.countries.models import PRIVATE_PERMISSION, phone_validator, validate_timezone
from cms.countries.pages import StaticSitePage
from sitegen import urls


class CaseType(models.TextChoices):
    FAMILY_ABDUCTION = "family_abduction", _("Family abduction")
    NON_FAMILY_ABDUCTION = "non_family_abduction", _("Non-family abduction")
    ENDANGERED_RUNAWAY = "endangered_runaway", _("Endangered runaway")
    LOST_INJURED = "lost_injured", _("Lost, injured or otherwise missing")
    # Translators: a case type and a sex both use this word; one translation serves both.
    UNKNOWN = "unknown", _("Unknown")


class CaseStatus(models.TextChoices):
    # Translators: status of a case: the child has not been found yet.
    MISSING = "missing", _("Missing")
    FOUND = "found", _("Found")
    CLOSED = "closed", _("Closed")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class LengthUnit(models.TextChoices):
    CM = "cm", _("cm")
    # Translators: the symbol of the inch, a unit of length (not the preposition).
    IN = "in", _("in")


class WeightUnit(models.TextChoices):
    KG = "kg", _("kg")
    # Translators: the symbol of the pound, a unit of weight.
    LB = "lb", _("lb")


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years between a birth date and a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class CaseIndexPage(StaticSitePage, Page):
    """The list of a country's cases, in one language."""

    parent_page_types = ["countries.CountryHomePage"]
    subpage_types = ["cases.CasePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("case index page")

    def public_path(self, site: str, language: str) -> str:
        return urls.cases_path(site, language)


class CasePageQuerySet(PageQuerySet):
    def listed(self) -> CasePageQuerySet:
        """The cases the public sees: THE rule of what is public, for the export, the face
        gallery, previews and lists alike (``CasePage.is_listed`` is the same rule for one case
        in memory). Published, missing, and no newer draft marks the child found or closed:
        the takedown does not wait for anyone to publish."""
        return self.filter(live=True, status=CaseStatus.MISSING).exclude(
            has_unpublished_changes=True,
            latest_revision__content__status__in=[
                status for status in CaseStatus.values if status != CaseStatus.MISSING
            ],
        )


class CasePageManager(PageManager.from_queryset(CasePageQuerySet)):  # type: ignore[misc]
    pass


class CasePage(StaticSitePage, Page):
    preview_modes = [
        ("", _("Case page")),
        ("poster", _("Printable poster (PDF)")),
        ("share", _("Share image")),
    ]
    case_number = models.CharField(
        _("case number"),
        max_length=40,
        help_text=_("The investigating agency's reference, shown on the poster."),
    )
    case_type = models.CharField(
        _("case type"), max_length=30, choices=CaseType.choices, default=CaseType.UNKNOWN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.MISSING
    )

    given_name = models.CharField(_("given name(s)"), max_length=120)
    family_name = models.CharField(_("family name(s)"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(25)],
        help_text=_("Only when the date of birth is unknown: age in years when missing."),
    )
    age_when_missing = models.PositiveSmallIntegerField(
        _("age when missing"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(25)],
        help_text=_("Worked out from the date of birth when left blank."),
    )

    height_value = models.DecimalField(
        _("height"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(250)],
    )
    height_unit = models.CharField(
        _("height unit"), max_length=2, choices=LengthUnit.choices, default=LengthUnit.CM
    )
    weight_value = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
    )
    weight_unit = models.CharField(
        _("weight unit"), max_length=2, choices=WeightUnit.choices, default=WeightUnit.KG
    )
    eye_colour = models.CharField(_("eye colour"), max_length=60, blank=True)
    hair_colour = models.CharField(_("hair colour"), max_length=60, blank=True)
    distinguishing_marks = models.TextField(_("distinguishing marks"), blank=True, max_length=4000)
    clothing = models.TextField(_("clothing when last seen"), blank=True, max_length=4000)

    missing_since = models.DateTimeField(
        _("missing since"), help_text=_("Local time where the child went missing.")
    )
    missing_since_timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("The time zone of the place the child went missing, e.g. Europe/Kyiv."),
    )
    last_seen_place = models.CharField(
        _("last seen at"),
        max_length=255,
        help_text=_("A public description, such as a park or a street corner: never a home."),
    )
    last_seen_region = models.CharField(
        _("region"), max_length=120, help_text=_("State, province or oblast.")
    )
    last_seen_latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_(
            "Where the child was last seen; alerts go to people near it. Leave both empty when "
            "only the place's name is known: the case is then listed by region."
        ),
    )
    last_seen_longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    circumstances = models.TextField(_("circumstances"), blank=True, max_length=4000)

    agency_name = models.CharField(_("investigating agency"), max_length=200)
    agency_phone = models.CharField(_("agency phone"), max_length=40, validators=[phone_validator])

    # Private: investigators only, never exported, never translated.
    investigator_notes = models.TextField(_("investigator notes"), blank=True)
    family_contacts = models.TextField(_("family contacts"), blank=True)
    medical_details = models.TextField(_("medical details"), blank=True)
    home_address = models.TextField(_("home address"), blank=True)
    photo_sources = models.TextField(
        _("where the photos came from"),
        blank=True,
        help_text=_("One line per photo: who gave it, when, and any conditions on its use."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("case_number"),
        index.AutocompleteField("case_number"),
        index.SearchField("given_name"),
        index.SearchField("family_name"),
        index.SearchField("last_seen_place"),
        index.FilterField("status"),
    ]

    base_form_class = CasePageForm
    parent_page_types = ["cases.CaseIndexPage"]

    objects = CasePageManager()
    subpage_types: list[str] = []

    private_field_names = (
        "investigator_notes",
        "family_contacts",
        "medical_details",
        "home_address",
        "photo_sources",
    )
    # Private fields are copied to translations but never shown in the translation editor
    # (not overridable), so translators and editors do not see them there either.
    override_translatable_fields = [
        SynchronizedField(name, overridable=False) for name in private_field_names
    ] + [
        SynchronizedField(name)
        for name in (
            "slug",  # the case number's, in every language; never a translator's segment
            "case_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "missing_since",
            "missing_since_timezone",
            "last_seen_latitude",
            "last_seen_longitude",
            "agency_phone",
        )
    ]

    content_panels = [
        FieldRowPanel([FieldPanel("case_number"), FieldPanel("case_type"), FieldPanel("status")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("given_name"), FieldPanel("family_name")]),
                FieldRowPanel([FieldPanel("sex"), FieldPanel("date_of_birth")]),
                FieldRowPanel([FieldPanel("estimated_age"), FieldPanel("age_when_missing")]),
            ],
            heading=_("Child"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("height_value"), FieldPanel("height_unit")]),
                FieldRowPanel([FieldPanel("weight_value"), FieldPanel("weight_unit")]),
                FieldRowPanel([FieldPanel("eye_colour"), FieldPanel("hair_colour")]),
                FieldPanel("distinguishing_marks"),
                FieldPanel("clothing"),
            ],
            heading=_("Description"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("missing_since"), FieldPanel("missing_since_timezone")]),
                FieldPanel("last_seen_place"),
                FieldRowPanel(
                    [
                        FieldPanel("last_seen_region"),
                        FieldPanel("last_seen_latitude"),
                        FieldPanel("last_seen_longitude"),
                    ]
                ),
                FieldPanel("circumstances"),
            ],
            heading=_("Disappearance"),
        ),
        InlinePanel("photos", heading=_("Photos"), label=_("Photo"), min_num=0, max_num=10),
        InlinePanel("companions", heading=_("Companions"), label=_("Companion"), max_num=6),
        FieldRowPanel(
            [FieldPanel("agency_name"), FieldPanel("agency_phone")],
            heading=_("Investigating agency"),
        ),
        FieldPanel("alert_update"),  # a field of CasePageForm only: see cms.distribution
    ]
    private_panels = [
        FieldPanel(name, permission=PRIVATE_PERMISSION) for name in private_field_names
    ]
    # Shown, never editable: the address is made from the case number (_derive_title_and_slug).
    promote_panels = [
        FieldPanel(
            "slug",
            read_only=True,
            heading=_("Web address"),
            help_text=_("Made from the case number, so that it never carries the child's name."),
        )
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Poster")),
            ObjectList(
                private_panels,
                heading=_("Private — investigators only"),
                permission=PRIVATE_PERMISSION,
            ),
            # Translators: tab holding the page's web address (URL), not a postal address.
            ObjectList(promote_panels, heading=_("Address")),
        ]
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [(PRIVATE_PERMISSION.split(".")[1], "Can see and edit private case fields")]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def is_active(self) -> bool:
        return self.status == CaseStatus.MISSING

    @property
    def is_off_the_public_sites(self) -> bool:
        """Published in the CMS, but found or closed: taken down from every public site."""
        return self.live and self.status != CaseStatus.MISSING

    @property
    def status_string(self) -> str:
        # What Wagtail's admin shows as the page's status: never "live" for a child whom the
        # public sites no longer show.
        if self.is_off_the_public_sites:
            return self.get_status_display().lower()
        return super().status_string

    def get_url(self, request=None, current_site=None):
        # No address while found or closed: Wagtail then offers no "View live" anywhere (the
        # poster is gone from the public sites, its address answers "not found").
        if self.is_off_the_public_sites:
            return None
        return super().get_url(request=request, current_site=current_site)

    url = property(get_url)

    def public_path(self, site: str, language: str) -> str:
        return urls.case_path(site, language, self.slug)

    def is_listed(self) -> bool:
        """Shown to the public and searched for: ``CasePage.objects.listed()``'s rule for one
        case in memory (published, missing, and no newer draft marks the child found or
        closed)."""
        if not self.live or self.status != CaseStatus.MISSING:
            return False
        if self.has_unpublished_changes:
            return self.get_latest_revision_as_object().status == CaseStatus.MISSING
        return True

    def is_found_or_closed(self) -> bool:
        """The child was found or the case closed: in the published page or a newer draft."""
        if self.status != CaseStatus.MISSING:
            return True
        if self.has_unpublished_changes:
            return self.get_latest_revision_as_object().status != CaseStatus.MISSING
        return False

    def age_now(self, today: dt.date | None = None) -> int | None:
        today = today or timezone.now().date()
        if self.date_of_birth:
            return age_on(self.date_of_birth, today)
        if self.estimated_age is not None and self.missing_since:
            return self.estimated_age + age_on(self.missing_since.date(), today)
        return None

    def _derive_title_and_slug(self) -> None:
        # The page title is the child's name and the address is always the case number, so that
        # no link, notice page or tombstone ever carries the name: nobody can set the slug (not
        # an editor, a translator, a copied page or an old revision published again).
        if self.given_name:
            self.title = self.full_name
        if self.case_number:
            self.slug = slugify(self.case_number)

    def full_clean(self, *args, **kwargs):
        self._derive_title_and_slug()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self, *args, **kwargs):  # drafts
        self._derive_title_and_slug()
        super().minimal_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        # Also for saves without validation (clean=False), e.g. publishing a revision.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "slug" in update_fields:
            self._derive_title_and_slug()
        return super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = dates_out_of_range(
            missing_since=self.missing_since, date_of_birth=self.date_of_birth
        )
        if errors:
            raise ValidationError(errors)  # the checks below would compute with them
        now = timezone.now()
        if self.missing_since and self.missing_since > now:
            errors.setdefault("missing_since", []).append(
                _("The missing-since date cannot be in the future.")
            )
        if self.date_of_birth:
            if self.date_of_birth > now.date():
                errors.setdefault("date_of_birth", []).append(
                    _("The date of birth cannot be in the future.")
                )
            elif self.missing_since and self.date_of_birth > self.missing_date():
                errors.setdefault("date_of_birth", []).append(
                    _("The date of birth is after the date the child went missing.")
                )
            elif self.missing_since:
                computed = age_on(self.date_of_birth, self.missing_date())
                if self.age_when_missing is None:
                    self.age_when_missing = computed
                elif abs(self.age_when_missing - computed) > 0:
                    errors.setdefault("age_when_missing", []).append(
                        _("The date of birth gives an age of %(age)s when missing.")
                        % {"age": computed}
                    )
        elif self.estimated_age is None and self.age_when_missing is None:
            errors.setdefault("date_of_birth", []).append(
                _("Give the date of birth or, when it is unknown, an estimated age.")
            )
        elif self.age_when_missing is None:
            self.age_when_missing = self.estimated_age
        self._check_coordinates(errors)
        if errors:
            raise ValidationError(errors)

    def _check_coordinates(self, errors: dict[str, list]) -> None:
        """Both coordinates or neither (a place known by name only is listed by region)."""
        if (self.last_seen_latitude is None) != (self.last_seen_longitude is None):
            missing = (
                "last_seen_longitude" if self.last_seen_longitude is None else "last_seen_latitude"
            )
            errors.setdefault(missing, []).append(
                _("Give both the latitude and the longitude, or neither.")
            )

    def missing_date(self) -> dt.date:
        """The local calendar date the child went missing, in the case's own time zone."""
        try:
            tz = zoneinfo.ZoneInfo(self.missing_since_timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = dt.UTC
        return self.missing_since.astimezone(tz).date()


class CasePhoto(Orderable):
    """A photo of the child. Where it came from is private: see CasePage.photo_sources."""

    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.PROTECT, related_name="+"
    )
    date_taken = models.DateField(_("date taken"), null=True, blank=True)
    age_progressed_to = models.PositiveSmallIntegerField(
        _("age-progressed to (years)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(40)],
        help_text=_("Fill in only for an artist's or software age progression."),
    )

    panels = [
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("date_taken"), FieldPanel("age_progressed_to")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")

    def clean(self) -> None:
        super().clean()
        if self.date_taken and self.date_taken > timezone.now().date():
            raise ValidationError({"date_taken": _("The date taken cannot be in the future.")})


class Companion(TranslatableMixin, Orderable):
    """Someone believed to be with the child: often the abducting parent."""

    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="companions")
    name = models.CharField(pgettext_lazy("a person's name", "name"), max_length=200)
    relationship = models.CharField(_("relationship to the child"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    vehicle_make = models.CharField(_("vehicle make"), max_length=60, blank=True)
    vehicle_model = models.CharField(_("vehicle model"), max_length=60, blank=True)
    vehicle_colour = models.CharField(_("vehicle colour"), max_length=60, blank=True)
    vehicle_plate = models.CharField(_("licence plate"), max_length=20, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("relationship")]),
        FieldPanel("description"),
        FieldPanel("photo"),
        FieldRowPanel(
            [
                FieldPanel("vehicle_make"),
                FieldPanel("vehicle_model"),
                FieldPanel("vehicle_colour"),
                FieldPanel("vehicle_plate"),
            ],
            heading=_("Vehicle"),
        ),
    ]
    override_translatable_fields = [
        SynchronizedField("name"),
        SynchronizedField("photo"),
        SynchronizedField("vehicle_plate"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("companion")

    @property
    def has_vehicle(self) -> bool:
        return any((self.vehicle_make, self.vehicle_model, self.vehicle_colour, self.vehicle_plate))
