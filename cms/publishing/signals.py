"""What puts a change on the public sites: every trigger of a live publish, in one place."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, Revision
from wagtail.signals import page_published, page_unpublished

from cms.cases.models import CasePage, CaseStatus
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


def queue_for_page(page: Page) -> None:
    country = Country.objects.for_page(page)
    if isinstance(page.specific_deferred, CasePage):
        queue_publish(country, [str(page.translation_key)])
    else:
        queue_publish(country)  # home and content pages feed menus and listings


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    queue_for_page(instance)


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    queue_for_page(instance)


@receiver(pre_delete, sender=CasePage)
def on_case_delete(sender, instance, **kwargs):
    queue_for_page(instance)


@receiver(post_save, sender=Revision)
def on_draft_marks_found(sender, instance, created, **kwargs):
    """A saved draft that marks a live case found or closed takes it down at once."""
    if not created or instance.content_type.model_class() is not CasePage:
        return
    if instance.content.get("status", CaseStatus.MISSING) != CaseStatus.MISSING:
        page = CasePage.objects.filter(pk=instance.object_id, live=True).first()
        if page is not None:
            queue_for_page(page)


@receiver(post_save, sender=Country)
def on_country_settings(sender, instance, created, **kwargs):
    queue_publish(instance)
