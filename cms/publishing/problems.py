"""What a publish left out, and why, in words an editor can act on.

The export reports a `Problem` for each thing it could not publish (a case whose photo cannot be
read, a logo, a record that does not fit the public format, a site without its hotline) and
publishes everything else. `record_problems` keeps them per country in `PublishProblem`, where
that country's staff see them on the admin dashboard, and clears each one once the same thing
publishes without it.

A problem must never carry a child's name or anything else private: it names a case by its case
number, an image by its place in the case, a format problem by its field names (a schema's own
message may quote the field's value). Messages are stored as a kind and parameters and put into
words when shown, in the reader's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

if TYPE_CHECKING:
    from cms.countries.models import Country

# Subjects: what publishing again clears a problem of (see Problem.subject).
SITE = "site"
LOGO = "logo"
OUTPUT = "output:"  # + the output's path: a poster or share image the build could not make
DEPLOY = "deploy"  # the last deploy to the CDN (HOMEWARD_DEPLOY_TARGET) failed
SEARCH = "search"  # the last update of the hosted search (HOMEWARD_SEARCH_ALGOLIA_*) failed
BUILD = "build"  # the last build could not make the country's site from its snapshot
# The kinds of a BUILD problem where the site was made for its takedowns all the same: its
# changed cases held back, or (nothing to hold them back to) its refused records left out.
BUILD_HELD = "build-held"
BUILD_LEFT_OUT = "build-left-out"
# Steps every country shares: one problem, recorded for each country (each one's staff see it).
NETWORK_WIDE = (DEPLOY, SEARCH)


def case_subject(key: str) -> str:
    return f"case:{key}"


def page_subject(key: str) -> str:
    return f"page:{key}"


# What each kind of problem says. The second sentence tells what the public sees meanwhile.
MESSAGES = {
    "photo": gettext_noop(
        "Photo %(position)s of case %(case)s cannot be read: %(reason)s. Until it is replaced, "
        "the public site shows the case as it was last published (or not at all, if it never "
        "was)."
    ),
    "companion": gettext_noop(
        "The photo of companion %(position)s of case %(case)s cannot be read: %(reason)s. Until "
        "it is replaced, the public site shows the case as it was last published (or not at "
        "all, if it never was)."
    ),
    "image": gettext_noop(
        "An image of case %(case)s cannot be read: %(reason)s. Until it is replaced, the public "
        "site shows the case as it was last published (or not at all, if it never was)."
    ),
    "logo": gettext_noop(
        "The country's logo cannot be read: %(reason)s. The site is published without a logo "
        "until it is replaced."
    ),
    "case_format": gettext_noop(
        "Case %(case)s does not fit the public format (fields: %(fields)s). Until they are "
        "corrected, the public site shows the case as it was last published (or not at all, if "
        "it never was)."
    ),
    "page_format": gettext_noop(
        "The page “%(title)s” does not fit the public format (fields: %(fields)s). Until they "
        "are corrected, the public site shows the page as it was last published (or not at "
        "all, if it never was)."
    ),
    "page_slug": gettext_noop(
        "The page “%(title)s” is not on the public site: its address “%(slug)s” is already "
        "used there, by the site itself or by another page. Give the page another slug (in "
        "its Promote tab) and publish it again."
    ),
    "site_format": gettext_noop(
        "The site's settings in %(language)s do not fit the public format (fields: %(fields)s). "
        "Until they are corrected, the public site keeps the settings last published."
    ),
    "case_error": gettext_noop(
        "Case %(case)s could not be published because of an unexpected error; the public site "
        "shows it as it was last published (or not at all, if it never was). The technical "
        "team will find the details in the publishing log."
    ),
    "withdraw_error": gettext_noop(
        "Case %(case)s could not be taken down from the public site because of an unexpected "
        "error. Tell the technical team at once: the details are in the publishing log."
    ),
    "output": gettext_noop(
        "The file %(path)s (a printable poster or share image) could not be made; the rest of "
        "the site is published. The technical team will find why in the publishing log."
    ),
    "deploy": gettext_noop(
        "The public sites could not be brought up to date on the CDN: the latest changes, "
        "takedowns included, may still be missing there. It is tried again within minutes "
        "and at every publish; tell the technical team if this stays: the details are in the "
        "publishing log."
    ),
    "search": gettext_noop(
        "The hosted search (Algolia) could not be brought up to date: it may still find "
        "cases taken down, found children included, and miss the latest changes. It is tried "
        "again within minutes and at every publish; tell the technical team if this stays: the "
        "details are in the publishing log."
    ),
    "build": gettext_noop(
        "The public site could not be built from what was last published: a record of this "
        "country does not fit with the others. Until it is fixed, the public site stays as it "
        "was, takedowns in this country included; the other countries are published. Tell "
        "the technical team at once: the details are in the publishing log."
    ),
    "build-held": gettext_noop(
        "The public site could not be built from what was last published: a record of this "
        "country does not fit with the others. Its takedowns are published; until the record "
        "is fixed, new cases and changes to cases wait, and the other countries are published. "
        "Tell the technical team at once: the details are in the publishing log."
    ),
    "build-left-out": gettext_noop(
        "The public site could not be built from what was last published: a record of this "
        "country does not fit with the others, and the publishing system, just updated, cannot "
        "keep its last published version. Its takedowns and its other cases are published; "
        "until the record is fixed, the case it belongs to is missing from the public site in "
        "that language, and alerts for new cases wait. Tell the technical team at once: the "
        "details are in the publishing log."
    ),
    "hotline": gettext_noop(
        "The site is not published until its national hotline is set in Country settings. "
        "Found children are taken down all the same."
    ),
}

# Steps of a country's setup still to do, not failures: the publish task succeeds all the same
# (no traceback in the worker's log) and the dashboard and Countries list say what to do.
SETUP_STEPS = {"hotline"}

REASONS = {
    "missing": gettext_noop("the file is missing"),
    "damaged": gettext_noop("the file is damaged or is not an image"),
    "too_large": gettext_noop("the image has too many pixels"),
    "unavailable": gettext_noop("the file could not be read from storage"),
}


def describe(kind: str, params: dict[str, Any]) -> str:
    """A problem in words, in the active language."""
    values = dict(params)
    if "reason" in values:
        values["reason"] = gettext(REASONS[values["reason"]])
    if "fields" in values:
        values["fields"] = ", ".join(values["fields"])
    return gettext(MESSAGES[kind]) % values


@dataclass(frozen=True)
class Problem:
    """One thing a publish left out. `subject` is what publishing it again clears the problem
    of: `case:<translation key>`, `page:<translation key>`, `logo`, `site` or (made by the
    build) `output:<path>`."""

    country_id: int
    country: str  # its name and code, for logs and the command line
    subject: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return describe(self.kind, self.params)

    def __str__(self) -> str:
        """For logs and the command line: in the CMS's default language, whatever language
        the process happens to have active."""
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.country}: {self.message()}"


@dataclass
class Attempt:
    """What an export tried to publish for one country: everything (`subjects` None), or the
    site, its logo and some cases (a live publish)."""

    subjects: set[str] | None
    problems: list[Problem] = field(default_factory=list)


def record_problems(attempts: dict[int, Attempt]) -> None:
    """Keep each country's problems from this export, and clear those of what it published.

    A problem seen again keeps the time it was first noticed."""
    from cms.publishing.models import PublishProblem

    with transaction.atomic():
        for country_id, attempt in attempts.items():
            earlier = PublishProblem.objects.filter(country_id=country_id)
            if attempt.subjects is None:  # all the export's own: not what the build left out
                # or could not build, nor the deploy's or the search's, which only they clear
                earlier = earlier.exclude(subject__startswith=OUTPUT)
                earlier = earlier.exclude(subject__in=(DEPLOY, SEARCH, BUILD))
            else:
                earlier = earlier.filter(subject__in=attempt.subjects)
            known = {(p.subject, p.kind, _frozen(p.params)): p.pk for p in earlier}
            for problem in attempt.problems:
                if known.pop((problem.subject, problem.kind, _frozen(problem.params)), None):
                    continue  # seen before: kept as it was
                PublishProblem.objects.create(
                    country_id=country_id,
                    subject=problem.subject,
                    kind=problem.kind,
                    params=problem.params,
                )
            PublishProblem.objects.filter(pk__in=known.values()).delete()  # fixed since


def record_left_out(paths: list[str]) -> None:
    """Keep, per country, the outputs a whole build could not make (a poster whose font or
    image is missing), in place of those of the build before."""
    from cms.countries.models import Country
    from cms.publishing.models import PublishProblem

    countries = {country.code.lower(): country for country in Country.objects.all()}
    earlier = PublishProblem.objects.filter(subject__startswith=OUTPUT)
    earlier = earlier.values_list("country_id", "subject")
    attempts = {country.pk: Attempt(set()) for country in countries.values()}
    for country_id, subject in earlier:
        attempts[country_id].subjects.add(subject)
    for path in paths:
        country = countries.get(path.split("/", 1)[0])
        if country is None:
            continue
        attempt, subject = attempts[country.pk], f"{OUTPUT}{path}"
        attempt.subjects.add(subject)
        attempt.problems.append(
            Problem(country.pk, str(country), subject, "output", {"path": path})
        )
    record_problems(attempts)


def record_deploy(failed: bool) -> None:
    """Shown to every country's staff while the CDN lags behind the sites (a deploy failed),
    cleared by the next deploy that succeeds: the CDN serves every country."""
    _record_everywhere(DEPLOY, failed)


def record_search(failed: bool) -> None:
    """Shown to every country's staff while the hosted search lags behind the sites, cleared
    by the next update that succeeds: one Algolia application holds every country's cases."""
    _record_everywhere(SEARCH, failed)


def record_unbuilt(
    sites: set[str], held: Collection[str] = (), left_out: Collection[str] = ()
) -> None:
    """Shown to the staff of each country whose site the last build could not make (by site
    code), cleared by the next build that makes it. ``held``: those of them whose takedowns
    were published all the same (built holding back their changed cases, or for those also in
    ``left_out``, without their refused records), as their message says."""

    def kind(country: Country) -> str:
        code = country.code.lower()
        return BUILD_LEFT_OUT if code in left_out else BUILD_HELD if code in held else BUILD

    _record_for(BUILD, (lambda country: country.code.lower() in sites) if sites else None, kind)


def _record_everywhere(subject: str, failed: bool) -> None:
    """A problem of a step all countries share (its kind is its subject), on every country's
    dashboard or on none."""
    _record_for(subject, (lambda country: True) if failed else None)


def _record_for(
    subject: str,
    failed: Callable[[Country], bool] | None,
    kind_for: Callable[[Country], str] | None = None,
) -> None:
    """A problem of a step (its kind is its subject, or what ``kind_for`` says) on the
    dashboard of each country for which it ``failed``, and on no other (on none: ``failed``
    None)."""
    from cms.countries.models import Country
    from cms.publishing.models import PublishProblem

    if failed is None and not PublishProblem.objects.filter(subject=subject).exists():
        return  # the usual case, after every publish: one query
    attempts = {}
    for country in Country.objects.all():
        attempt = attempts[country.pk] = Attempt({subject})
        if failed is not None and failed(country):
            kind = kind_for(country) if kind_for else subject
            attempt.problems.append(Problem(country.pk, str(country), subject, kind))
    record_problems(attempts)


def _frozen(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True)
