"""A hostile website auto-submits the public tip form to the CMS in a real browser: nothing it
sends may run as script on the CMS origin, where an investigator may be signed in."""

from pathlib import Path

import pytest

from tests.browser import chromium, needs_chromium, serve_directory

pytestmark = needs_chromium()

PAYLOAD_PAGE = """<!doctype html>
<form id="attack" method="post" action="{action}">
  <input name="site" value="mx">
  <input name="description" value="">
  <input name="language" value='en"><script>alert("lang:" + document.domain)</script>'>
  <input name="next" value="javascript:alert('next:' + document.domain)">
</form>
<script>document.getElementById("attack").submit()</script>
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the page tree
def test_an_auto_submitted_form_runs_no_script_on_the_cms(live_server, countries, tmp_path: Path):
    (tmp_path / "index.html").write_text(PAYLOAD_PAGE.format(action=f"{live_server.url}/api/tips/"))
    dialogs: list[str] = []
    with serve_directory(tmp_path) as attacker, chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        with page.expect_navigation(url=f"{live_server.url}/api/tips/"):
            page.goto(attacker + "/index.html")
        page.wait_for_load_state("load")
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("h1").inner_text() == "Your report was not sent"
        # The way back is never the attacker's: there is no link to follow at all.
        assert page.locator("a").count() == 0
    assert dialogs == []
