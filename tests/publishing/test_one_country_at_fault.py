"""A record the generator refuses must not hold up every country's publish.

The export checks each record on its own; the generator also checks how a country's records
fit together (one address each, one home page, languages that agree). A record that passes the
first and fails the second is a defect of the export, but while it lasts it must stop only its
own country: a child found in another country is taken down all the same, and the staff of the
country at fault are told."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from cms.cases.models import CasePage, CaseStatus
from cms.publishing.models import PublishProblem
from cms.publishing.problems import describe
from cms.publishing.tasks import export_and_build
from sitegen.errors import SnapshotError
from tests.conftest import make_case
from tests.publishing.conftest import output_bytes


def two_records_at_one_address(content, case) -> str:
    """A second Ukrainian record at the address of ``case``: what an export defect could
    write, and what the generator refuses to publish."""
    folder = content / "sites/ua/uk/cases"
    record = json.loads((folder / f"{case.translation_key}.json").read_text(encoding="utf-8"))
    record["id"] = "00000000-0000-4000-8000-000000000000"
    copy = folder / f"{record['id']}.json"
    copy.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return copy.relative_to(content).as_posix()


@pytest.mark.django_db
def test_a_child_found_in_one_country_is_taken_down_while_another_country_cannot_be_built(
    countries, public
):
    found = make_case(countries["MX"], given_name="Ximena", case_number="MX-AF-1")
    make_case(countries["MX"], given_name="Rodrigo", case_number="MX-AF-2")
    make_case(countries["UA"], given_name="Тарас", case_number="UA-AF-1")
    ukrainian = make_case(countries["UA"], given_name="Оксана", case_number="UA-AF-2")
    export_and_build()
    content, output = public / "content", public / "output"
    before = output_bytes(output)
    photos_before = {name for name in before if name.startswith("media/")}
    bad_file = two_records_at_one_address(content, ukrainian)

    case = CasePage.objects.get(pk=found.pk)
    case.status = CaseStatus.FOUND
    case.save_revision().publish()
    with pytest.raises(SnapshotError) as failed:  # the task fails, loudly, naming the file
        export_and_build("MX", [str(found.translation_key)])  # what the live publish runs
    assert bad_file in str(failed.value)

    after = output_bytes(output)
    assert not [name for name, data in after.items() if b"Ximena" in data]
    assert "mx/es/cases/mx-af-1/poster.pdf" not in after["manifest.json"].decode()
    assert b"Rodrigo" in after["mx/es/cases/index.html"]
    # Her photo went too: a one-country build removes the media the snapshot has no more.
    gone = photos_before - {name for name in after if name.startswith("media/")}
    assert len(gone) == 1 and not (content / gone.pop()).exists()
    # Ukraine's site stays exactly as it was last built.
    ukraine = {name: data for name, data in before.items() if name.startswith("ua/")}
    assert {name: after.get(name) for name in ukraine} == ukraine
    # Ukraine's staff are told (its takedowns would have gone out); Mexico's have nothing to do.
    told = PublishProblem.objects.get(subject="build")
    assert (told.country, told.kind) == (countries["UA"], "build-held")
    with translation.override("uk"):
        assert "технічн" in describe(told.kind, told.params).lower()

    # The export is fixed (here: the record removed); the next publish builds every country.
    (content / bad_file).unlink()
    export_and_build("UA", [str(ukrainian.translation_key)])
    assert not PublishProblem.objects.filter(subject="build").exists()
    assert b"Ximena" not in (output / "mx/es/cases/index.html").read_bytes()


@pytest.mark.django_db
def test_a_problem_no_one_country_has_still_stops_the_build(countries, public):
    make_case(countries["MX"], given_name="Ximena", case_number="MX-AF-3")
    export_and_build()
    manifest = public / "content/snapshot.json"
    manifest.write_text("{not json", encoding="utf-8")  # every country's: nothing to build apart
    before = output_bytes(public / "output")
    with pytest.raises(SnapshotError, match="snapshot.json"):
        from cms.publishing.tasks import build_output

        build_output(public / "content", public / "output")
    assert output_bytes(public / "output") == before
    assert not PublishProblem.objects.filter(kind="build").exists()


@pytest.fixture
def algolia(settings):
    """A local server speaking Algolia's API, set as the network's hosted search."""
    from tests.algolia_service import API_KEY, APP_ID, FakeAlgolia

    service = FakeAlgolia()
    settings.HOMEWARD_SEARCH_ALGOLIA_APP_ID = APP_ID
    settings.HOMEWARD_SEARCH_ALGOLIA_API_KEY = API_KEY
    settings.HOMEWARD_SEARCH_ALGOLIA_HOST = service.url
    yield service
    service.close()


@pytest.fixture
def ukraine_subscriber(countries):
    """Someone subscribed to every Ukrainian case, confirmed."""
    from django.utils import timezone

    from cms.distribution.models import Subscriber

    everywhere = Subscriber.objects.create(
        country=countries["UA"], email="ua@example.org", language="uk", area="country"
    )
    everywhere.confirmed_at = timezone.now()
    everywhere.save()
    everywhere.cover_area()
    return everywhere


def _found_and_taken_down_everywhere(found, phantom, output, algolia) -> dict[str, bytes]:
    """Марта (``found``) found while her country's site cannot be built as the snapshot has it:
    the task still fails naming the refused file, and she is gone from the site, the hosted
    search and her subscribers' alerts (retracted). The output, as then published."""
    from cms.distribution.models import AlertEvent, EventKind

    case = CasePage.objects.get(pk=found.pk)
    case.status = CaseStatus.FOUND
    case.save_revision().publish()
    with pytest.raises(SnapshotError, match=phantom):
        export_and_build("UA", [str(found.translation_key)])

    published = output_bytes(output)
    assert not [name for name, data in published.items() if "Марта".encode() in data]
    assert algolia.search("homeward_ua_uk", "Марта") == []
    retracted = AlertEvent.objects.filter(site="ua", kind=EventKind.RETRACTION)
    assert list(retracted.values_list("case_key", flat=True)) == [str(found.translation_key)]
    return published


@pytest.mark.django_db
def test_no_alert_and_no_search_record_comes_from_a_country_that_could_not_be_built(
    countries, public, algolia, ukraine_subscriber
):
    from cms.distribution.models import AlertEvent

    ukrainian = make_case(countries["UA"], given_name="Оксана", case_number="UA-AF-5")
    export_and_build()
    assert AlertEvent.objects.filter(site="ua").count() == 1
    assert len(algolia.search("homeward_ua_uk", "Оксана")) == 1
    phantom = two_records_at_one_address(public / "content", ukrainian)

    # Another Ukrainian case is published while Ukraine's site cannot be built.
    taras = make_case(countries["UA"], given_name="Тарас", case_number="UA-AF-6")
    with pytest.raises(SnapshotError):
        export_and_build("UA", [str(taras.translation_key)])
    # Nothing of what the generator refused went out: no alert, no search record (neither
    # the record at her address nor his, whose page is not on the site yet).
    assert AlertEvent.objects.filter(site="ua").count() == 1
    assert len(algolia.search("homeward_ua_uk", "Оксана")) == 1
    assert algolia.search("homeward_ua_uk", "Тарас") == []

    (public / "content" / phantom).unlink()  # fixed: his alert and search record go out
    export_and_build("UA", [str(taras.translation_key)])
    assert AlertEvent.objects.filter(site="ua").count() == 2
    assert len(algolia.search("homeward_ua_uk", "Тарас")) == 1


@pytest.mark.django_db
def test_a_child_found_in_the_country_at_fault_is_taken_down_and_its_other_changes_wait(
    countries, public, algolia, ukraine_subscriber
):
    """Everywhere she was published: her pages and photo, the subscribers' alert (retracted),
    the hosted search. What the generator refused, and what came after it, waits for the fix."""
    from cms.distribution.models import AlertEvent, EventKind

    oksana = make_case(countries["UA"], given_name="Оксана", case_number="UA-AF-7")
    found = make_case(countries["UA"], given_name="Марта", case_number="UA-AF-8")
    export_and_build()
    content, output = public / "content", public / "output"
    assert len(algolia.search("homeward_ua_uk", "Марта")) == 1
    phantom = two_records_at_one_address(content, oksana)

    # While Ukraine's site cannot be built: a new case, then Марта found.
    taras = make_case(countries["UA"], given_name="Тарас", case_number="UA-AF-9")
    with pytest.raises(SnapshotError):
        export_and_build("UA", [str(taras.translation_key)])
    published = _found_and_taken_down_everywhere(found, phantom, output, algolia)
    # Оксана stays published; Тарас, new since the refused record, is not published yet.
    assert "Оксана".encode() in published["ua/uk/cases/index.html"]
    assert len(algolia.search("homeward_ua_uk", "Оксана")) == 1
    assert not [name for name, data in published.items() if "Тарас".encode() in data]
    assert algolia.search("homeward_ua_uk", "Тарас") == []
    alerts = AlertEvent.objects.filter(site="ua", kind=EventKind.ALERT)
    assert not alerts.filter(case_key=taras.translation_key).exists()
    told = PublishProblem.objects.get(subject="build")
    assert (told.country, told.kind) == (countries["UA"], "build-held")
    with translation.override("uk"):
        assert "технічн" in describe(told.kind, told.params).lower()

    (content / phantom).unlink()  # fixed: Тарас goes out
    export_and_build("UA", [str(taras.translation_key)])
    assert "Тарас".encode() in (output / "ua/uk/cases/index.html").read_bytes()
    assert len(algolia.search("homeward_ua_uk", "Тарас")) == 1
    assert alerts.filter(case_key=taras.translation_key).exists()
    assert not PublishProblem.objects.filter(subject="build").exists()


@pytest.mark.django_db
def test_just_after_an_upgrade_a_child_found_in_the_country_at_fault_is_taken_down_all_the_same(
    countries, public, algolia, ukraine_subscriber, monkeypatch
):
    """A new generator cannot hold a case back to a version an older one published (its build
    state is not the new one's to trust): the country at fault is then built without the
    refused record. Her takedown goes out everywhere, and the other cases with it; the record
    that does not fit is missing until it is fixed, and its staff are told so."""
    oksana = make_case(countries["UA"], given_name="Оксана", case_number="UA-AF-10")
    found = make_case(countries["UA"], given_name="Марта", case_number="UA-AF-11")
    export_and_build()
    content, output = public / "content", public / "output"
    phantom = two_records_at_one_address(content, oksana)
    monkeypatch.setattr("sitegen.build.engine_fingerprint", lambda theme: "the next release")

    published = _found_and_taken_down_everywhere(found, phantom, output, algolia)
    # Of the two records at her address, one is left out; Оксана's page is there.
    assert "Оксана".encode() in published["ua/uk/cases/index.html"]
    told = PublishProblem.objects.get(subject="build")
    assert (told.country, told.kind) == (countries["UA"], "build-left-out")
    with translation.override("uk"):
        message = describe(told.kind, told.params)
    assert "технічн" in message.lower() and "The public site" not in message
    # Mexico, not at fault, is built by the new generator as usual.
    assert not PublishProblem.objects.filter(subject="build", country=countries["MX"]).exists()

    (content / phantom).unlink()  # fixed
    export_and_build("UA", [str(oksana.translation_key)])
    assert not PublishProblem.objects.filter(subject="build").exists()
    assert not [n for n, data in output_bytes(output).items() if "Марта".encode() in data]
