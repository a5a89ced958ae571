"""A pytest plugin: in CI (``CI=true``) a skipped test fails.

CI has the face photos, Redis and Chromium; a test that did not run must never pass there for one
that did. On a developer's machine a test whose photos, service or browser is missing is skipped
with its reason.
"""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be: {reason}"
