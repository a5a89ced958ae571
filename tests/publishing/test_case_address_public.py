"""A found child's old address shows a notice and leaves a tombstone: neither may name the
child, however an editor filled in the form (the address was once theirs to type)."""

import json

import pytest
from django.urls import reverse

from cms.cases.models import CasePage
from cms.publishing.tasks import export_and_build
from tests.cases.test_case_validation import case_form
from tests.publishing.conftest import output_bytes

NAME_SLUG = "lucia-fictional"


@pytest.mark.django_db
def test_the_notice_and_tombstone_of_a_found_child_carry_the_case_number(
    client, staff, countries, public
):
    client.login(username=staff["MX"]["editor"].username, password="correct-horse-battery")
    index = countries["MX"].site.root_page.get_children().get(slug="cases")
    add = reverse("wagtailadmin_pages:add", args=["cases", "casepage", index.pk])
    response = client.post(add, case_form(slug=NAME_SLUG, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors
    export_and_build("MX")
    case = CasePage.objects.get(case_number="MX-V-1")
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    found = case_form(status="found", slug=NAME_SLUG, **{"action-publish": "publish"})
    assert client.post(edit, found).status_code == 302
    export_and_build("MX", [str(case.translation_key)])

    files = output_bytes(public / "output")
    assert "mx/es/cases/mx-v-1/index.html" in files  # the notice
    assert not [name for name in files if "lucia" in name.lower()]
    tombstone = public / f"content/tombstones/mx/case/{case.translation_key}.json"
    assert json.loads(tombstone.read_text())["paths"] == [
        "/mx/en/cases/mx-v-1/",
        "/mx/es/cases/mx-v-1/",
    ]
    everything = output_bytes(public / "content") | files
    assert not [name for name, data in everything.items() if b"Luc\xc3\xada" in data]
