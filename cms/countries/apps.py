from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "cms.countries"
    label = "countries"
    verbose_name = _("Countries")

    def ready(self):
        from cms.countries.scope import scope_page_listing_filters

        scope_page_listing_filters()
