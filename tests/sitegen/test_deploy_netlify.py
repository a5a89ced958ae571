"""Deploying to Netlify through its deploy API (sitegen.deploy.netlify), against a local server
that speaks the part of the API used (tests/netlify_service.py: no machine here reaches
Netlify): a first deploy, one that sends only the files Netlify lacks, a found child gone from
the live site, uploads failing part-way then a deploy that completes, a wrong token."""

from __future__ import annotations

import json

import pytest

from sitegen.deploy import DeployError, deploy
from tests.netlify_service import TOKEN, FakeNetlify
from tests.sitegen.conftest import run_build
from tests.sitegen.test_deploy_s3 import CASE_ES, PAGE, withdraw_lucia


@pytest.fixture
def netlify(monkeypatch):
    fake = FakeNetlify()
    monkeypatch.setenv("NETLIFY_API_URL", fake.url)
    monkeypatch.setenv("NETLIFY_AUTH_TOKEN", TOKEN)
    yield fake
    fake.close()


def published(output) -> dict[str, bytes]:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return {"/" + path: (output / path).read_bytes() for path in manifest}


def test_the_live_site_is_the_output_and_a_second_deploy_sends_only_what_changed(
    snapshot_dir, output_dir, netlify
):
    run_build(snapshot_dir, output_dir, posters=False)
    first = deploy(output_dir, f"netlify://{netlify.site}")
    assert netlify.live == published(output_dir)
    assert "/_headers" in netlify.live and "/_redirects" in netlify.live
    distinct = len(set(published(output_dir).values()))
    assert netlify.uploads() == len(first.uploaded) == distinct  # each content once

    record = json.loads((snapshot_dir / CASE_ES).read_text(encoding="utf-8"))
    record["clothing"] = "Sudadera verde con capucha"
    (snapshot_dir / CASE_ES).write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    built = run_build(snapshot_dir, output_dir, posters=False)
    before = netlify.uploads()
    second = deploy(output_dir, f"netlify://{netlify.site}")

    assert sorted(second.uploaded) == sorted(built.written)
    assert netlify.uploads() - before == len(built.written)
    assert "Sudadera verde con capucha" in netlify.live["/" + PAGE].decode()
    assert netlify.live == published(output_dir)


def test_a_found_child_is_gone_from_the_live_site_with_the_next_deploy(
    snapshot_dir, output_dir, netlify
):
    run_build(snapshot_dir, output_dir, posters=False)
    deploy(output_dir, f"netlify://{netlify.site}")
    photos = [
        p["media"]["path"] for p in json.loads((snapshot_dir / CASE_ES).read_text())["photos"]
    ]
    assert all(f"/{photo}" in netlify.live for photo in photos)

    withdraw_lucia(snapshot_dir)
    run_build(snapshot_dir, output_dir, posters=False)
    deploy(output_dir, f"netlify://{netlify.site}")

    assert netlify.live == published(output_dir)
    assert not any(f"/{photo}" in netlify.live for photo in photos)
    assert not [path for path, data in netlify.live.items() if b"Ficticio" in data]


def test_uploads_failing_part_way_leave_the_old_site_live_until_a_deploy_completes(
    snapshot_dir, output_dir, netlify
):
    run_build(snapshot_dir, output_dir, posters=False)
    deploy(output_dir, f"netlify://{netlify.site}")
    old = dict(netlify.live)
    record = json.loads((snapshot_dir / CASE_ES).read_text(encoding="utf-8"))
    record["clothing"] = "Sudadera verde con capucha"
    (snapshot_dir / CASE_ES).write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    run_build(snapshot_dir, output_dir, posters=False)

    netlify.fail_uploads = 1000  # beyond every retry
    with pytest.raises(DeployError, match=r"netlify://homeward-sites: upload of \S+ failed: 500"):
        deploy(output_dir, f"netlify://{netlify.site}")
    assert netlify.live == old  # a deploy goes live whole or not at all

    netlify.fail_uploads = 2  # a passing fault: retried
    deploy(output_dir, f"netlify://{netlify.site}")
    assert netlify.live == published(output_dir)


def test_a_wrong_or_missing_token_fails_clearly_and_changes_nothing(
    snapshot_dir, output_dir, netlify, monkeypatch
):
    run_build(snapshot_dir, output_dir, posters=False)
    monkeypatch.setenv("NETLIFY_AUTH_TOKEN", "nfp_wrong")
    with pytest.raises(DeployError, match="refused \\(401\\): check NETLIFY_AUTH_TOKEN"):
        deploy(output_dir, f"netlify://{netlify.site}")
    monkeypatch.delenv("NETLIFY_AUTH_TOKEN")
    with pytest.raises(DeployError, match="set NETLIFY_AUTH_TOKEN"):
        deploy(output_dir, f"netlify://{netlify.site}")
    monkeypatch.setenv("NETLIFY_AUTH_TOKEN", TOKEN)
    with pytest.raises(DeployError, match="404"):
        deploy(output_dir, "netlify://no-such-site")
    assert netlify.live == {}
