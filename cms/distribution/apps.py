from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "cms.distribution"
    verbose_name = _("Alerts")
    default_auto_field = "django.db.models.BigAutoField"
