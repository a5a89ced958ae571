"""Every shipped locale's catalog is complete, not fuzzy, and up to date with the templates."""

from __future__ import annotations

from sitegen.i18n import translations
from sitegen.messages import SHIPPED_LOCALES, check_catalogs


def test_catalogs_are_complete_and_current() -> None:
    problems = check_catalogs()
    assert problems == [], "run: uv run python -m sitegen messages, then translate:\n" + "\n".join(
        problems
    )


def test_catalogs_compile_in_memory_with_plurals() -> None:
    for locale in SHIPPED_LOCALES:
        catalog = translations(locale)
        assert catalog.ngettext("%(num)s year", "%(num)s years", 5) % {"num": 5}
    assert translations("uk").ngettext("%(num)s year", "%(num)s years", 3) == "%(num)s роки"
    assert translations("ar").ngettext("%(num)s year", "%(num)s years", 2) == "سنتان"
    assert translations("es").pgettext("poster heading, girl", "Missing") == "Desaparecida"
