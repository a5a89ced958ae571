"""One rule says which cases the public sees (``CasePage.objects.listed()``), and the export, the
face gallery and the lists all follow it: a draft that marks the child found takes the case off
at once, before anyone publishes it (the export's side: tests/publishing/test_takedown.py)."""

import pytest

from cms.cases.models import CasePage, CaseStatus
from tests.conftest import make_case


def listed_numbers(country):
    cases = CasePage.objects.descendant_of(country.site.root_page).listed()
    return sorted(cases.values_list("case_number", flat=True).distinct())


@pytest.mark.django_db
def test_listed_is_published_missing_cases_without_a_found_draft(countries):
    mx = countries["MX"]
    make_case(mx, given_name="Ana", case_number="MX-L-1")
    make_case(mx, given_name="Unpublished", case_number="MX-L-2", publish=False)
    found = make_case(mx, given_name="Found", case_number="MX-L-3")
    found.status = CaseStatus.FOUND
    found.save_revision().publish()
    drafted = make_case(mx, given_name="Drafted", case_number="MX-L-4")
    drafted.status = CaseStatus.FOUND
    drafted.save_revision()  # only a draft: the public page still says "missing"
    edited = make_case(mx, given_name="Edited", case_number="MX-L-5")
    edited.height_cm = 120
    edited.save_revision()  # a draft that changes something else keeps the case listed

    assert listed_numbers(mx) == ["MX-L-1", "MX-L-5"]
    # The same rule for one case in memory, as the face gallery's jobs ask it.
    for case in CasePage.objects.descendant_of(mx.site.root_page):
        listed = CasePage.objects.listed().filter(pk=case.pk).exists()
        assert case.is_listed() == listed, case.case_number
