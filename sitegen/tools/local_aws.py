"""A local stand-in for AWS that speaks its real protocol: moto in server mode (a dev
dependency), started as a process of its own on a free local port. boto3 is pointed at it
through the environment (``AWS_ENDPOINT_URL``) exactly as it would be at a real endpoint. Used
by ``make bench-sitegen`` (deploy figures) and the tests; no machine here reaches AWS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import URLError

REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def moto_server(**environment: str) -> Iterator[str]:
    """The server's address while it runs; ``environment`` adds to its environment (moto's
    ``INITIAL_NO_AUTH_ACTION_COUNT`` turns on its checking of credentials)."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - this interpreter, moto's server
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{address}/moto-api/", timeout=1).close()  # noqa: S310
                break
            except (URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield address
    finally:
        server.terminate()
        server.wait(10)


MOTO_KEY = MOTO_SECRET = "testing"  # noqa: S105 - what moto takes when it checks nothing


def endpoint_environment(
    address: str, key: str = MOTO_KEY, secret: str = MOTO_SECRET
) -> dict[str, str]:
    """The variables that point boto3 at ``address`` with these credentials."""
    return {
        "AWS_ENDPOINT_URL": address,
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_CONFIG_FILE": os.devnull,
    }


@contextmanager
def local_cdn(bucket: str) -> Iterator[str]:
    """A moto server with ``bucket`` and a CloudFront distribution in front of it, and this
    process's environment pointed at it; yields the distribution's id."""
    import boto3

    with moto_server() as address:
        saved = dict(os.environ)
        os.environ.update(endpoint_environment(address))
        try:
            session = boto3.session.Session()
            session.client("s3").create_bucket(Bucket=bucket)
            origin = {"Id": "sites", "DomainName": f"{bucket}.s3.amazonaws.com"}
            answer = session.client("cloudfront").create_distribution(
                DistributionConfig={
                    "CallerReference": bucket,
                    "Origins": {"Quantity": 1, "Items": [origin]},
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "sites",
                        "ViewerProtocolPolicy": "redirect-to-https",
                    },
                    "Comment": "Homeward (local)",
                    "Enabled": True,
                }
            )
            yield answer["Distribution"]["Id"]
        finally:
            os.environ.clear()
            os.environ.update(saved)
