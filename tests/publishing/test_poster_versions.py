"""The export remembers every version of a case it published, so the verification page of a
poster printed from an older version says it is out of date, and after the child is found,
that it is withdrawn (sitegen.verify); the tombstone also keeps what the CAP Cancel references."""

import json

import pytest

from cms.cases.models import CasePage, CaseStatus
from sitegen import verify
from tests.conftest import make_case


@pytest.mark.django_db
def test_an_old_poster_says_out_of_date_then_withdrawn(countries, public, publish_all):
    mx = countries["MX"]
    case = make_case(mx, given_name="Renata", case_number="MX-VER-1")
    publish_all()
    key = str(case.translation_key)
    record_file = public / f"content/sites/mx/es/cases/{key}.json"
    first = json.loads(record_file.read_text())
    assert "versions" not in first

    changed = CasePage.objects.get(pk=case.pk)
    changed.clothing = "Abrigo rojo"
    changed.save_revision().publish()
    publish_all()
    second = json.loads(record_file.read_text())
    assert second["updated_at"] != first["updated_at"]
    assert second["versions"] == [first["updated_at"]]
    old = verify.code("mx", "es", key, first["updated_at"])
    page = public / "output" / verify.path("mx", "es", old).lstrip("/") / "index.html"
    assert (
        "Este cartel está desactualizado" in page.read_text() or "out of date" in page.read_text()
    )

    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    publish_all()
    tombstone = json.loads((public / f"content/tombstones/mx/case/{key}.json").read_text())
    assert tombstone["versions"]["es"] == [first["updated_at"], second["updated_at"]]
    assert tombstone["published_at"] == first["first_published_at"]
    assert tombstone["region"] == first["last_seen"]["region"]
    for stamp in tombstone["versions"]["es"]:
        code = verify.code("mx", "es", key, stamp)
        text = (
            public / "output" / verify.path("mx", "es", code).lstrip("/") / "index.html"
        ).read_text()
        assert "Renata" not in text
