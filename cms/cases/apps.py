from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cms.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cms.cases import signals  # noqa: F401  (sends case_changed)
