from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "cms.matching"
    label = "matching"
    verbose_name = _("Face matching")

    def ready(self):
        from cms.matching import signals  # noqa: F401  (queues gallery upkeep and tip matching)
