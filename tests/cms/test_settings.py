"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_environment(tmp_path) -> dict[str, str]:
    """Everything production requires, and nothing more."""
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "cms.homeward.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "HOMEWARD_VAR_DIR": str(tmp_path),
        "WAGTAILADMIN_BASE_URL": "https://cms.homeward.example",
        "HOMEWARD_PUBLIC_URL": "https://sites.homeward.example",
        "HOMEWARD_SITE_ORIGINS": "https://sites.homeward.example",
        "HOMEWARD_TRUSTED_PROXIES": "1",
        "DEFAULT_FROM_EMAIL": "Homeward <alerts@homeward.example>",
    }


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides=production_environment(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        # Without these, production would send visitors, tip forms, CORS checks and emails to
        # localhost, and count every visitor behind the proxy as one address.
        "WAGTAILADMIN_BASE_URL",
        "HOMEWARD_PUBLIC_URL",
        "HOMEWARD_SITE_ORIGINS",
        "HOMEWARD_TRUSTED_PROXIES",
        "DEFAULT_FROM_EMAIL",
    ],
)
def test_production_refuses_to_start_without_what_it_requires(tmp_path, name):
    environment = production_environment(tmp_path) | {name: ""}  # also unset if CI sets it
    result = run_manage("check", env_overrides=environment)
    assert result.returncode != 0
    assert f"Set the environment variable {name}." in result.stderr


def test_production_refuses_an_address_that_is_not_one(tmp_path):
    environment = production_environment(tmp_path) | {"HOMEWARD_PUBLIC_URL": "sites.example"}
    result = run_manage("check", env_overrides=environment)
    assert result.returncode != 0
    assert "HOMEWARD_PUBLIC_URL must be an address like https://example.org" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        (
            "https://tiles.agency.example/{z}/{x}/{y}.png",
            "https://tiles.agency.example/{z}/{x}/{y}.png",
        ),
        ("none", ""),
    ],
)
def test_the_case_maps_tiles_come_from_the_environment(tmp_path, value, expected):
    """An agency names its own tile server, or none: the case editor's map then asks nothing
    of another host (tests/accounts/test_no_third_parties.py)."""
    overrides = {"HOMEWARD_VAR_DIR": str(tmp_path)}
    if value is not None:
        overrides["HOMEWARD_MAP_TILES"] = value
    code = "from django.conf import settings; print(repr(settings.HOMEWARD_MAP_TILES))"
    result = run_manage("shell", "-c", code, env_overrides=overrides)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(expected)
