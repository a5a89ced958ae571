"""A country without its national hotline: every place an admin looks says the step left, and
publishing waits for it without failing (no traceback in the worker's log)."""

import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks.base import TaskResultStatus as ResultStatus

from cms.countries.models import Country
from cms.publishing.models import PublishProblem
from cms.publishing.tasks import publish_site
from tests.conftest import PASSWORD, make_user
from tests.publishing.conftest import output_bytes

STEP_LEFT = "Not published yet — set the hotline"


@pytest.mark.django_db
def test_provision_country_says_the_hotline_is_the_step_left(settings, capsys):
    settings.WAGTAILADMIN_BASE_URL = "http://cms.test"
    call_command("provision_country", "--code", "ZA", "--name", "South Africa", "--languages", "en")
    out = capsys.readouterr().out
    country = Country.objects.get(code="ZA")
    assert "One step left: the site is not published until its national hotline is set" in out
    assert "Country settings" in out and "National hotline" in out
    assert f"http://cms.test/admin/countries/edit/{country.pk}/" in out


@pytest.mark.django_db
def test_the_countries_list_shows_which_site_waits_for_its_hotline(client, countries, public):
    superuser = make_user("network-admin", is_superuser=True, is_staff=True)
    ua = countries["UA"]
    ua.hotline_number = ""
    ua.save()
    client.login(username=superuser.username, password=PASSWORD)
    html = client.get(reverse("countries:index")).content.decode()
    rows = {row.split("</tr>")[0] for row in html.split("<tr")[1:]}
    ukraine = next(row for row in rows if "Україна" in row)
    mexico = next(row for row in rows if "México" in row)
    assert STEP_LEFT in ukraine
    assert STEP_LEFT not in mexico and "Published" in mexico


@pytest.mark.django_db
def test_publishing_a_country_without_hotline_succeeds_and_the_dashboard_says_why(
    client, staff, countries, public, caplog
):
    ua = countries["UA"]
    ua.hotline_number = ""
    ua.save()
    with caplog.at_level(logging.WARNING):
        result = publish_site.enqueue("UA")
    assert result.status == ResultStatus.SUCCESSFUL
    assert not [record for record in caplog.records if record.exc_info]  # no traceback
    assert [r.getMessage() for r in caplog.records if "hotline" in r.getMessage()] == [
        "not published: Україна (UA): The site is not published until its national hotline "
        "is set in Country settings. Found children are taken down all the same."
    ]
    assert PublishProblem.objects.filter(country=ua, kind="hotline").exists()
    assert not any(name.startswith("ua/") for name in output_bytes(public / "output"))

    client.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "national hotline is set in Country settings" in html
    assert f'href="{reverse("countries:edit", args=[ua.pk])}"' in html

    # Once the hotline is set, the next publish clears the message.
    ua.hotline_number = "+380 800 000 000"
    ua.save()
    assert publish_site.enqueue("UA").status == ResultStatus.SUCCESSFUL
    assert not PublishProblem.objects.filter(country=ua).exists()
    assert any(name.startswith("ua/uk/") for name in output_bytes(public / "output"))
