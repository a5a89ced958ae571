"""The admin in the language of the user's account for the whole request, not only its views.

Wagtail switches to the language chosen in a user's account inside each admin view
(``wagtail.admin.localization.get_localized_response``). What happens around the view was in the
browser's language: when a view refuses (``PermissionDenied``), Wagtail's ``require_admin_access``
writes its message outside that switch, so a Ukrainian investigator who opened another country's
lead read "Sorry, you do not have permission to access this area." among Ukrainian words; and
the page of a refusal by ``cms.countries.scope`` (``cms.accounts.refused``) is made outside every
view. This middleware runs every request to the admin by a signed-in user in that user's
language; elsewhere (the public forms, the sign-in page) Django's ``LocaleMiddleware`` decides as
before.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation


class AdminLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_root = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.chosen_language(request)
        if not language:
            return self.get_response(request)
        with translation.override(language):
            response = self.get_response(request)
        # LocaleMiddleware, outside, would name the browser's language (it sets it by default).
        response.headers.setdefault("Content-Language", language)
        return response

    def chosen_language(self, request: HttpRequest) -> str | None:
        if not self.admin_root:  # the URLconf is loaded by the first request
            self.admin_root = reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.admin_root):
            return None  # before the user: a public request loads no session for this
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not hasattr(user, "wagtail_userprofile"):  # as Wagtail: no account settings yet
            return None
        language: str | None = user.wagtail_userprofile.get_preferred_language()
        return language
