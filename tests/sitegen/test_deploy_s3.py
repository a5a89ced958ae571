"""Deploying a built output to S3 and CloudFront (sitegen.deploy), with real boto3 against
moto's server on a local port (tests/aws_service.py: no machine here reaches AWS): the first
deploy, an incremental one that uploads only what changed (requests counted), a takedown, a
connection dropped half-way and the deploy after it, wrong credentials."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from sitegen.deploy import DeployError, Journal, deploy
from sitegen.deploy.changes import IMMUTABLE, REVALIDATE
from sitegen.tools.local_aws import moto_server
from tests.aws_service import DroppingProxy, invalidated, use_endpoint
from tests.sitegen.conftest import run_build

BUCKET = "homeward-sites"
CASE_ES = "sites/mx/es/cases/mx-0001.json"
PAGE = "mx/es/cases/lucía-ejemplo-ficticio/index.html"


@pytest.fixture(scope="module")
def aws():
    with moto_server() as address:
        yield address


@pytest.fixture
def s3(aws, monkeypatch, request):
    use_endpoint(monkeypatch, aws)
    client = boto3.client("s3")
    bucket = f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}"
    client.create_bucket(Bucket=bucket)
    return client, bucket


@pytest.fixture
def distribution(s3) -> str:
    cloudfront = boto3.client("cloudfront")
    origin = f"{s3[1]}.s3.amazonaws.com"
    answer = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": s3[1],
            "Origins": {"Quantity": 1, "Items": [{"Id": "sites", "DomainName": origin}]},
            "DefaultCacheBehavior": {
                "TargetOriginId": "sites",
                "ViewerProtocolPolicy": "redirect-to-https",
            },
            "Comment": "homeward test",
            "Enabled": True,
        }
    )
    return answer["Distribution"]["Id"]


def bucket_files(client, bucket: str, prefix: str = "") -> dict[str, str]:
    """Key (without the prefix) → sha256 of the object's bytes."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            data = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[item["Key"][len(prefix) :]] = hashlib.sha256(data).hexdigest()
    return found


def published(output: Path) -> dict[str, str]:
    """What the bucket must hold to serve ``output``: each listed file and the manifest."""
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    files = {path: entry["sha256"] for path, entry in manifest.items()}
    files["manifest.json"] = hashlib.sha256((output / "manifest.json").read_bytes()).hexdigest()
    return files


def withdraw_lucia(content: Path) -> None:
    for locale in ("es", "en"):
        os.remove(content / f"sites/mx/{locale}/cases/mx-0001.json")
    folder = content / "tombstones/mx/case"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mx-0001.json").write_text(
        json.dumps(
            {
                "id": "mx-0001",
                "site": "mx",
                "kind": "case",
                "withdrawn_at": "2025-05-31T12:00:00-06:00",
                "paths": ["/mx/es/cases/lucía-ejemplo-ficticio/"],
            }
        ),
        encoding="utf-8",
    )


def test_first_deploy_uploads_every_file_with_its_type_and_caching(
    snapshot_dir, output_dir, s3, distribution
):
    client, bucket = s3
    run_build(snapshot_dir, output_dir, posters=False)
    report = deploy(output_dir, f"s3://{bucket}/network", cloudfront=distribution)

    assert bucket_files(client, bucket, "network/") == published(output_dir)
    manifest = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    page = client.head_object(Bucket=bucket, Key=f"network/{PAGE}")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == REVALIDATE
    photo = next(path for path in manifest if path.startswith("media/"))
    head = client.head_object(Bucket=bucket, Key=f"network/{photo}")
    assert head["ContentType"] == manifest[photo]["content_type"] == "image/jpeg"
    assert head["CacheControl"] == IMMUTABLE
    feed = client.head_object(Bucket=bucket, Key="network/mx/es/feed.xml")
    assert feed["ContentType"] == "application/atom+xml"
    # Partners' pages on other sites may read the tiles and the widget's data.
    [rule] = client.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rule["AllowedOrigins"] == ["*"] and rule["AllowedMethods"] == ["GET", "HEAD"]
    # One GET of the last manifest, the CORS rule, a PUT per file and for the manifest, one
    # invalidation.
    assert report.requests == 1 + 1 + len(manifest) + 1 + 1
    [batch] = invalidated(distribution)
    assert "/network/mx/es/cases/luc%C3%ADa-ejemplo-ficticio/" in batch
    assert not any(path.startswith("/network/media/") for path in batch)  # new names only
    assert not Journal(output_dir, f"s3://{bucket}/network").path.exists()


def test_a_one_case_change_uploads_only_what_changed(snapshot_dir, output_dir, s3, distribution):
    client, bucket = s3
    run_build(snapshot_dir, output_dir, posters=False)
    deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)
    record = json.loads((snapshot_dir / CASE_ES).read_text(encoding="utf-8"))
    record["clothing"] = "Sudadera verde con capucha"
    (snapshot_dir / CASE_ES).write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    built = run_build(snapshot_dir, output_dir, posters=False)
    assert built.written and not built.deleted

    report = deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)

    assert sorted(report.uploaded) == sorted(built.written)
    assert report.requests == 1 + len(built.written) + 1 + 1  # GET, PUTs, manifest, invalidation
    assert bucket_files(client, bucket) == published(output_dir)
    body = client.get_object(Bucket=bucket, Key=PAGE)["Body"].read().decode()
    assert "Sudadera verde con capucha" in body
    assert "/mx/es/cases/luc%C3%ADa-ejemplo-ficticio/" in invalidated(distribution)[-1]
    again = deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)
    assert again.uploaded == again.deleted == [] and again.requests == 1  # only the GET


def test_a_found_child_goes_from_the_bucket_and_the_cdn(snapshot_dir, output_dir, s3, distribution):
    client, bucket = s3
    run_build(snapshot_dir, output_dir, posters=False)
    deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)
    photos = [
        p["media"]["path"] for p in json.loads((snapshot_dir / CASE_ES).read_text())["photos"]
    ]
    assert all(photo in bucket_files(client, bucket) for photo in photos)

    withdraw_lucia(snapshot_dir)
    built = run_build(snapshot_dir, output_dir, posters=False)
    report = deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)

    files = bucket_files(client, bucket)
    assert files == published(output_dir)
    assert not any(photo in files for photo in photos)
    assert set(report.deleted) == set(built.deleted) and report.deleted
    addresses = invalidated(distribution)[-1]
    assert all(f"/{photo}" in addresses for photo in photos)
    assert "/mx/en/cases/luc%C3%ADa-ejemplo-ficticio/" in addresses
    for key in files:  # not a byte of her left anywhere in the bucket
        assert b"Ficticio" not in client.get_object(Bucket=bucket, Key=key)["Body"].read(), key


def test_a_deploy_cut_off_half_way_is_completed_by_the_next(
    aws, snapshot_dir, output_dir, s3, monkeypatch
):
    """Lucía's case is new in the second build; its deploy is cut off after her photos and a
    few pages went up. She is found before the next deploy: that deploy must take down what the
    cut-off one left, though neither the bucket's manifest nor the new build lists it."""
    client, bucket = s3
    target = f"s3://{bucket}"
    without = snapshot_dir.parent / "without"
    shutil.copytree(snapshot_dir, without)
    withdraw_lucia(without)
    run_build(without, output_dir, posters=False)
    deploy(output_dir, target)
    first = published(output_dir)

    run_build(snapshot_dir, output_dir, posters=False)  # Lucía published
    host, port = aws.removeprefix("http://").split(":")
    proxy = DroppingProxy((host, int(port)), after=5)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.address)
    try:
        with pytest.raises(DeployError, match=rf"s3://{bucket}/\S+: upload failed"):
            deploy(output_dir, target)
    finally:
        proxy.close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws)
    files = bucket_files(client, bucket)
    assert files["manifest.json"] == first["manifest.json"]  # the live manifest is the old one
    left = set(files) - set(first)
    photos = {
        p["media"]["path"] for p in json.loads((snapshot_dir / CASE_ES).read_text())["photos"]
    }
    assert left & photos, "the cut-off deploy did not get as far as her photos"

    run_build(without, output_dir, posters=False)  # found before the next deploy
    report = deploy(output_dir, target)

    assert bucket_files(client, bucket) == published(output_dir) == first
    assert left <= set(report.deleted)


def test_wrong_credentials_fail_clearly_and_change_nothing(snapshot_dir, output_dir, monkeypatch):
    with moto_server(INITIAL_NO_AUTH_ACTION_COUNT="3") as address:
        use_endpoint(monkeypatch, address)
        iam = boto3.client("iam")
        iam.create_user(UserName="deployer")
        key = iam.create_access_key(UserName="deployer")["AccessKey"]
        iam.put_user_policy(
            UserName="deployer",
            PolicyName="sites",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
                }
            ),
        )
        use_endpoint(monkeypatch, address, key["AccessKeyId"], key["SecretAccessKey"])
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        run_build(snapshot_dir, output_dir, posters=False)

        use_endpoint(monkeypatch, address, "AKIAWRONGWRONGWRONG1", "not-the-secret")
        with pytest.raises(DeployError) as failed:
            deploy(output_dir, f"s3://{BUCKET}")
        assert f"s3://{BUCKET}/manifest.json" in str(failed.value)
        assert "InvalidAccessKeyId" in str(failed.value)

        use_endpoint(monkeypatch, address, key["AccessKeyId"], key["SecretAccessKey"])
        assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=BUCKET)
        deploy(output_dir, f"s3://{BUCKET}")  # the right ones work
        assert bucket_files(boto3.client("s3"), BUCKET) == published(output_dir)


def test_the_command_line_deploys_and_says_what_it_did(snapshot_dir, output_dir, s3):
    client, bucket = s3
    run_build(snapshot_dir, output_dir, posters=False)
    command = [sys.executable, "-m", "sitegen", "deploy", str(output_dir)]
    done = subprocess.run(  # noqa: S603 - this interpreter
        [*command, "--target", f"s3://{bucket}/a"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"deployed to s3://{bucket}/a:" in done.stdout
    assert bucket_files(client, bucket, "a/") == published(output_dir)
    wrong = subprocess.run(  # noqa: S603 - this interpreter
        [*command, "--target", "ftp://example.org/x"], capture_output=True, text=True, check=False
    )
    assert wrong.returncode == 1
    assert "ftp://example.org/x: unknown target" in wrong.stderr
    missing = subprocess.run(  # noqa: S603 - this interpreter
        [*command, "--target", "s3://no-such-bucket-here"], capture_output=True, text=True
    )
    assert missing.returncode == 1
    assert "s3://no-such-bucket-here/manifest.json" in missing.stderr
    assert "NoSuchBucket" in missing.stderr


def test_a_file_that_cannot_be_uploaded_never_keeps_a_found_child_up(
    snapshot_dir, output_dir, s3, distribution
):
    client, bucket = s3
    run_build(snapshot_dir, output_dir, posters=False)
    deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)
    first = bucket_files(client, bucket)
    photos = [
        p["media"]["path"] for p in json.loads((snapshot_dir / CASE_ES).read_text())["photos"]
    ]

    withdraw_lucia(snapshot_dir)
    run_build(snapshot_dir, output_dir, posters=False)
    os.remove(output_dir / "mx/en/feed.xml")  # listed by the manifest, gone from the disk
    with pytest.raises(DeployError, match=r"mx/en/feed.xml: listed in the manifest, unreadable"):
        deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)

    files = bucket_files(client, bucket)
    assert files["manifest.json"] == first["manifest.json"]  # not complete: the old one stays
    assert not any(photo in files for photo in photos)  # yet her photos went
    page = client.get_object(Bucket=bucket, Key=PAGE)["Body"].read()
    assert b"Ficticio" not in page  # and her page is the notice
    assert f"/{photos[0]}" in invalidated(distribution)[-1]

    run_build(snapshot_dir, output_dir, posters=False, verify=True)  # the feed written again
    deploy(output_dir, f"s3://{bucket}", cloudfront=distribution)
    assert bucket_files(client, bucket) == published(output_dir)
    assert b"Ficticio" not in client.get_object(Bucket=bucket, Key="mx/en/feed.xml")["Body"].read()
