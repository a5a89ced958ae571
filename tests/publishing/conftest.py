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
