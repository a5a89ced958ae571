"""A locked sign-in, as the admin names it: django-axes's failed-attempt row under our words."""

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _


class LockedSignIn(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = _("locked sign-in")
        verbose_name_plural = _("locked sign-ins")

    def __str__(self) -> str:
        return f"{self.username} ({self.ip_address})"
