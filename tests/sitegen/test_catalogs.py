"""Every shipped locale's catalogs are complete, not fuzzy, and up to date with the code.

Two domains: ``messages`` (the generator and its themes) and ``django`` (the CMS).
"""

from __future__ import annotations

import shutil

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

from sitegen import messages
from sitegen.i18n import translations
from sitegen.messages import CMS, SHIPPED_LOCALES, check_catalogs, check_domain


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


def test_cms_strings_are_extracted_with_djangos_keywords(tmp_path) -> None:
    template = messages.extract(tmp_path / "django.pot", CMS)
    ids = {(message.context, message.id) for message in template if message.id}
    assert (None, "Photo of %(name)s") in ids  # gettext as _
    assert (None, "Missing children") in ids  # provisioning's default page title
    assert (None, "country") in ids  # gettext_lazy as _, a verbose name
    assert ("a person's name", "name") in ids  # pgettext_lazy
    generator = messages.extract(tmp_path / "messages.pot")
    assert "Skip to content" in {message.id for message in generator}
    assert (None, "Skip to content") not in ids  # the domains do not mix


def _copy_translations(tmp_path, monkeypatch):
    copy = tmp_path / "translations"
    shutil.copytree(messages.TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(messages, "TRANSLATIONS", copy)
    return copy


def _edit(path, change) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    change(catalog)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def _set(msgid: str, string: str, fuzzy: bool = False):
    def change(catalog):
        message = catalog[msgid]
        message.string = string
        if fuzzy:
            message.flags.add("fuzzy")

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set("Photo of %(name)s", ""), "untranslated: 'Photo of %(name)s'"),
        (_set("Photo of %(name)s", "Foto de %(name)s", fuzzy=True), "fuzzy: 'Photo of %(name)s'"),
        (
            _set("Photo of %(name)s", "Foto de %(nombre)s"),
            "placeholders differ: msgid has ['%(name)s'], msgstr has ['%(nombre)s']",
        ),
        (_set("Photo of %(name)s", "Foto"), "placeholders differ"),
        (
            lambda catalog: catalog.delete("Missing children"),
            "not in catalog (run python -m sitegen messages): 'Missing children'",
        ),
        (
            lambda catalog: catalog.add("Removed from the code", "Quitado del código"),
            "no longer used, remove: 'Removed from the code'",
        ),
    ],
)
def test_cms_catalog_check_finds_every_kind_of_problem(
    tmp_path, monkeypatch, change, expected
) -> None:
    copy = _copy_translations(tmp_path, monkeypatch)
    assert check_domain(CMS) == []
    _edit(copy / "es" / "LC_MESSAGES" / "django.po", change)
    problems = check_domain(CMS)
    assert len(problems) == 1, problems
    assert problems[0].startswith("es django.po: ")
    assert expected in problems[0]


def test_placeholders_may_be_left_out_of_a_plural_form_but_never_added() -> None:
    dual = Message(
        ("%(num)s year", "%(num)s years"),
        ("%(num)s سنة", "سنتان", "%(num)s سنوات"),
        flags={"python-format"},
    )
    assert messages.placeholder_problem(dual) is None
    wrong = Message(
        ("%(num)s year", "%(num)s years"), ("%(n)s", "%(num)s"), flags={"python-format"}
    )
    assert "not in the msgid: %(n)s" in messages.placeholder_problem(wrong)
    positional = Message("%s of %s", "%s", flags={"python-format"})
    assert "placeholders differ" in messages.placeholder_problem(positional)
    assert messages.placeholders("100%% sure, %(name)s, %d, %5.1f") == {
        "%(name)s": 1,
        "%d": 1,
        "%5.1f": 1,
    }


def test_compile_writes_django_mo_for_every_shipped_locale(tmp_path, monkeypatch) -> None:
    copy = _copy_translations(tmp_path, monkeypatch)
    written = messages.compile_catalogs()
    assert sorted(written) == sorted(
        copy / locale / "LC_MESSAGES" / "django.mo" for locale in SHIPPED_LOCALES
    )
    assert messages.compile_catalogs() == []  # unchanged bytes are not rewritten
    assert not list(copy.rglob("messages.mo"))  # sitegen compiles its own in memory
