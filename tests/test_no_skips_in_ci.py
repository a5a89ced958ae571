"""No silent skips in CI: a test skipped for a missing photo, service or browser fails there."""

import pytest

pytest_plugins = ["pytester"]

SKIPPING = """
import pytest

def test_needs_photos():
    pytest.skip("face photos not found")

@pytest.mark.skipif(True, reason="needs Redis")
def test_needs_redis():
    pass

@pytest.mark.xfail(reason="known")
def test_known_failure():
    assert False

def test_runs():
    pass
"""


# In CI a skip in the test body fails it; a skip mark (decided at setup) is an error.
@pytest.mark.parametrize(("ci", "failed", "errors", "skipped"), [("true", 1, 1, 0), ("", 0, 0, 2)])
def test_a_skipped_test_fails_in_ci_only(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    ci: str,
    failed: int,
    errors: int,
    skipped: int,
) -> None:
    monkeypatch.setenv("CI", ci)
    pytester.makepyfile(SKIPPING)
    result = pytester.runpytest_inprocess(
        "-p", "tests.no_skips_in_ci", "-p", "no:randomly", "-p", "no:django"
    )
    result.assert_outcomes(passed=1, failed=failed, errors=errors, skipped=skipped, xfailed=1)
    if failed:
        result.stdout.fnmatch_lines(["*skipped in CI, where nothing may be*face photos not found*"])
        result.stdout.fnmatch_lines(["*skipped in CI, where nothing may be*needs Redis*"])
