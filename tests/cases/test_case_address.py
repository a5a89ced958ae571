"""A case's address is always its case number: no editor, translator, copy or old revision can
put a child's name into a URL (which outlives the case in links, notices and tombstones)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from cms.cases.models import CasePage
from tests.cases.test_case_validation import case_form
from tests.conftest import case_edit_data, make_case

NAME_SLUG = "regina-morales-cruz"


@pytest.mark.django_db
def test_an_editor_cannot_give_a_new_case_a_name_for_address(editor_client, add_url):
    response = editor_client.post(add_url, case_form(slug=NAME_SLUG))
    assert response.status_code == 302, response.context["form"].errors
    assert CasePage.objects.get(case_number="MX-V-1").slug == "mx-v-1"


@pytest.mark.django_db
def test_an_editor_cannot_change_an_address(editor_client, countries):
    case = make_case(countries["MX"], given_name="Regina", case_number="MX-A-1")
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    page = editor_client.get(edit).content.decode()
    assert 'name="slug"' not in page  # shown, not a field
    data = case_edit_data(editor_client, case) | {"slug": NAME_SLUG, "action-publish": "1"}
    response = editor_client.post(edit, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.slug == "mx-a-1" and case.url_path.endswith("/mx-a-1/")


@pytest.mark.django_db
def test_the_address_follows_a_changed_case_number(editor_client, countries):
    case = make_case(countries["MX"], given_name="Regina", case_number="MX-A-1")
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    data = case_edit_data(editor_client, case) | {"case_number": "MX-A-7", "action-publish": "1"}
    assert editor_client.post(edit, data).status_code == 302
    case.refresh_from_db()
    assert case.slug == "mx-a-7"


@pytest.mark.django_db
def test_two_cases_cannot_share_a_case_number(editor_client, countries):
    make_case(countries["MX"], given_name="Regina", case_number="MX-A-1")
    other = make_case(countries["MX"], given_name="Lucía", case_number="MX-A-2")
    edit = reverse("wagtailadmin_pages:edit", args=[other.pk])
    data = case_edit_data(editor_client, other) | {"case_number": "MX-A-1", "action-publish": "1"}
    response = editor_client.post(edit, data)
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"] == [
        "Another case of this country already has this case number."
    ]


@pytest.mark.django_db
def test_an_old_revision_with_a_name_for_address_publishes_under_the_case_number(countries):
    case = make_case(countries["MX"], given_name="Regina", case_number="MX-A-1")
    case.slug = NAME_SLUG  # as an old revision or an import might carry it
    revision = case.save_revision(clean=False)
    revision.publish()
    case.refresh_from_db()
    assert case.slug == "mx-a-1"


@pytest.mark.django_db
def test_a_case_cannot_be_copied(editor_client, countries):
    case = make_case(countries["MX"], given_name="Regina", case_number="MX-A-1")
    copy = reverse("wagtailadmin_pages:copy", args=[case.pk])
    response = editor_client.get(copy, follow=True)
    assert "A case cannot be copied" in response.content.decode()
    parent = case.get_parent()
    editor_client.post(
        copy, {"new_title": "Regina", "new_slug": NAME_SLUG, "new_parent_page": parent.pk}
    )
    assert not CasePage.objects.filter(slug=NAME_SLUG).exists()
    assert CasePage.objects.filter(case_number="MX-A-1").count() == 1


@pytest.mark.django_db
def test_existing_cases_get_their_case_number_for_address(countries):
    case = make_case(countries["MX"], given_name="Regina", case_number="MX-A-1")
    parent = case.get_parent()
    CasePage.objects.filter(pk=case.pk).update(
        slug=NAME_SLUG, url_path=f"{parent.url_path}{NAME_SLUG}/"
    )
    migration = importlib.import_module("cms.cases.migrations.0003_case_address_from_case_number")
    migration.address_from_case_number(apps, None)
    case.refresh_from_db()
    assert case.slug == "mx-a-1"
    assert case.url_path == f"{parent.url_path}mx-a-1/"
