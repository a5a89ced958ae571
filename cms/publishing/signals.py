"""What puts a change on the public sites: every trigger of a live publish, in one place."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.cases.models import CasePage
from cms.cases.signals import case_changed
from cms.countries.models import Country

_state = threading.local()


@contextmanager
def live_publishing_paused():
    """For bulk loads: the caller publishes everything once at the end instead."""
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False


def queue_publish(country: Country | None, case_keys: list[str] | None = None) -> None:
    if country is None or getattr(_state, "paused", False):
        return
    if not settings.HOMEWARD_LIVE_PUBLISHING:
        return
    from cms.publishing.tasks import publish_site

    code = country.code
    transaction.on_commit(lambda: publish_site.enqueue(code, case_keys))


@receiver(case_changed)
def on_case_changed(sender, case_key, page, **kwargs):
    queue_publish(Country.objects.for_page(page), [case_key])


@receiver(page_published)
@receiver(page_unpublished)
def on_other_page(sender, instance, **kwargs):
    # Home and content pages feed menus and listings: the country's whole site.
    if not isinstance(instance.specific_deferred, CasePage):
        queue_publish(Country.objects.for_page(instance))


@receiver(post_save, sender=Country)
def on_country_settings(sender, instance, created, **kwargs):
    queue_publish(instance)
