"""Emails to a country's staff about alerts (an organisation's webhook disabled), each in the
language they chose for the admin, else the country's first."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.accounts.notify import staff_by_language


def webhook_disabled(subscriber, problem: str) -> None:
    country = subscriber.country
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "alert-organisations:edit", args=[subscriber.pk]
    )
    for language, recipients in staff_by_language(country.editors_group, country).items():
        with translation.override(language):
            subject = _("[Homeward] Alerts to %(name)s stopped") % {"name": subscriber.name}
            message = _(
                "The webhook of %(name)s failed for a day and is now disabled: "
                "it gets no more alerts until it is enabled again.\n\n"
                "Last error: %(problem)s\n\n%(link)s\n"
            ) % {"name": subscriber.name, "problem": problem, "link": link}
        send_mail(subject, message, from_email=None, recipient_list=recipients)
