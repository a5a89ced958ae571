"""An S3 bucket (optionally under a prefix), optionally behind a CloudFront distribution.

boto3 with its own retries (standard mode: connection errors, throttling and 5xx answers tried
again with backoff); credentials, region and endpoint as boto3 finds them (``AWS_PROFILE``,
``AWS_ACCESS_KEY_ID``, ``AWS_ENDPOINT_URL``...). Uploads go on several connections at once,
one stage after the other (``sitegen.deploy.changes``); deletions in requests of a thousand;
invalidations in requests of at most ``PATHS_PER_INVALIDATION`` addresses, or by folder
(``/mx/*``) when there are more than CloudFront lets be in progress.
"""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from sitegen.deploy import DeployError
from sitegen.deploy.changes import MANIFEST, cache_control, stage

# What a request can end in besides an answer: an error answer, no connection, no
# credentials, a body that is not what was stored.
FAILED = (ClientError, BotoCoreError, ValueError)
UPLOADS_AT_ONCE = 16
PROBLEMS_SHOWN = 20
DELETIONS_PER_REQUEST = 1000  # S3's limit
PATHS_PER_INVALIDATION = 1000
PATHS_IN_PROGRESS = 3000  # CloudFront's limit of addresses being invalidated at once


class S3Target:
    def __init__(self, bucket: str, prefix: str = "", *, cloudfront: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix, self.distribution = bucket, prefix, cloudfront
        config = Config(
            retries={"max_attempts": 5, "mode": "standard"},
            connect_timeout=10,
            read_timeout=60,
            max_pool_connections=UPLOADS_AT_ONCE,
        )
        session = boto3.session.Session()
        self.s3 = session.client("s3", config=config)
        self.cloudfront = session.client("cloudfront", config=config) if cloudfront else None
        self.requests = 0
        self._lock = threading.Lock()
        for client in (self.s3, self.cloudfront):
            if client is not None:
                client.meta.events.register("before-send", self._count)

    def _count(self, **_: object) -> None:
        with self._lock:
            self.requests += 1

    def key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def where(self, path: str) -> str:
        return f"s3://{self.bucket}/{self.key(path)}"

    def _failed(self, doing: str, path: str, problem: Exception) -> DeployError:
        return DeployError(f"{self.where(path)}: {doing} failed: {_reason(problem)}")

    def read_manifest(self) -> dict[str, dict[str, str]]:
        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=self.key(MANIFEST))
            manifest: dict[str, dict[str, str]] = json.loads(answer["Body"].read())
            return manifest
        except ClientError as problem:
            if problem.response.get("Error", {}).get("Code") == "NoSuchKey":
                return {}  # never deployed here
            raise self._failed("reading the last deployed manifest", MANIFEST, problem) from None
        except FAILED as problem:  # unreachable, refused, not JSON
            raise self._failed("reading the last deployed manifest", MANIFEST, problem) from None

    def list_paths(self) -> set[str]:
        found = set()
        start = f"{self.prefix}/" if self.prefix else ""
        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start
            )
            for page in pages:
                found |= {item["Key"][len(start) :] for item in page.get("Contents", [])}
        except FAILED as problem:
            raise self._failed("listing", "", problem) from None
        return found

    def allow_other_origins(self) -> None:
        """Partners' pages (another origin) read the geo tiles and the widget's data, as
        netlify.toml and the local server allow: GET from any origin, on the bucket (CloudFront
        passes it on when its cache behaviour forwards the Origin header)."""
        rule = {
            "AllowedOrigins": ["*"],
            "AllowedMethods": ["GET", "HEAD"],
            "AllowedHeaders": ["*"],
            "MaxAgeSeconds": 3600,
        }
        try:
            self.s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": [rule]})
        except FAILED as problem:
            raise DeployError(
                f"s3://{self.bucket}: setting who may read it from other sites (CORS) failed: "
                f"{_reason(problem)}"
            ) from None

    def upload(
        self, output: Path, paths: list[str], manifest: dict[str, dict[str, str]]
    ) -> list[str]:
        """Each stage complete before the next starts. A file that fails does not stop the
        others (one of them may be a found child's notice); what failed is returned, up to
        ``PROBLEMS_SHOWN`` (then the target is taken to be unreachable and the rest left)."""
        problems: list[str] = []
        with ThreadPoolExecutor(UPLOADS_AT_ONCE) as pool:
            for number in (0, 1, 2):
                batch = [p for p in paths if stage(p, manifest[p]["content_type"]) == number]
                running = [
                    pool.submit(self._put, output, p, manifest[p]["content_type"]) for p in batch
                ]
                for future in running:
                    try:
                        future.result()
                    except DeployError as problem:
                        problems.append(str(problem))
                        if len(problems) >= PROBLEMS_SHOWN:
                            for waiting in running:
                                waiting.cancel()
                            return problems
        return problems

    def _put(self, output: Path, path: str, content_type: str) -> None:
        try:
            body = (output / path).read_bytes()
        except OSError as problem:
            raise DeployError(
                f"{output / path}: listed in the manifest, unreadable: {problem}"
            ) from None
        try:
            self.s3.put_object(
                Bucket=self.bucket,
                Key=self.key(path),
                Body=body,
                ContentType=content_type,
                CacheControl=cache_control(path),
            )
        except FAILED as problem:
            raise self._failed("upload", path, problem) from None

    def upload_manifest(self, output: Path) -> None:
        self._put(output, MANIFEST, "application/json")

    def delete(self, paths: list[str]) -> None:
        for start in range(0, len(paths), DELETIONS_PER_REQUEST):
            batch = paths[start : start + DELETIONS_PER_REQUEST]
            try:
                answer = self.s3.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self.key(p)} for p in batch], "Quiet": True},
                )
            except FAILED as problem:
                raise self._failed("deletion", batch[0], problem) from None
            for error in answer.get("Errors", []):
                raise DeployError(
                    f"s3://{self.bucket}/{error.get('Key')}: deletion failed: "
                    f"{error.get('Code')}: {error.get('Message')}"
                )

    def invalidate(self, addresses: list[str]) -> None:
        if self.cloudfront is None or not addresses:
            return
        base = f"/{self.prefix}" if self.prefix else ""
        addresses = sorted({base + address for address in addresses})
        if len(addresses) > PATHS_IN_PROGRESS:  # by top folder: /mx/*, /media/*, ...
            addresses = sorted({_folder(address) for address in addresses})
        for start in range(0, len(addresses), PATHS_PER_INVALIDATION):
            batch = addresses[start : start + PATHS_PER_INVALIDATION]
            try:
                self.cloudfront.create_invalidation(
                    DistributionId=self.distribution,
                    InvalidationBatch={
                        "Paths": {"Quantity": len(batch), "Items": batch},
                        "CallerReference": uuid.uuid4().hex,
                    },
                )
            except FAILED as problem:
                raise DeployError(
                    f"CloudFront distribution {self.distribution}: invalidation of "
                    f"{len(batch)} addresses ({batch[0]}, ...) failed: {_reason(problem)}"
                ) from None


def _folder(address: str) -> str:
    parts = address.strip("/").split("/")
    return f"/{parts[0]}/*" if len(parts) > 1 else address


def _reason(problem: Exception) -> str:
    response = getattr(problem, "response", None)
    if isinstance(response, dict) and response.get("Error"):
        error = response["Error"]
        return f"{error.get('Code')}: {error.get('Message')}"
    return f"{type(problem).__name__}: {problem}"
