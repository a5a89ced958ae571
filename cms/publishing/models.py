"""What the public sites are missing, per country, until an editor fixes it.

Shown on the admin dashboard to the country's own staff (and to network admins): it must hold
nothing those readers may not see (see cms.publishing.problems, which writes it).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.countries.models import Country
from cms.publishing.problems import describe


class PublishProblem(models.Model):
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        related_name="publish_problems",
    )
    # What publishing again clears it of: "case:<translation key>", "page:<…>", "logo", "site".
    subject = models.CharField(max_length=80)
    # The message, kept as its kind and parameters so each reader gets it in their language.
    kind = models.CharField(max_length=20)
    params = models.JSONField(default=dict)
    noticed_at = models.DateTimeField(_("noticed"), default=timezone.now)

    class Meta:
        verbose_name = _("publishing problem")
        verbose_name_plural = _("publishing problems")
        ordering = ["country__name", "noticed_at", "pk"]
        indexes = [models.Index(fields=["country", "subject"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return describe(self.kind, self.params)

    @property
    def case_key(self) -> str | None:
        return self.subject.removeprefix("case:") if self.subject.startswith("case:") else None
