"""The CMS's log (what `make run` prints) says each thing once, in one line unless it is a fault.

Run in a fresh process with the settings `make run` uses, where Django configures logging as it
would for the running CMS.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EMIT = """
import django
django.setup()
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseServerError
from django.test import RequestFactory
from django.utils.log import log_response
import logging

request = RequestFactory().get("/admin/pages/41/history/")
for response, message, error in (
    (HttpResponseForbidden(), "Forbidden (Permission denied): %s", PermissionDenied()),
    (HttpResponseBadRequest(), "Bad Request: %s", SuspiciousOperation("too big")),
    (HttpResponseServerError(), "Internal Server Error: %s", ZeroDivisionError("boom")),
):
    try:
        raise error
    except Exception as exc:
        log_response(message, request.path, response=response, request=request, exception=exc)
logging.getLogger("fontTools.ttLib.tables.otBase").info(
    "Attempting to fix OTLOffsetOverflowError ('GSUB', 'LookupList', 12)"
)
logging.getLogger("cms.publishing").info("Static sites: 3 files written")
"""


def cms_log(tmp_path) -> str:
    result = subprocess.run(  # noqa: S603 - this interpreter
        [sys.executable, "-c", EMIT],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "HOMEWARD_VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stderr


def test_a_refused_request_is_one_line_and_a_fault_keeps_its_traceback(tmp_path):
    log = cms_log(tmp_path)
    lines = log.splitlines()
    assert lines.count("Forbidden (Permission denied): /admin/pages/41/history/") == 1, log
    assert lines.count("Bad Request: /admin/pages/41/history/") == 1, log
    assert lines.count("Internal Server Error: /admin/pages/41/history/") == 1, log
    assert log.count("Traceback") == 1 and "ZeroDivisionError: boom" in log
    assert "PermissionDenied" not in log and "SuspiciousOperation" not in log


def test_the_font_subsetters_chatter_stays_out_and_our_news_stays_in(tmp_path):
    log = cms_log(tmp_path)
    assert "OTLOffsetOverflowError" not in log
    assert "Static sites: 3 files written" in log
