"""Live publishing with a deploy target: an editor publishes, the CDN's bucket serves it; the
child is found, and within seconds of the editor's click every file of theirs (page, photos,
poster, share image, tiles, feeds, search index entry) is gone from the bucket and invalidated
on CloudFront.
Real boto3 against moto's S3 and CloudFront server on a local port (tests/aws_service.py)."""

from __future__ import annotations

import gzip
import time

import boto3
import pytest
from django.urls import reverse
from django.utils import translation

from sitegen.tools.local_aws import moto_server
from tests.aws_service import invalidated, use_endpoint
from tests.conftest import PASSWORD, make_case
from tests.publishing.conftest import mark_found

BUCKET = "homeward-live"


@pytest.fixture
def cdn(settings, public, monkeypatch):
    with moto_server() as address:
        use_endpoint(monkeypatch, address)
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        answer = boto3.client("cloudfront").create_distribution(
            DistributionConfig={
                "CallerReference": "live",
                "Origins": {
                    "Quantity": 1,
                    "Items": [{"Id": "s3", "DomainName": f"{BUCKET}.s3.amazonaws.com"}],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "s3",
                    "ViewerProtocolPolicy": "allow-all",
                },
                "Comment": "",
                "Enabled": True,
            }
        )
        settings.HOMEWARD_DEPLOY_TARGET = f"s3://{BUCKET}"
        settings.HOMEWARD_DEPLOY_CLOUDFRONT = answer["Distribution"]["Id"]
        settings.HOMEWARD_LIVE_PUBLISHING = True
        settings.HOMEWARD_POSTERS = True
        monkeypatch.setenv("SITEGEN_SEARCH", "1")  # and the sites' search indexes
        yield boto3.client("s3"), settings.HOMEWARD_DEPLOY_CLOUDFRONT


def bucket(client) -> dict[str, bytes]:
    """Every object's bytes, a gzipped one's (the search index's) unzipped."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            data = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            found[item["Key"]] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return found


@pytest.mark.django_db
def test_a_found_child_is_gone_from_the_cdn_within_a_minute_of_the_click(
    countries, cdn, django_capture_on_commit_callbacks
):
    client, distribution = cdn
    ua = countries["UA"]
    with django_capture_on_commit_callbacks(execute=True):  # published as an editor would
        case = make_case(ua, given_name="Соломія", case_number="UA-CDN-1")
        make_case(ua, given_name="Тарас", case_number="UA-CDN-2")
    before = bucket(client)
    mine = {key for key in before if "ua-cdn-1/" in key}
    assert {"ua/uk/cases/ua-cdn-1/poster.pdf", "ua/uk/cases/ua-cdn-1/share.jpg"} <= mine
    named = {key for key, data in before.items() if "Соломія".encode() in data}
    assert {"ua/uk/cases/index.html", "ua/uk/feed.xml", "ua/uk/geo/latest.json"} <= named
    assert any(key.startswith("ua/uk/pagefind/fragment/") for key in named)  # searchable
    photos = {key for key in before if key.startswith("media/")}

    seconds = mark_found(case, django_capture_on_commit_callbacks)
    print(f"found -> gone from the bucket and invalidated in {seconds:.2f} s")
    assert seconds < 60

    after = bucket(client)
    assert [key for key, data in after.items() if "Соломія".encode() in data] == []
    assert not [key for key in after if "ua-cdn-1/" in key and not key.endswith("index.html")]
    gone_photos = photos - set(after)
    assert len(gone_photos) == 1  # hers; Тарас's stays
    assert any("Тарас".encode() in data for data in after.values())
    addresses = set(invalidated(distribution)[-1])
    assert {
        "/ua/uk/cases/ua-cdn-1/",
        "/ua/uk/cases/ua-cdn-1/poster.pdf",
        "/ua/uk/cases/ua-cdn-1/share.jpg",
        "/ua/uk/cases/index.html",
        "/ua/uk/feed.xml",
        *(f"/{photo}" for photo in gone_photos),
    } <= addresses
    assert {f"/{key}" for key in named if not key.endswith("index.html")} <= addresses


@pytest.mark.django_db
def test_a_failed_deploy_is_on_every_dashboard_until_one_succeeds(
    countries, cdn, settings, django_capture_on_commit_callbacks, client, staff, superuser
):
    from cms.publishing.models import PublishProblem
    from cms.publishing.problems import describe

    settings.HOMEWARD_DEPLOY_TARGET = "s3://no-such-bucket-here"
    with django_capture_on_commit_callbacks(execute=True):  # the task fails, and says why
        make_case(countries["MX"], given_name="Ximena", case_number="MX-CDN-3")
    shown = PublishProblem.objects.filter(kind="deploy")
    assert sorted(p.country.code for p in shown) == ["MX", "UA"]  # the CDN serves them all
    with translation.override("es"):
        assert "no se pudieron actualizar en la CDN" in describe("deploy", {})
    assert client.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "could not be brought up to date on the CDN" in dashboard
    # The network admin, who sees every country, reads it once, not once per country.
    assert client.login(username=superuser.username, password=PASSWORD)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert dashboard.count("could not be brought up to date on the CDN") == 1

    settings.HOMEWARD_DEPLOY_TARGET = f"s3://{BUCKET}"
    with django_capture_on_commit_callbacks(execute=True):
        make_case(countries["MX"], given_name="Yolanda", case_number="MX-CDN-4")
    assert not PublishProblem.objects.filter(kind="deploy").exists()
    assert "mx/es/cases/mx-cdn-3/index.html" in bucket(cdn[0])  # the next deploy caught up


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as a real worker: commits
def test_a_takedown_the_cdn_refused_reaches_it_with_no_one_publishing_again(
    countries, cdn, settings, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    from cms.publishing import tasks
    from cms.publishing.models import PublishProblem
    from sitegen.deploy import DeployError
    from tests.publishing.test_live_publish import DB_TASKS, run_worker

    settings.TASKS = DB_TASKS
    settings.HOMEWARD_LIVE_PUBLISHING = False  # the publishes below are run by hand
    monkeypatch.setattr(tasks, "CATCH_UP_AFTER_SECONDS", (1, 2))
    client, _distribution = cdn
    case = make_case(countries["UA"], given_name="Соломія", case_number="UA-CDN-9")
    tasks.export_and_build()
    assert "ua/uk/cases/ua-cdn-9/poster.pdf" in bucket(client)

    # The child is found while the CDN refuses every request (here: a bucket that is not there).
    settings.HOMEWARD_DEPLOY_TARGET = "s3://no-such-bucket-here"
    case.status = "found"
    case.save_revision().publish()
    with pytest.raises(DeployError):
        tasks.export_and_build("UA", [str(case.translation_key)])
    queued = DBTaskResult.objects.filter(task_path="cms.publishing.tasks.catch_up")
    assert queued.count() == 1
    with pytest.raises(DeployError):  # another publish meanwhile: still one catch-up queued
        tasks.export_and_build("UA", [str(case.translation_key)])
    assert queued.count() == 1

    time.sleep(1.1)
    run_worker()  # the CDN still refuses: it is tried again later
    assert queued.count() == 2 and queued.filter(status="READY").count() == 1
    assert PublishProblem.objects.filter(kind="deploy").exists()

    settings.HOMEWARD_DEPLOY_TARGET = f"s3://{BUCKET}"  # the CDN is back; nobody publishes
    time.sleep(2.1)
    run_worker()
    after = bucket(client)
    assert not [key for key in after if "ua-cdn-9/" in key and not key.endswith("index.html")]
    assert [key for key, data in after.items() if "Соломія".encode() in data] == []
    assert not PublishProblem.objects.filter(kind="deploy").exists()
    assert not queued.filter(status="READY").exists()  # and no more tries
