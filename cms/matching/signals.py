"""What changes the face gallery or needs matching: case changes, and tips received."""

from django.dispatch import receiver

from cms.cases.signals import case_changed
from cms.tips.signals import tip_received


@receiver(case_changed)
def on_case_changed(sender, case_key, **kwargs):
    from cms.matching.jobs import refresh_case_gallery

    refresh_case_gallery.enqueue(case_key)


@receiver(tip_received)
def on_tip(sender, tip, **kwargs):
    from cms.matching.jobs import match_tip_photo

    for photo_id in tip.photos.values_list("pk", flat=True):
        match_tip_photo.enqueue(photo_id)
