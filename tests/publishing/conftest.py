import pytest

from cms.publishing.tasks import export_and_build


@pytest.fixture
def public(settings, tmp_path, countries):
    """Where the export and the build go, per test; countries carry a hotline and an agency."""
    settings.HOMEWARD_CONTENT_DIR = tmp_path / "content"
    settings.HOMEWARD_OUTPUT_DIR = tmp_path / "output"
    settings.HOMEWARD_PUBLIC_URL = "http://sites.test"
    for country in countries.values():
        country.hotline_number = "+1 555 0199"
        country.hotline_label = "Hotline (fictional)"
        country.save()
    return tmp_path


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
