"""Gettext catalog upkeep: extract UI strings, update every shipped catalog, check completeness.

``python -m sitegen messages`` extracts with Babel (``babel.cfg``: ``sitegen/**.py`` and
``themes/**``), updates ``translations/<lang>/LC_MESSAGES/messages.po`` for every shipped locale
(creating missing ones, dropping obsolete entries, no fuzzy matching, no source locations so diffs
stay reviewable) and reports what is left to translate. ``--check`` only reports.
No ``.mo`` is written: the build compiles catalogs in memory (``sitegen.i18n``).

It writes only into ``translations/``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = REPO / "translations"
SHIPPED_LOCALES = ("en", "es", "fr", "ar", "uk")
SOURCE_LOCALE = "en"


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def extract(pot: Path) -> Catalog:
    """Extract every UI string of the generator and themes into a template catalog."""
    _pybabel(
        "extract",
        "--mapping-file", str(REPO / "babel.cfg"),
        "--output-file", str(pot),
        "--no-location",
        "--sort-output",
        "--project", "Homeward",
        "--add-comments", "Translators:",
        "--ignore-dirs", ".* ._ __pycache__ content tests cms match_worker translations",
        str(REPO),
    )  # fmt: skip
    with pot.open("rb") as handle:
        return read_po(handle)


def catalog_file(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def update_catalogs() -> None:
    """Extract, then create or update every shipped catalog (English is filled from source)."""
    with tempfile.TemporaryDirectory() as temporary:
        pot = Path(temporary) / "messages.pot"
        extract(pot)
        for locale in SHIPPED_LOCALES:
            command = "update" if catalog_file(locale).exists() else "init"
            options = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
            _pybabel(
                command,
                "--input-file", str(pot),
                "--output-dir", str(TRANSLATIONS),
                "--locale", locale,
                "--no-wrap",
                *options,
            )  # fmt: skip
    _fill_source_catalog()


def _fill_source_catalog() -> None:
    path = catalog_file(SOURCE_LOCALE)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=SOURCE_LOCALE)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True)


def check_catalogs() -> list[str]:
    """Every problem that would show a visitor an English or wrong string; empty when all good."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as temporary:
        template = extract(Path(temporary) / "messages.pot")
    wanted = {message.id for message in template if message.id}
    for locale in SHIPPED_LOCALES:
        path = catalog_file(locale)
        if not path.exists():
            problems.append(f"{locale}: catalog {path.relative_to(REPO)} is missing")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        present = {message.id for message in catalog if message.id}
        for msgid in sorted(wanted - present, key=str):
            problems.append(f"{locale}: not in catalog (run python -m sitegen messages): {msgid!r}")
        for msgid in sorted(present - wanted, key=str):
            problems.append(f"{locale}: no longer used, remove: {msgid!r}")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{locale}: fuzzy: {message.id!r}")
            elif not all(strings):
                problems.append(f"{locale}: untranslated: {message.id!r}")
            elif isinstance(message.string, tuple) and len(strings) != catalog.num_plurals:
                problems.append(
                    f"{locale}: needs {catalog.num_plurals} plural forms: {message.id!r}"
                )
        if catalog.obsolete:
            problems.append(f"{locale}: {len(catalog.obsolete)} obsolete entries")
    return problems
