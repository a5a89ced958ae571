"""Live publishing with hosted search: an editor publishes, the child is found by name in
Algolia; the child is found, and before the publishing task ends her records are gone from
every language's index. Algolia down never holds up the alerts or the sites, shows on every
dashboard, and the next publish catches up. The real algoliasearch client against a local
server speaking the endpoints it uses (tests/algolia_service.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from cms.cases.models import CasePage, CaseStatus
from sitegen.search.algolia import AlgoliaError
from tests.algolia_service import API_KEY, APP_ID, FakeAlgolia
from tests.conftest import PASSWORD, make_case
from tests.publishing.conftest import mark_found
from tests.publishing.test_privacy import CANARIES, subscribe_near


@pytest.fixture
def algolia(settings, public):
    fake = FakeAlgolia()
    settings.HOMEWARD_SEARCH_ALGOLIA_APP_ID = APP_ID
    settings.HOMEWARD_SEARCH_ALGOLIA_API_KEY = API_KEY
    settings.HOMEWARD_SEARCH_ALGOLIA_HOST = fake.url
    settings.HOMEWARD_LIVE_PUBLISHING = True
    yield fake
    fake.close()


def names_found(algolia: FakeAlgolia, index: str, query: str) -> list[str]:
    return [record["name"] for record in algolia.search(index, query)]


@pytest.mark.django_db
def test_a_found_child_is_gone_from_the_search_before_the_publish_ends(
    countries, algolia, django_capture_on_commit_callbacks
):
    ua = countries["UA"]
    with django_capture_on_commit_callbacks(execute=True):  # published as an editor would
        case = make_case(ua, given_name="Соломія", case_number="UA-ALG-1", **CANARIES)
        make_case(ua, given_name="Тарас", case_number="UA-ALG-2")
    for locale in ("uk", "en"):
        assert names_found(algolia, f"homeward_ua_{locale}", "Соломія") == ["Соломія Fictional"]
    record = algolia.search("homeward_ua_uk", "Соломія")[0]
    assert record["case_number"] == "UA-ALG-1"
    assert record["url"] == "http://sites.test/ua/uk/cases/ua-alg-1/"
    assert record["photo"].startswith("http://sites.test/media/")
    # Nothing private was ever sent: the case's private tab carries a canary in every field.
    for body in algolia.bodies():
        for canary in CANARIES.values():
            assert canary.encode() not in body

    seconds = mark_found(case, django_capture_on_commit_callbacks)
    print(f"found -> gone from every Algolia index in {seconds:.2f} s")
    assert seconds < 60

    for locale in ("uk", "en"):
        assert names_found(algolia, f"homeward_ua_{locale}", "Соломія") == []
        assert names_found(algolia, f"homeward_ua_{locale}", "Тарас") == ["Тарас Fictional"]


@pytest.mark.django_db
def test_algolia_down_holds_up_nothing_shows_on_every_dashboard_and_is_caught_up(
    countries, public, algolia, publish_all, client, staff
):
    from cms.distribution.models import AlertEvent, EventKind
    from cms.publishing.models import PublishProblem
    from cms.publishing.problems import describe

    mx = countries["MX"]
    subscribe_near(mx)
    case = make_case(mx, given_name="Ximena", case_number="MX-ALG-3")
    publish_all("mx")
    assert names_found(algolia, "homeward_mx_es", "Ximena") == ["Ximena Fictional"]

    # Algolia goes down; Ximena is found and Yolanda goes missing.
    algolia.fail_requests = 1_000_000
    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    other = make_case(mx, given_name="Yolanda", case_number="MX-ALG-4")
    with pytest.raises(AlgoliaError, match="homeward_mx_es"):  # the task fails, and says why
        publish_all("mx")
    # The sites and the alerts went ahead: her page is a notice naming no one and the
    # retraction is queued; Yolanda's page is up and her alert queued.
    notice = (public / "output/mx/es/cases/mx-alg-3/index.html").read_text(encoding="utf-8")
    assert "Ximena" not in notice
    assert (public / "output/mx/es/cases/mx-alg-4/index.html").is_file()
    events = AlertEvent.objects.values_list("case_key", "kind")
    assert (str(case.translation_key), EventKind.RETRACTION) in events
    assert (str(other.translation_key), EventKind.ALERT) in events
    shown = PublishProblem.objects.filter(kind="search")
    assert sorted(p.country.code for p in shown) == ["MX", "UA"]  # one application serves all
    with translation.override("es"):
        assert "búsqueda" in describe("search", {})
    assert client.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "hosted search (Algolia) could not be brought up to date" in dashboard

    # Algolia is back: the next publish (of any country) completes what failed.
    algolia.fail_requests = 0
    publish_all("ua")
    assert names_found(algolia, "homeward_mx_es", "Ximena") == []
    assert names_found(algolia, "homeward_mx_es", "Yolanda") == ["Yolanda Fictional"]
    assert not PublishProblem.objects.filter(kind="search").exists()


@pytest.mark.django_db
def test_the_alerts_are_queued_before_the_hosted_search_is_sent_anything(
    countries, public, algolia, publish_all
):
    """A slow Algolia (a second a request here) never delays a retraction: the alerts are
    queued once the site is built and deployed, and only then is Algolia sent what changed."""
    from cms.distribution.models import AlertEvent, EventKind

    mx = countries["MX"]
    subscribe_near(mx)
    case = make_case(mx, given_name="Zoe", case_number="MX-ALG-5")
    publish_all("mx")
    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    asked = len(algolia.arrived)
    algolia.delay = 1.0

    publish_all("mx")

    retraction = AlertEvent.objects.get(case_key=case.translation_key, kind=EventKind.RETRACTION)
    assert len(algolia.arrived) > asked  # her deletion was sent, after
    assert retraction.created_at < algolia.arrived[asked]
    assert names_found(algolia, "homeward_mx_es", "Zoe") == []


@pytest.mark.django_db
def test_the_nightly_command_replaces_every_index_from_the_published_snapshot(
    countries, algolia, publish_all
):
    from django.core.management import call_command

    make_case(countries["MX"], given_name="Ximena", case_number="MX-ALG-5")
    publish_all()
    algolia.indexes["homeward_mx_es"]["stray"] = {"objectID": "stray", "name": "Stray"}

    call_command("algolia_reindex")

    assert names_found(algolia, "homeward_mx_es", "Stray") == []
    assert names_found(algolia, "homeward_mx_es", "Ximena") == ["Ximena Fictional"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as a real worker: commits
def test_a_found_child_algolia_refused_leaves_it_with_no_one_publishing_again(
    countries, algolia, settings, monkeypatch
):
    import time

    from django_tasks_db.models import DBTaskResult

    from cms.publishing import tasks
    from cms.publishing.models import PublishProblem
    from tests.publishing.test_live_publish import DB_TASKS, run_worker

    settings.TASKS = DB_TASKS
    settings.HOMEWARD_LIVE_PUBLISHING = False  # the publish below is run by hand
    monkeypatch.setattr(tasks, "CATCH_UP_AFTER_SECONDS", (1,))
    case = make_case(countries["MX"], given_name="Ximena", case_number="MX-ALG-9")
    tasks.export_and_build()
    assert names_found(algolia, "homeward_mx_es", "Ximena") == ["Ximena Fictional"]

    algolia.fail_requests = 1_000_000  # Algolia is down as she is found
    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    with pytest.raises(AlgoliaError):
        tasks.export_and_build("MX", [str(case.translation_key)])
    assert names_found(algolia, "homeward_mx_es", "Ximena") == ["Ximena Fictional"]

    algolia.fail_requests = 0  # back; nobody publishes
    time.sleep(1.1)
    run_worker()
    assert names_found(algolia, "homeward_mx_es", "Ximena") == []
    assert not PublishProblem.objects.filter(kind="search").exists()
    queued = DBTaskResult.objects.filter(task_path="cms.publishing.tasks.catch_up")
    assert list(queued.values_list("status", flat=True)) == ["SUCCESSFUL"]
