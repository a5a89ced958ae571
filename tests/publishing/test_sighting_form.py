"""The "report a sighting" form on a published case page works with no JavaScript at all:
a browser posting it as it is reaches the tips API and comes back to the poster."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from cms.tips.models import Tip
from tests.conftest import make_case
from tests.publishing.conftest import output_bytes


class FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None
        self.fields: dict[str, str] = {}
        self.kinds: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("enctype") == "multipart/form-data":
            self.action = attrs["action"]
        if tag in ("input", "textarea") and self.action and "name" in attrs:
            self.fields[attrs["name"]] = attrs.get("value", "")
            self.kinds[attrs["name"]] = attrs.get("type", tag)


@pytest.mark.django_db
def test_the_sighting_form_on_a_case_page_files_a_tip(
    client, countries, public, publish_all, settings
):
    settings.HOMEWARD_TIPS_URL = "http://cms.test/api/tips/"
    settings.CORS_ALLOWED_ORIGINS = ["http://sites.test"]
    case = make_case(countries["MX"], given_name="Nayeli", case_number="MX-F-1")
    publish_all()
    page = output_bytes(public / "output")["mx/es/cases/mx-f-1/index.html"].decode()
    form = FormReader()
    form.feed(page)
    assert form.action == "http://cms.test/api/tips/"
    assert form.kinds["photos"] == "file" and form.kinds["seen_at"] == "datetime-local"
    assert form.fields["case"] == str(case.translation_key)
    assert 'id="tip-sent"' in page  # the thank-you note, shown by CSS :target

    # What a browser sends: the hidden fields as they are, plus what the person typed.
    data = {**form.fields, "description": "La vi en el mercado", "seen_at": "2026-11-28T17:30"}
    response = client.post(urlsplit(form.action).path, data)
    assert response.status_code == 303
    assert response["Location"] == "http://sites.test/mx/es/cases/mx-f-1/#tip-sent"
    tip = Tip.objects.get()
    assert tip.case_id == case.pk and tip.language == "es"
    # 17:30 typed on the Mexican site is Mexico City time (UTC-6).
    assert tip.seen_at.isoformat() == "2026-11-28T23:30:00+00:00"
