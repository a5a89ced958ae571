"""Gettext catalog upkeep: extract UI strings, update every shipped catalog, check, compile.

Two gettext domains live side by side in ``translations/<lang>/LC_MESSAGES/``:

- ``messages.po``: the generator and its themes, extracted with ``babel.cfg`` (``sitegen/**.py``
  and ``themes/**``). No ``.mo`` is written: the build compiles it in memory (``sitegen.i18n``).
- ``django.po``: the CMS, extracted with ``babel-django.cfg`` (``cms/**.py`` except migrations and
  the demo content, and the ``N_``-marked labels of ``match_worker``) and Django's translation
  functions as keywords (``DJANGO_KEYWORDS``). Django reads it compiled, as ``django.mo`` beside
  it (``LOCALE_PATHS`` in ``cms/settings/base.py``).

``python -m sitegen messages`` extracts both domains with Babel, updates the catalog of every
shipped locale (creating missing ones, dropping obsolete entries, no fuzzy matching, no source
locations so diffs stay reviewable; English is filled from the source strings), compiles the
``django.mo`` files and reports what is left to translate. ``--check`` only reports: a missing,
untranslated, fuzzy or stale entry, or a msgstr whose placeholders differ from its msgid's.
``--compile`` only writes ``django.mo`` for every shipped locale (the files are not committed:
run it after a checkout and before starting the CMS).

Babel reads the CMS's source as text: nothing here imports Django. It writes only into
``translations/``.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = REPO / "translations"
SHIPPED_LOCALES = ("en", "es", "fr", "ar", "uk")
SOURCE_LOCALE = "en"

# The functions of django.utils.translation that mark a string, in GNU gettext keyword style.
DJANGO_KEYWORDS = (
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext:1,2",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "pgettext_lazy:1c,2",
    "npgettext:1c,2,3",
    "npgettext_lazy:1c,2,3",
    "N_",  # match_worker's no-op marker: the CMS translates those labels when it shows them
)


@dataclass(frozen=True)
class Domain:
    name: str
    mapping_file: str
    ignore_dirs: str  # directories Babel does not even walk (the mapping file decides the rest)
    keywords: tuple[str, ...] | None = None  # None: Babel's default keywords

    def catalog_file(self, locale: str) -> Path:
        return TRANSLATIONS / locale / "LC_MESSAGES" / f"{self.name}.po"


GENERATOR = Domain(
    "messages",
    "babel.cfg",
    ".* ._ __pycache__ content tests cms match_worker translations",
)
CMS = Domain(
    "django",
    "babel-django.cfg",
    ".* ._ __pycache__ content tests sitegen themes translations",
    DJANGO_KEYWORDS,
)
DOMAINS = (GENERATOR, CMS)
COMPILED_DOMAINS = (CMS,)  # the generator's catalogs are compiled in memory by sitegen.i18n


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call]


def extract(pot: Path, domain: Domain = GENERATOR) -> Catalog:
    """Extract every UI string of one domain into a template catalog at `pot`."""
    keywords: list[str] = []
    if domain.keywords is not None:
        keywords.append("--no-default-keywords")
        for keyword in domain.keywords:
            keywords += ["--keyword", keyword]
    _pybabel(
        "extract",
        "--mapping-file", str(REPO / domain.mapping_file),
        "--output-file", str(pot),
        "--no-location",
        "--sort-output",
        "--project", "Homeward",
        "--add-comments", "Translators:",
        "--ignore-dirs", domain.ignore_dirs,
        *keywords,
        str(REPO),
    )  # fmt: skip
    with pot.open("rb") as handle:
        return read_po(handle)


def catalog_file(locale: str, domain: Domain = GENERATOR) -> Path:
    return domain.catalog_file(locale)


def update_catalogs() -> None:
    """Extract, then create or update every shipped catalog of every domain, then compile."""
    for domain in DOMAINS:
        _update_domain(domain)
    compile_catalogs()


def _update_domain(domain: Domain) -> None:
    before = {
        path: path.read_bytes()
        for path in map(domain.catalog_file, SHIPPED_LOCALES)
        if path.exists()
    }
    with tempfile.TemporaryDirectory() as temporary:
        pot = Path(temporary) / f"{domain.name}.pot"
        extract(pot, domain)
        for locale in SHIPPED_LOCALES:
            command = "update" if domain.catalog_file(locale).exists() else "init"
            options = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
            _pybabel(
                command,
                "--domain", domain.name,
                "--input-file", str(pot),
                "--output-dir", str(TRANSLATIONS),
                "--locale", locale,
                "--no-wrap",
                *options,
            )  # fmt: skip
    _fill_source_catalog(domain)
    for path, old in before.items():
        if _without_dates(path.read_bytes()) == _without_dates(old):
            path.write_bytes(old)  # only the header dates moved: keep the file as it was


_HEADER_DATE = re.compile(rb'^"(?:POT-Creation|PO-Revision)-Date: [^"]*"\n', re.MULTILINE)


def _without_dates(po: bytes) -> bytes:
    return _HEADER_DATE.sub(b"", po)


def _fill_source_catalog(domain: Domain) -> None:
    path = domain.catalog_file(SOURCE_LOCALE)
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


def compile_catalogs() -> list[Path]:
    """Write ``django.mo`` beside every shipped ``django.po``; return the files that changed.

    Each file is replaced atomically and only when its bytes change, so test workers or a
    running CMS never read half a catalog. Fuzzy and untranslated entries are left out, so
    Django shows the English source for them.
    """
    changed = []
    for domain in COMPILED_DOMAINS:
        for locale in SHIPPED_LOCALES:
            source = domain.catalog_file(locale)
            with source.open("rb") as handle:
                catalog = read_po(handle, locale=locale, domain=domain.name)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            data = buffer.getvalue()
            target = source.with_suffix(".mo")
            if target.exists() and target.read_bytes() == data:
                continue
            with tempfile.NamedTemporaryFile(
                dir=target.parent, prefix=f".{target.name}.", delete=False
            ) as temporary:
                temporary.write(data)
            os.replace(temporary.name, target)
            changed.append(target)
    return changed


# printf-style placeholders as Python's % operator reads them: %(name)s, %s, %5.1f; not %%.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # mapping key
    r"[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision, length
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)


def placeholders(text: str) -> Counter[str]:
    """The placeholders of a string, e.g. ``%(name)s`` and ``%d``, with how often each occurs."""
    return Counter(
        match.group(0) for match in PLACEHOLDER.finditer(text) if match.group("type") != "%"
    )


def placeholder_problem(message: Message) -> str | None:
    """Why a translation would show wrong or crash on formatting, or None if it is fine.

    A singular message must use exactly the placeholders of its msgid. A plural form may leave
    one out (Arabic says "two years" with no number) but may not bring in one the code does
    not pass.
    """
    if "python-format" not in message.flags:
        return None
    ids = message.id if isinstance(message.id, tuple) else (str(message.id),)
    strings = message.string if isinstance(message.string, tuple) else (str(message.string),)
    wanted: Counter[str] = Counter()
    for msgid in ids:
        wanted |= placeholders(msgid)
    for string in strings:
        found = placeholders(string)
        if isinstance(message.id, tuple):
            extra = sorted(set(found) - set(wanted))
            if extra:
                return f"placeholders not in the msgid: {', '.join(extra)}"
        elif found != wanted:
            return (
                f"placeholders differ: msgid has {sorted(wanted.elements())}, "
                f"msgstr has {sorted(found.elements())}"
            )
    return None


def check_catalogs() -> list[str]:
    """Every problem that would show a user an English or wrong string; empty when all good."""
    problems: list[str] = []
    for domain in DOMAINS:
        problems += check_domain(domain)
    return problems


def _key(message: Message) -> object:
    """A message's identity: its msgid, with its context when it has one."""
    return (message.context, message.id) if message.context else message.id


def check_domain(domain: Domain) -> list[str]:
    """The problems of one domain's catalogs (see check_catalogs)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as temporary:
        template = extract(Path(temporary) / f"{domain.name}.pot", domain)
    wanted = {_key(message) for message in template if message.id}
    for locale in SHIPPED_LOCALES:
        where = f"{locale} {domain.name}.po"
        path = domain.catalog_file(locale)
        if not path.exists():
            problems.append(f"{where}: catalog {path.relative_to(REPO)} is missing")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        present = {_key(message) for message in catalog if message.id}
        for key in sorted(wanted - present, key=str):
            problems.append(f"{where}: not in catalog (run python -m sitegen messages): {key!r}")
        for key in sorted(present - wanted, key=str):
            problems.append(f"{where}: no longer used, remove: {key!r}")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{where}: fuzzy: {message.id!r}")
            elif not all(strings):
                problems.append(f"{where}: untranslated: {message.id!r}")
            elif isinstance(message.string, tuple) and len(strings) != catalog.num_plurals:
                problems.append(
                    f"{where}: needs {catalog.num_plurals} plural forms: {message.id!r}"
                )
            elif problem := placeholder_problem(message):
                problems.append(f"{where}: {problem}: {message.id!r}")
        if catalog.obsolete:
            problems.append(f"{where}: {len(catalog.obsolete)} obsolete entries")
    return problems


def main(*, check: bool = False, compile_only: bool = False) -> int:
    """``python -m sitegen messages [--check | --compile]``; returns the exit status."""
    if compile_only:
        for path in compile_catalogs():
            print(f"compiled {path.relative_to(REPO)}")
        return 0
    if check:
        problems = check_catalogs()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    update_catalogs()
    for problem in check_catalogs():
        print(f"to translate: {problem}", file=sys.stderr)
    return 0
