"""An image that cannot be read never stops a publish, least of all a takedown, and the country's
staff are told on their dashboard what was left out and why.

Real Wagtail images on disk, the real export, build (posters on) and admin dashboard.
"""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.images.models import Image

from cms.cases.models import CasePage, CasePhoto, CaseStatus
from cms.publishing.export import ExportError
from cms.publishing.models import PublishProblem
from cms.publishing.tasks import export_and_build
from tests.conftest import PASSWORD, make_case, make_image, make_user, speaking
from tests.pdf import pdf_text
from tests.publishing.conftest import output_bytes

LOGO_DAMAGED = "The country's logo cannot be read: the file is damaged or is not an image."
PHOTO_DAMAGED = "Photo 2 of case MX-D-3 cannot be read: the file is damaged or is not an image."
PHOTO_MISSING = "Photo 2 of case MX-D-3 cannot be read: the file is missing."
EXPECTED = {"logo": LOGO_DAMAGED, "photo": PHOTO_DAMAGED, "missing": PHOTO_MISSING}


def truncated_jpeg() -> bytes:
    """What an interrupted upload leaves: a JPEG whose header (all Wagtail's upload form reads)
    is whole, and whose pixels stop half-way."""
    out = io.BytesIO()
    PILImage.effect_noise((400, 300), 60).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()[: len(out.getvalue()) // 2]


def replace_file(image: Image, data: bytes) -> None:
    """The image's file on disk replaced by `data`, and its hash with it: what the image's edit
    form leaves when an editor uploads another file for it."""
    Path(image.file.path).write_bytes(data)
    image.file_hash = ""
    image.get_file_hash()  # computes and stores the new file's hash


def add_photo(case: CasePage, image: Image) -> None:
    case = CasePage.objects.get(pk=case.pk)
    case.photos.add(CasePhoto(image=image))
    case.save_revision().publish()


def traces(files: dict[str, bytes], needle: str) -> list[str]:
    found = [name for name, data in files.items() if needle.encode() in data]
    found += [
        name for name, data in files.items() if name.endswith(".pdf") and needle in pdf_text(data)
    ]
    return found


def dashboard(client, user) -> str:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    client.logout()
    return response.content.decode()


@pytest.fixture
def posters(settings):
    settings.HOMEWARD_POSTERS = True


@pytest.fixture
def published(countries, public):
    """Mexico's site with its logo and three cases, published."""
    mx = countries["MX"]
    mx.logo = make_image(mx, "logo-mx")
    mx.save()
    cases = {
        "found": make_case(mx, given_name="Azul", case_number="MX-D-1"),
        "other": make_case(mx, given_name="Citlali", case_number="MX-D-2"),
        "bad": make_case(mx, given_name="Dalia", case_number="MX-D-3"),
    }
    export_and_build()
    assert traces(output_bytes(public / "output"), "Azul")
    return cases


def damage(what: str, mx, bad: CasePage) -> None:
    if what == "logo":
        replace_file(mx.logo, truncated_jpeg())
    elif what == "photo":
        damaged = make_image(mx, "damaged-upload")
        replace_file(damaged, truncated_jpeg())
        add_photo(bad, damaged)
    else:  # the database names a file the storage no longer has
        gone = make_image(mx, "gone")
        Path(gone.file.path).unlink()
        add_photo(bad, gone)


def assert_published(public, what: str) -> None:
    """The found child is gone, page and poster; everything else is published (posters on)."""
    files = output_bytes(public / "output")
    assert traces(files, "Azul") == [], "the found child is still on the site"
    assert not [name for name in files if "mx-d-1/" in name and not name.endswith("index.html")]
    assert 'content="noindex' in files["mx/es/cases/mx-d-1/index.html"].decode()
    assert "mx/es/cases/mx-d-2/poster.pdf" in files and traces(files, "Citlali")
    # The case with the bad photo stays as it was last published: one photo, poster and all.
    assert "mx/es/cases/mx-d-3/poster.pdf" in files and traces(files, "Dalia")
    dalia = files["mx/es/cases/mx-d-3/index.html"].decode()
    assert dalia.count("/media/") >= 1
    logo = (public / "content/sites/mx/es/site.json").read_text()
    if what == "logo":
        assert '"logo": null' in logo  # the site is published without it
    else:
        assert '"logo": {' in logo


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["logo", "photo", "missing"])
def test_an_unreadable_image_never_holds_up_a_takedown(
    what, countries, staff, posters, published, public, client
):
    mx = countries["MX"]
    assert "mx/es/cases/mx-d-1/poster.pdf" in output_bytes(public / "output")
    damage(what, mx, published["bad"])
    found = CasePage.objects.get(pk=published["found"].pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    keys = [str(published["found"].translation_key), str(published["bad"].translation_key)]

    # The live publish of the two changed cases (what the publishing queue runs), then a full one.
    for run in (lambda: export_and_build("MX", keys), lambda: export_and_build()):
        with pytest.raises(ExportError) as left_out:
            run()
        assert EXPECTED[what] in str(left_out.value)
        assert_published(public, what)

    # The country's staff see what was left out, by case number, never the child's name.
    (problem,) = PublishProblem.objects.all()
    assert problem.country == mx
    with translation.override("en"):
        assert problem.message.startswith(EXPECTED[what])
    for user in (staff["MX"]["editor"], staff["MX"]["investigator"]):
        page = dashboard(client, user)
        assert escape(EXPECTED[what]) in page
        assert "Dalia" not in page and "Azul" not in page
    assert escape(EXPECTED[what]) not in dashboard(client, staff["UA"]["editor"])
    admin = make_user("network-admin", is_superuser=True)
    assert escape(EXPECTED[what]) in dashboard(client, admin)


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["logo", "photo"])
def test_the_problem_goes_once_the_image_is_replaced(what, countries, staff, published, client):
    mx = countries["MX"]
    bad = published["bad"]
    damage(what, mx, bad)
    with pytest.raises(ExportError):
        export_and_build("MX", [str(bad.translation_key)])
    assert PublishProblem.objects.filter(country=mx).exists()

    if what == "logo":
        good = Path(Image.objects.get(title="photo-MX-D-2").file.path).read_bytes()
        replace_file(mx.logo, good)
    else:
        case = CasePage.objects.get(pk=bad.pk)
        case.photos = [case.photos.first()]
        case.save_revision().publish()
    export_and_build("MX", [str(bad.translation_key)])
    assert not PublishProblem.objects.exists()
    assert escape(EXPECTED[what]) not in dashboard(client, staff["MX"]["editor"])


@pytest.mark.django_db
def test_a_new_case_with_an_unreadable_photo_waits_and_the_others_are_published(
    countries, staff, public, client
):
    mx = countries["MX"]
    new = make_case(mx, given_name="Elena", case_number="MX-D-4")
    replace_file(new.photos.first().image, truncated_jpeg())
    make_case(mx, given_name="Fernanda", case_number="MX-D-5")
    with pytest.raises(ExportError, match="Photo 1 of case MX-D-4 cannot be read"):
        export_and_build()
    files = output_bytes(public / "output")
    assert traces(files, "Elena") == [] and traces(files, "Fernanda")
    assert "Photo 1 of case MX-D-4" in dashboard(client, staff["MX"]["editor"])


@pytest.mark.django_db
def test_a_takedown_does_not_wait_for_the_hotline(countries, public):
    """A site whose hotline was cleared is not updated, but its found children still go."""
    mx = countries["MX"]
    found = make_case(mx, given_name="Gabriela", case_number="MX-D-6")
    make_case(mx, given_name="Hortensia", case_number="MX-D-7")
    export_and_build()
    mx.hotline_number = ""
    mx.save()
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    result = export_and_build("MX", [str(found.translation_key)])
    assert "national hotline" in result["waiting"][0]  # a step left, not a failure
    files = output_bytes(public / "output")
    assert traces(files, "Gabriela") == []
    assert traces(files, "Hortensia")


@pytest.mark.django_db
def test_a_poster_the_build_cannot_make_is_shown_until_it_is_made(
    countries, staff, posters, public, client
):
    """A poster left out by the build (here: a name in a script no poster font has) is on the
    country's dashboard until a build makes it."""
    mx = countries["MX"]
    case = make_case(mx, given_name="ཀ", case_number="MX-D-8")  # Tibetan
    export_and_build()
    path = "mx/es/cases/mx-d-8/poster.pdf"
    assert path not in output_bytes(public / "output")
    expected = f"The file {path} (a printable poster or share image) could not be made"
    assert expected in dashboard(client, staff["MX"]["editor"])
    assert expected not in dashboard(client, staff["UA"]["editor"])
    noticed = dict(PublishProblem.objects.values_list("subject", "noticed_at"))
    assert len(noticed) == 4  # the poster and the share image, in Spanish and in English
    export_and_build()  # still not made: the same problems, noticed when they first were
    assert dict(PublishProblem.objects.values_list("subject", "noticed_at")) == noticed

    case = CasePage.objects.get(pk=case.pk)
    case.given_name = "Karma"
    case.save_revision().publish()
    export_and_build("MX", [str(case.translation_key)])
    assert path in output_bytes(public / "output")
    assert not PublishProblem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "written"),
    [("ar", "4\u200f/5\u200f/2026، 6:00 ص"), ("en", "5/4/2026, 6:00\u202fAM")],
)
def test_the_dashboard_dates_a_problem_as_the_readers_language_writes_dates(
    language, written, countries, staff, client
):
    """Day first in Arabic (Django's fallback wrote 05/04/2026 there, month first), and as
    the country's clocks showed it, the zone named (it was the server's, UTC, unnamed)."""
    import datetime as dt

    from cms.publishing.problems import record_unbuilt

    record_unbuilt({"mx"}, held={"mx"})
    PublishProblem.objects.update(noticed_at=dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC))
    editor = staff["MX"]["editor"]
    speaking(editor, language)
    page = dashboard(client, editor)
    assert f"({written} (" in page  # 12:00 UTC is 06:00 in Mexico City, then the zone
    assert "05/04/2026" not in page
