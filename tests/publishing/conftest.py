import time

import pytest

from cms.publishing.tasks import export_and_build


def output_bytes(root) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def publish_all(public):
    def run(site=None):
        return export_and_build(site)

    return run


def mark_found(case, capture_on_commit) -> float:
    """The child marked found and published as an editor does it: the seconds from the click
    until the publishing task it queues (run on commit) has ended."""
    from cms.cases.models import CasePage, CaseStatus

    found = CasePage.objects.get(pk=case.pk)
    found.status = CaseStatus.FOUND
    clicked = time.perf_counter()
    with capture_on_commit(execute=True):
        found.save_revision().publish()
    return time.perf_counter() - clicked
