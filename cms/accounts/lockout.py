"""What a person sees when django-axes refuses a sign-in: the sign-in page's look, a plain
reason in their language, and who can help. Nothing says whether the account exists."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def locked_out_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    labels = {
        "title": _("Sign-in locked"),
        "reason": ngettext(
            "Too many wrong passwords were tried for this account from your connection. "
            "Try again in %(minutes)s minute, or ask a network administrator to unlock it.",
            "Too many wrong passwords were tried for this account from your connection. "
            "Try again in %(minutes)s minutes, or ask a network administrator to unlock it.",
            minutes,
        )
        % {"minutes": minutes},
        "back": _("Back to sign in"),
    }
    return render(request, "accounts/locked_out.html", {"labels": labels}, status=429)
