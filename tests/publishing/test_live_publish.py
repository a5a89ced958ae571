"""Publish in the CMS -> a task on the database queue -> the worker rebuilds the static site."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cms.cases.models import CasePage
from tests.cases.test_case_validation import case_form
from tests.conftest import PASSWORD, make_case
from tests.publishing.conftest import output_bytes

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["publishing", "default", "faces", "alerts"],
    }
}


@pytest.fixture
def live(settings, public):
    settings.TASKS = DB_TASKS
    settings.HOMEWARD_LIVE_PUBLISHING = True
    return public


def run_worker():
    call_command(  # the worker `make run` starts for publishing, here also taking default tasks
        "publishing_worker",
        *("--queue-name", "publishing,default", "--batch", "--no-startup-delay", "--no-reload"),
        verbosity=0,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as a real worker: commits
def test_publish_in_the_admin_reaches_the_static_site_through_the_queue(
    client, staff, countries, live, django_capture_on_commit_callbacks
):
    assert client.login(username=staff["MX"]["editor"].username, password=PASSWORD)
    index = countries["MX"].site.root_page.get_children().get(slug="cases")
    add_url = reverse("wagtailadmin_pages:add", args=["cases", "casepage", index.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url, case_form(**{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors
    queued = DBTaskResult.objects.filter(task_path="cms.publishing.tasks.publish_site")
    assert queued.filter(status="READY").count() >= 1

    run_worker()
    assert not queued.exclude(status="SUCCESSFUL").exists()
    files = output_bytes(live / "output")
    page = files["mx/es/cases/mx-v-1/index.html"].decode()
    assert "Lucía" in page and "+52 33 0000 0000" in page
    assert "Lucía" in files["mx/es/cases/index.html"].decode()

    # The child is found: marking it found and publishing takes the poster down.
    case = CasePage.objects.get(case_number="MX-V-1", locale__language_code="es")
    edit_url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url, case_form(status="found", slug="mx-v-1", **{"action-publish": "publish"})
        )
    assert response.status_code == 302, response.context["form"].errors
    run_worker()
    files = output_bytes(live / "output")
    assert "Lucía" not in files["mx/es/cases/mx-v-1/index.html"].decode()
    assert "Lucía" not in files["mx/es/cases/index.html"].decode()


@pytest.mark.django_db
def test_a_publish_rewrites_only_what_depends_on_the_case(countries, live, publish_all, settings):
    settings.HOMEWARD_LIVE_PUBLISHING = False
    mx = countries["MX"]
    case = make_case(mx, given_name="Inés", case_number="MX-I-1")
    make_case(mx, given_name="Bruno", case_number="MX-I-2")
    publish_all()
    from cms.publishing.tasks import export_and_build

    assert export_and_build("MX") == {
        "waiting": [],
        "exported": 0,
        "deleted": 0,
        "withdrawn": [],
        "written": 0,
        "removed": 0,
    }
    edited = CasePage.objects.get(pk=case.pk)
    edited.clothing = "Green scarf"
    edited.save_revision().publish()
    result = export_and_build("MX", [str(case.translation_key)])
    assert result["exported"] == 2  # the Spanish record, and the English one made from it
    bruno = (live / "output/mx/es/cases/mx-i-2/index.html").read_bytes()
    export_and_build("MX", [str(case.translation_key)])
    assert (live / "output/mx/es/cases/mx-i-2/index.html").read_bytes() == bruno
    assert "Green scarf" in (live / "output/mx/es/cases/mx-i-1/index.html").read_text()
