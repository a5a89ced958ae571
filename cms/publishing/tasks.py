"""Live publishing: export what changed and rebuild the static site, as a background task.

Queued by cms.publishing.signals whenever a page is published or unpublished, a case is
marked found or closed, or a country's settings change; run on the ``publishing`` queue by
``manage.py publishing_worker`` (which ``serve`` starts).

The build always runs, even after an export that stopped on something unexpected: the export
writes takedowns first, and no failure after them may keep a found child on the site. What was
left out is shown to each country's staff (cms.publishing.problems) and fails the task, except
a step of a country's setup still to do (its hotline): that is logged in one line and shown.
Each build is then deployed to the CDN, where one is set; the alerts are queued, whether or not
the deploy succeeded; then the hosted search, where one is set, is sent what changed (after the
alerts: a slow Algolia never delays an alert or a retraction). A deploy or search update that
failed is tried again by the queue itself until one succeeds (``catch_up``), so that a takedown
reaches the CDN and the search even if no one publishes after it. A record the generator
refuses stops only its own country's site (``build_output``).
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Collection
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from cms.publishing.export import ExportError, export_snapshot
from cms.publishing.problems import (
    BUILD_HELD,
    BUILD_LEFT_OUT,
    DEPLOY,
    SEARCH,
    SETUP_STEPS,
    record_deploy,
    record_left_out,
    record_search,
    record_unbuilt,
)
from sitegen.build import BuildReport, build, sites_at_fault
from sitegen.errors import BuildRequestError, SitegenError, SnapshotError
from sitegen.snapshot import listed_sites

if TYPE_CHECKING:
    from sitegen.search.algolia import AlgoliaConfig

logger = logging.getLogger(__name__)


@contextmanager
def output_lock(output_dir: Path):
    """One export-and-build at a time per output, however many workers run."""
    output_dir.mkdir(parents=True, exist_ok=True)
    with open(output_dir.parent / f".{output_dir.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def export_and_build(site: str | None = None, case_keys: list[str] | None = None) -> dict:
    try:
        return _export_and_build(site, case_keys)
    finally:
        try:
            catch_up_later()  # where the CDN or the hosted search was left behind
        except Exception:  # never in place of the publish's own error
            logger.exception("could not queue the catch-up")


def _export_and_build(site: str | None, case_keys: list[str] | None) -> dict:
    content, output = settings.HOMEWARD_CONTENT_DIR, settings.HOMEWARD_OUTPUT_DIR
    # The country's code ("MX", as the CMS queues it) as its site's ("mx"): the build, the
    # alerts and the hosted search know a site by that one.
    site = site.lower() if site else None
    with output_lock(output):
        try:
            exported = export_snapshot(content, site=site, case_keys=case_keys)
        except Exception:
            build_what_was_exported(content, output)
            raise
        built, unbuilt = build_output(content, output, site)
        not_built, held = (unbuilt.sites, unbuilt.held) if unbuilt else (set(), set())
        try:
            deploy_output(output)
        except SitegenError as problem:
            deploy_failed = problem
        else:
            deploy_failed = None
        alert_subscribers(site, not_built, held)  # a retraction never waits for the search
        try:
            update_search(content, output, site, not_built, held)
        except Exception as problem:  # noqa: BLE001 - logged and shown on the dashboards
            search_failed = problem
        else:
            search_failed = None
    for warning in built.warnings:
        logger.warning("build: %s", warning)
    if unbuilt:
        raise unbuilt.error
    record_left_out(built.left_out)
    if deploy_failed:
        raise deploy_failed
    if search_failed:
        raise search_failed
    waiting = [str(p) for p in exported.problems if p.kind in SETUP_STEPS]
    failed = [p for p in exported.problems if p.kind not in SETUP_STEPS]
    if failed:
        # The build above already published everything else; fail loudly for the rest.
        raise ExportError("\n".join(map(str, exported.problems)))
    return {
        "waiting": waiting,
        "exported": len(exported.written),
        "deleted": len(exported.deleted),
        "withdrawn": exported.tombstoned,
        "written": len(built.written),
        "removed": len(built.deleted),
    }


@dataclass
class Unbuilt:
    """Sites a build could not make (by code), and why."""

    error: SnapshotError
    sites: set[str]
    # Those of them built all the same for their takedowns (their changed cases held back, or
    # their refused records left out).
    held: set[str] = field(default_factory=set)


def build_output(
    content: Path, output: Path, site: str | None = None
) -> tuple[BuildReport, Unbuilt | None]:
    """Build the whole output: only a whole build knows which shared files (media, the root
    index) nothing refers to any more, and a takedown must remove them.

    A record that passed the export's checks but that the generator refuses all the same (a
    defect of the export: it does not fit with the country's other records) stops a whole
    build. Then one country's record must not hold up every country's publish, nor that
    country's takedowns: each other site is built on its own (``site``'s only, for a publish
    of one country: no other changed), and the country at fault is built holding back its
    changed and new cases (``hold_cases``: its withdrawals go out, the rest waits for the
    fix) — or, where there is no earlier build by this generator to hold them back to (it was
    just upgraded), built without the refused records (``leave_out_refused``) — or, where even
    that fails, keeps its site as it was. Its staff are told. The sites not fully built are
    returned with the generator's error, to fail the task once the rest is deployed and
    alerted."""
    try:
        built = build(content, output, posters=settings.HOMEWARD_POSTERS)
    except SnapshotError as error:
        sites = snapshot_sites(content)
        at_fault = sites_at_fault(error, sites)
        if at_fault is None:
            raise  # not one country's: nothing can be built apart from it
        built, held, left_out = BuildReport(), set(), set()
        for code in [site] if site else sites:
            if code in at_fault:
                continue
            try:
                built.warnings += _build_site(content, output, code).warnings
            except SitegenError as more:  # what only a build of its own found: it waits too
                logger.error("site %s not built:\n%s", code, more)
                at_fault.add(code)
        # Then each at fault, whichever country published: its takedowns go out with the first
        # build after them, and its staff's message says whether they did.
        for code in sorted(at_fault):
            try:
                try:
                    one = _build_site(content, output, code, hold_cases=True)
                except BuildRequestError:  # no earlier build by this generator to hold back to
                    one = _build_site(content, output, code, leave_out_refused=True)
                    left_out.add(code)
            except SitegenError as more:
                logger.error("site %s not built, takedowns included:\n%s", code, more)
                continue
            except Exception:  # never in place of the other countries' deploy and alerts
                logger.exception("site %s not built, takedowns included", code)
                continue
            held.add(code)
            logger.error(
                "site %s: takedowns published; cases held back: %s; records left out: %s",
                code,
                one.held,
                one.refused,
            )
            built.warnings += one.warnings
        logger.error("sites not built: %s\n%s", ", ".join(sorted(at_fault)), error)
        record_unbuilt(at_fault, held, left_out)
        return built, Unbuilt(error, at_fault, held)
    record_unbuilt(set())
    return built, None


def _build_site(content: Path, output: Path, code: str, **options: bool) -> BuildReport:
    return build(content, output, site=code, posters=settings.HOMEWARD_POSTERS, **options)


def snapshot_sites(content: Path) -> list[str]:
    """The site codes the snapshot's manifest lists; none if it cannot be read (then no
    problem is one site's)."""
    try:
        return listed_sites(content)
    except SnapshotError:
        return []


def deploy_output(output: Path) -> None:
    """Where a deploy target is set, make it serve the output just built (sitegen.deploy):
    what changed, including every file of a found child, gone from the CDN in seconds. A
    deploy that fails fails the task (after the alerts are queued: a retraction never waits),
    and the next publish, or ``catch_up``, completes it."""
    if not settings.HOMEWARD_DEPLOY_TARGET:
        return
    from sitegen.deploy import deploy

    try:
        report = deploy(
            output, settings.HOMEWARD_DEPLOY_TARGET, cloudfront=settings.HOMEWARD_DEPLOY_CLOUDFRONT
        )
    except SitegenError:
        logger.exception("deploy to %s failed", settings.HOMEWARD_DEPLOY_TARGET)
        record_deploy(failed=True)  # on every country's dashboard until a deploy succeeds
        raise
    record_deploy(failed=False)
    logger.info("%s", report)


def update_search(
    content: Path,
    output: Path,
    site: str | None = None,
    unbuilt: Collection[str] = (),
    held: Collection[str] = (),
) -> None:
    """Where hosted search is set (``HOMEWARD_SEARCH_ALGOLIA_APP_ID``), send Algolia what
    changed in the public case summaries, a found child's deletion first
    (sitegen.search.algolia); with ``site``, that country's (and every country's after an
    update that failed). Not a site the build could not make (``unbuilt``): its records are
    what the generator refused; but of one built for its takedowns (``held``), the deletions
    of its withdrawn cases. A failure is logged and shown on every country's dashboard
    until an update succeeds; it fails the task after the alerts are queued, and the next
    publish (or ``catch_up``) sends what this one could not."""
    config = algolia_config()
    if config is None:
        return
    from sitegen.search.algolia import sync

    try:
        report = sync(
            content,
            output,
            config,
            site=site,
            leave=set(unbuilt) - set(held),
            takedowns_only=held,
        )
    except Exception:
        logger.exception("updating the hosted search (Algolia) failed")
        record_search(failed=True)
        raise
    record_search(failed=False)
    logger.info("%s", report)


def algolia_config() -> AlgoliaConfig | None:
    """The Algolia application the settings name, or None: hosted search is off."""
    if not settings.HOMEWARD_SEARCH_ALGOLIA_APP_ID:
        return None
    from sitegen.search.algolia import AlgoliaConfig

    return AlgoliaConfig(
        app_id=settings.HOMEWARD_SEARCH_ALGOLIA_APP_ID,
        api_key=settings.HOMEWARD_SEARCH_ALGOLIA_API_KEY,
        index_prefix=settings.HOMEWARD_SEARCH_ALGOLIA_INDEX_PREFIX,
        host=settings.HOMEWARD_SEARCH_ALGOLIA_HOST,
    )


def alert_subscribers(
    site: str | None, unbuilt: Collection[str] = (), held: Collection[str] = ()
) -> None:
    """Once the site is published (its pages and posters there to link to): the alerts and
    retractions it calls for, on the ``alerts`` queue (cms.distribution). Not for a site the
    build could not make (``unbuilt``, by code): its records are what the generator refused,
    and its alerts go once it is built; but a site of those built for its takedowns (``held``)
    sends its retractions."""
    if not settings.HOMEWARD_ALERTS:
        return
    from cms.distribution.snapshot import sites
    from cms.distribution.tasks import alert_subscribers as task

    for code in [site] if site else sites():
        if code in held:
            task.enqueue(code, retractions_only=True)
        elif code not in unbuilt:
            task.enqueue(code)


# After a deploy or a hosted-search update that failed, the publishing queue tries again by
# itself, this many seconds later (the last figure over and over), until one succeeds: a
# takedown must reach the CDN and the search even if no one publishes after it.
CATCH_UP_AFTER_SECONDS = (15, 60, 300)


def catch_up_later(attempt: int = 0) -> None:
    """Where a deploy or a hosted-search update failed (and no later one succeeded), queue
    ``catch_up`` to try again in ``CATCH_UP_AFTER_SECONDS[attempt]`` seconds; one at a time
    (a marker beside the output says one is due)."""
    from cms.publishing.models import PublishProblem

    if not PublishProblem.objects.filter(subject__in=(DEPLOY, SEARCH)).exists():
        return
    if not catch_up.get_backend().supports_defer:  # a backend that runs tasks at once
        logger.warning("the task backend cannot run a task later: the next publish catches up")
        return
    output = settings.HOMEWARD_OUTPUT_DIR
    marker = output.parent / f".{output.name}.catch-up"
    due = max(CATCH_UP_AFTER_SECONDS) + 60
    with suppress(FileNotFoundError):
        if attempt == 0 and time.time() - marker.stat().st_mtime < due:
            return  # one is queued already
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    delay = CATCH_UP_AFTER_SECONDS[min(attempt, len(CATCH_UP_AFTER_SECONDS) - 1)]
    run_after = timezone.now() + timedelta(seconds=delay)
    catch_up.using(run_after=run_after).enqueue(attempt)


@task(queue_name="publishing")
def catch_up(attempt: int = 0) -> dict:
    """Deploy the output and update the hosted search again where the last attempt failed;
    if it fails again, try later (``catch_up_later``)."""
    from cms.publishing.models import PublishProblem

    content, output = settings.HOMEWARD_CONTENT_DIR, settings.HOMEWARD_OUTPUT_DIR
    (output.parent / f".{output.name}.catch-up").unlink(missing_ok=True)
    with output_lock(output):
        behind = PublishProblem.objects.filter(subject__in=(DEPLOY, SEARCH))
        steps = sorted(set(behind.values_list("subject", flat=True)))
        if DEPLOY in steps:
            if settings.HOMEWARD_DEPLOY_TARGET:
                with suppress(SitegenError):  # logged and shown by deploy_output
                    deploy_output(output)
            else:
                record_deploy(failed=False)  # no CDN any more: nothing is behind
        if SEARCH in steps:
            if algolia_config() is not None:
                held = PublishProblem.objects.filter(kind__in=(BUILD_HELD, BUILD_LEFT_OUT))
                held_sites = {code.lower() for code in held.values_list("country__code", flat=True)}
                with suppress(Exception):  # logged and shown by update_search
                    update_search(content, output, held=held_sites)
            else:
                record_search(failed=False)
    catch_up_later(attempt + 1)
    return {"steps": steps}


def build_what_was_exported(content: Path, output: Path) -> None:
    """After an export that stopped part-way: build, deploy and send to the hosted search what
    it wrote (its takedowns come first). The export's own error is the one to report; a build,
    deploy or search update that fails too is only logged."""
    unbuilt = None
    try:
        _built, unbuilt = build_output(content, output)
        deploy_output(output)
    except Exception:
        logger.exception("building after a failed export failed too")
    not_built, held = (unbuilt.sites, unbuilt.held) if unbuilt else (set(), set())
    with suppress(Exception):  # logged and shown by update_search
        update_search(content, output, unbuilt=not_built, held=held)


@task(queue_name="publishing")
def publish_site(site: str, case_keys: list[str] | None = None) -> dict:
    """Bring one country's static site up to date; with `case_keys`, only those cases."""
    result = export_and_build(site, case_keys)
    for problem in result["waiting"]:  # a step of the country's setup left: one line, no traceback
        logger.warning("not published: %s", problem)
    return result
