"""`case_changed(case_key)`: something public about a case may have changed.

Sent after the transaction commits when a case is published, unpublished or deleted, and when
a draft marks a live case found or closed — a takedown must not wait for anyone to press
Publish. The publishing app rebuilds the case's public copies on it, the matching app its
gallery faces; both decide for themselves what the case's state means (CasePage.is_listed).
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import Signal, receiver
from wagtail.models import Revision
from wagtail.signals import page_published, page_unpublished

from cms.cases.models import CasePage, CaseStatus

case_changed = Signal()  # arguments: case_key (str), page (the CasePage that changed)
_state = threading.local()


@contextmanager
def case_changes_paused():
    """For bulk loads, which then catch up on every case themselves."""
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False


def announce(page: CasePage) -> None:
    if getattr(_state, "paused", False):
        return
    key = str(page.translation_key)
    transaction.on_commit(lambda: case_changed.send(sender=CasePage, case_key=key, page=page))


@receiver(page_published)
@receiver(page_unpublished)
def on_publish_or_unpublish(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, CasePage):
        announce(instance)


@receiver(pre_delete, sender=CasePage)
def on_delete(sender, instance, **kwargs):
    announce(instance)


@receiver(post_save, sender=Revision)
def on_draft_marks_found(sender, instance, created, **kwargs):
    if not created or instance.content_type.model_class() is not CasePage:
        return
    if instance.content.get("status", CaseStatus.MISSING) != CaseStatus.MISSING:
        page = CasePage.objects.filter(pk=instance.object_id, live=True).first()
        if page is not None:
            announce(page)
