"""Admin wiring of publishing: a dashboard panel listing what the last publish left out.

Each country's staff see their own country's problems; network admins see every country's. The
panel shows only what cms.publishing.problems stored (case numbers, never children's names).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms.cases.models import CasePage
from cms.countries.models import Country
from cms.countries.pages import STATIC_SITE_PREVIEW
from cms.publishing import preview
from cms.publishing.models import PublishProblem
from cms.publishing.problems import NETWORK_WIDE


class PublishProblemsPanel(Component):
    name = "publish_problems"
    template_name = "publishing/problems_panel.html"
    order = 50  # above Wagtail's own panels: a poster that is not updated matters most

    def __init__(self, problems: list[PublishProblem]):
        self.problems = problems

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        user = parent_context["request"].user
        return {
            "rows": self.rows(),
            "several_countries": len({p.country_id for p in self.problems}) > 1
            or user.is_superuser,
            "labels": {
                "heading": _("Not on the public sites"),
                # Some are for the country's staff to fix, some for the technical team: each
                # message says which, and what the public sees meanwhile.
                "intro": _(
                    "The last publish left these out; everything else was published. Each "
                    "message says what the public sees meanwhile and who can fix it; it goes "
                    "away once a publish makes it right."
                ),
                "edit": _("Edit"),
            },
        }

    def rows(self) -> list[tuple[PublishProblem, str | None, bool]]:
        """Each problem, where to fix it, and whether to name its country: a problem of a step
        all countries share (a deploy) is shown once, not once per country."""
        rows, shared = [], set()
        for problem in self.problems:
            if problem.subject in NETWORK_WIDE:
                if problem.subject not in shared:
                    shared.add(problem.subject)
                    rows.append((problem, None, False))
            else:
                rows.append((problem, self.edit_url(problem), True))
        return rows

    @staticmethod
    def edit_url(problem: PublishProblem) -> str | None:
        """Where to fix it: the case's page, or the country's settings."""
        if problem.case_key:
            translations = CasePage.objects.filter(translation_key=problem.case_key)
            language = problem.country.default_language
            case = translations.filter(locale__language_code=language).first()
            case = case or translations.first()
            return reverse("wagtailadmin_pages:edit", args=[case.pk]) if case else None
        if problem.subject in ("logo", "site"):
            return reverse("countries:edit", args=[problem.country_id])
        return None


@hooks.register("construct_homepage_panels")
def add_publish_problems_panel(request, panels) -> None:
    countries = Country.objects.for_user(request.user)
    problems = list(PublishProblem.objects.filter(country__in=countries).select_related("country"))
    if problems:
        panels.append(PublishProblemsPanel(problems))


# Every page of a country site previews as the static site will show it (cms.countries.pages).
hooks.register(STATIC_SITE_PREVIEW, preview.preview_response)
