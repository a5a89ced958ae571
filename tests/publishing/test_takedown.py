"""When a child is found, every public copy goes, and the old address shows a neutral notice."""

import re

import pytest

from cms.cases.models import CasePage, CaseStatus
from cms.publishing.tasks import export_and_build
from tests.conftest import make_case
from tests.pdf import pdf_text
from tests.publishing.conftest import output_bytes


def traces(files: dict[str, bytes], needle: str) -> list[str]:
    return [name for name, data in files.items() if needle.encode() in data]


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["publish", "draft"])
def test_found_child_leaves_no_trace(countries, public, publish_all, how, settings):
    settings.HOMEWARD_POSTERS = True
    ua = countries["UA"]
    case = make_case(ua, given_name="Соломія", case_number="UA-F-1")
    make_case(ua, given_name="Тарас", case_number="UA-F-2")  # stays listed
    publish_all()
    output = public / "output"
    before = output_bytes(output)
    snapshot_media = len(list((public / "content/media").iterdir()))
    photo_files = sorted(name for name in before if name.startswith("media/"))
    assert traces(before, "Соломія"), "the case was not on the site"
    case_page = "ua/uk/cases/ua-f-1/index.html"
    assert case_page in before
    posters = {"ua/uk/cases/ua-f-1/poster.pdf", "ua/uk/cases/ua-f-1/share.jpg"}
    assert posters <= set(before)

    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    revision = found.save_revision()
    if how == "publish":
        revision.publish()
    # What the live-publish task does for this one case.
    export_and_build("UA", [str(case.translation_key)])

    after = output_bytes(output)
    assert traces(after, "Соломія") == []
    # Only the notices stay at the old addresses: no poster, no share image, none listed.
    assert not [name for name in after if "ua-f-1/" in name and not name.endswith("index.html")]
    manifest = after["manifest.json"].decode()
    assert "ua-f-1/poster.pdf" not in manifest and "ua-f-1/share.jpg" not in manifest
    for name, data in after.items():
        if name.endswith(".pdf"):
            assert "Соломія" not in pdf_text(data), name
    assert traces(after, "Тарас"), "other children must stay listed"
    remaining_photos = sorted(name for name in after if name.startswith("media/"))
    assert len(remaining_photos) == len(photo_files) - 1  # only the found child's photo went
    assert len(list((public / "content/media").iterdir())) == snapshot_media - 1
    notice = after[case_page].decode()
    assert "<img" not in notice and "Соломія" not in notice
    # Its CAP alert is replaced by a Cancel that references it, for every hub that relayed it.
    alert = before[f"ua/cap/{case.translation_key}.xml"].decode()
    assert "<msgType>Alert</msgType>" in alert and "Соломія" in alert
    cancel = after[f"ua/cap/{case.translation_key}.xml"].decode()
    assert "<msgType>Cancel</msgType>" in cancel
    identifier = re.search("<identifier>(.+)</identifier>", alert)[1]
    assert f",{identifier}," in re.search("<references>(.+)</references>", cancel)[1]
    assert f"{case.translation_key}.xml" in after["ua/cap/index.xml"].decode()
    assert 'name="robots" content="noindex' in notice
    for listing in (
        "ua/uk/index.html",
        "ua/uk/cases/index.html",
        "ua/uk/feed.xml",
        "ua/sitemap.xml",
    ):
        assert "ua-f-1" not in after[listing].decode(), listing


@pytest.mark.django_db
def test_a_case_that_does_not_fit_the_format_never_blocks_a_takedown(countries, public):
    from cms.publishing.export import ExportError

    mx = countries["MX"]
    found = make_case(mx, given_name="Azul", case_number="MX-B-1")
    export_and_build()
    # Written straight to the database, past the form's limits.
    make_case(mx, given_name="Broken", case_number="MX-B-2", circumstances="x" * 5000)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()

    with pytest.raises(ExportError, match="circumstances"):
        export_and_build()
    files = output_bytes(public / "output")
    assert traces(files, "Azul") == []  # the takedown went through
    assert traces(files, "Broken") == []  # the bad record was left out, not half-published


@pytest.mark.django_db
def test_a_country_without_a_hotline_waits_and_says_why(countries, public, capsys):
    from django.core.management import call_command

    ua = countries["UA"]
    ua.hotline_number = ""
    ua.save()
    make_case(countries["MX"], given_name="Itzel", case_number="MX-H-1")
    call_command("publish_sites")
    warning = capsys.readouterr().err
    assert "Україна (UA): The site is not published until its national hotline is set" in warning
    files = output_bytes(public / "output")
    assert traces(files, "Itzel")  # the other countries are published all the same
    assert not any(name.startswith("ua/") for name in files)


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["live", "full"])
def test_a_found_childs_photos_leave_the_media_index(countries, public, publish_all, export):
    """The exporter's private index of renditions (in the snapshot folder, never published)
    forgets a found child's photos, and never holds an original's file name."""
    import json

    from cms.publishing.export import MEDIA_INDEX

    ua = countries["UA"]
    case = make_case(ua, given_name="Мирослава", case_number="UA-I-1")
    other = make_case(ua, given_name="Богдан", case_number="UA-I-2")
    photo = case.photos.first().image
    photo.get_file_hash()  # as an upload through the admin stores it
    legacy = other.photos.first().image
    assert legacy.file_hash == ""  # stored before Wagtail kept a hash of each file
    publish_all()
    index_file = public / "content" / MEDIA_INDEX
    record = public / "content/sites/ua/uk/cases" / f"{case.translation_key}.json"
    rendition = json.loads(record.read_text())["photos"][0]["media"]["sha256"]
    index = json.loads(index_file.read_text())
    legacy.refresh_from_db()
    assert set(index) == {f"{photo.pk}:{photo.file_hash}", f"{legacy.pk}:{legacy.file_hash}"}
    assert "photo-UA-I" not in json.dumps(index)  # no original's file name

    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    if export == "live":
        export_and_build("UA", [str(case.translation_key)])
    else:
        publish_all()

    text = index_file.read_text()
    assert set(json.loads(text)) == {f"{legacy.pk}:{legacy.file_hash}"}
    assert photo.file_hash not in text and rendition not in text
    assert not any(MEDIA_INDEX in name for name in output_bytes(public / "output"))


@pytest.mark.django_db
def test_a_damaged_rendition_in_the_snapshot_is_made_again(countries, public, publish_all):
    """The snapshot's copy of a photo damaged on disk would stop the build that publishes a
    takedown (its bytes no longer match its name): the export makes it again from the CMS."""
    import hashlib
    import shutil

    ua = countries["UA"]
    found = make_case(ua, given_name="Олена", case_number="UA-R-1")
    make_case(ua, given_name="Петро", case_number="UA-R-2")
    publish_all()
    media = sorted((public / "content/media").iterdir())
    for path in media:
        path.write_bytes(path.read_bytes()[:-50])  # cut short
    shutil.rmtree(public / "output")  # built again from scratch: every file is checked
    found.status = CaseStatus.FOUND
    found.save_revision().publish()

    publish_all()

    files = output_bytes(public / "output")
    assert traces(files, "Олена") == [] and traces(files, "Петро")
    for path in (public / "content/media").iterdir():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.stem
