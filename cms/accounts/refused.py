"""The page of a request the CMS refuses (HTTP 403), in the language of the request.

Django's own is two English words ("403 Forbidden"). An editor who opens an address of another
country's page, image or document (refused by ``cms.countries.scope``) reads instead, in the
language of their account (``cms.accounts.middleware``), what happened and the way back. It
names nothing of what was asked for: another country's ids are refused alike, existing or not.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    labels = {
        "title": _("You may not open this page"),
        "why": _(
            "It belongs to a country you do not work for, or your account does not allow it. "
            "If you need it, ask your network's administrators."
        ),
        "back": _("Back to your dashboard"),
    }
    return render(request, "accounts/refused.html", {"labels": labels}, status=403)
