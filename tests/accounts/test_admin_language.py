"""The admin speaks one language at a time: an editor who works in Spanish, Ukrainian or Arabic
sees no English left over on the pages an editor uses.

A crawler signs in with the language chosen in the editor's account and reads every text and
label (placeholder, aria-label, title) of those pages. A text is an English leftover when it is
one of the admin's own English strings (a msgid of Wagtail's, Django's or our catalogs) that the
active language has no translation for, or one of the mixes users reported ("Exploring: Root",
"Enviar a México review", "1-1 of 1 None").
"""

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from babel.messages.pofile import read_po
from django.conf import global_settings, settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from cms.cases.models import CaseIndexPage
from tests.conftest import PASSWORD, speaking

LANGUAGES = [("es", "MX"), ("uk", "UA"), ("ar", "MX")]
# Mixes seen in the admin: a language's sentence around English words.
KNOWN_LEFTOVERS = [
    re.compile(r"\bRoot\b"),
    re.compile(r"\breview\b"),
    re.compile(r"\bNone\b"),
    re.compile(r"\d+-\d+ of \d+"),
    re.compile(r"\bExploring\b"),
    re.compile(r"\bcreated in\b"),
]


class VisibleText(HTMLParser):
    """The texts a person reads or hears on a page: text nodes outside scripts, styles and
    templates, and the labels a screen reader or a mouse pointer shows."""

    HIDDEN = {"script", "style", "template"}
    LABELS = ("placeholder", "aria-label", "title", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.open: list[bool] = []  # for each open element: whether it hides what it holds

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag not in self.VOID:
            self.open.append(tag in self.HIDDEN or "hidden" in names)
        for name in self.LABELS:
            if names.get(name, "").strip() and not any(self.open):
                self.texts.append(names[name].strip())

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        if not any(self.open) and data.strip():
            self.texts.append(re.sub(r"\s+", " ", data.strip()))


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@functools.cache
def english_msgids() -> tuple[str, ...]:
    """Every English string of the admin: the msgids of Wagtail's catalogs (its English
    catalogs list every one) and of ours."""
    files = [
        *Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"),
        Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po",
    ]
    msgids = []
    for path in files:
        with path.open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                msgids += [msgid for msgid in ids if msgid]
    return tuple(msgids)


@functools.cache
def english_sources() -> frozenset[str]:
    """The admin's English strings without placeholders, and the names of languages."""
    sources = {str(name) for _code, name in global_settings.LANGUAGES}  # Django's names
    sources.update(
        msgid for msgid in english_msgids() if "%" not in msgid and re.search("[A-Za-z]{3}", msgid)
    )
    return frozenset(sources)


@functools.cache
def english_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The admin's English strings with placeholders, each as a pattern of the text it makes
    ("More options for '%(title)s'" matches "More options for 'Camila'")."""
    patterns = {}
    for msgid in english_msgids():
        parts = re.split(r"%\(\w+\)[sd]", msgid)
        if len(parts) > 1 and "<" not in msgid and re.search("[A-Za-z]{3}", "".join(parts)):
            pattern = ".+?".join(re.escape(part) for part in parts)
            patterns[msgid] = re.compile(f"{pattern}$")
    return tuple(patterns.items())


def untranslated(texts: list[str], language: str) -> list[str]:
    known = trans_real.translation(language)._catalog
    sources = english_sources()
    # Untranslated, or translated but shown in English all the same (a name never passed
    # through gettext: "Arabic" in the page tree).
    leftovers = [text for text in texts if text in sources and known.get(text) != text]
    leftovers += [text for text in texts for pattern in KNOWN_LEFTOVERS if pattern.search(text)]
    # A sentence with a value put in, made from an English string left untranslated.
    leftovers += [
        text
        for text in texts
        for msgid, pattern in english_patterns()
        if msgid not in known and pattern.match(text)
    ]
    return sorted(set(leftovers))


def editor_pages(country) -> dict[str, str]:
    """What an editor opens in a day: the dashboard, the page tree down to a case, the case's
    form, images, documents, the country's settings and their account."""
    home = country.site.root_page
    index = CaseIndexPage.objects.child_of(home).get()
    case = index.get_children().first()
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore_root"),
        "home": reverse("wagtailadmin_explore", args=[home.pk]),
        "cases": reverse("wagtailadmin_explore", args=[index.pk]),
        "case": reverse("wagtailadmin_pages:edit", args=[case.pk]),
        "new case": reverse("wagtailadmin_pages:add", args=["cases", "casepage", index.pk]),
        "search": reverse("wagtailadmin_pages:search") + "?q=a",
        "images": reverse("wagtailimages:index"),
        "documents": reverse("wagtaildocs:index"),
        "settings": reverse("countries:index"),
        "country": reverse("countries:edit", args=[country.pk]),
        "account": reverse("wagtailadmin_account"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "code"), LANGUAGES)
def test_an_editor_sees_the_admin_in_one_language(client, staff, countries, cases, language, code):
    editor = staff[code]["editor"]
    speaking(editor, language)
    assert client.login(username=editor.username, password=PASSWORD)
    found = {}
    for name, url in editor_pages(countries[code]).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        html = response.content.decode()
        assert f'lang="{language}"' in html, name
        if leftovers := untranslated(visible_texts(html), language):
            found[name] = leftovers
    assert found == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "code"), LANGUAGES)
def test_a_refusal_is_said_in_the_language_of_the_account(client, staff, countries, language, code):
    """An investigator who opens a lead that is not theirs (another country's, or none: both are
    refused alike) is sent to the dashboard with the refusal in the language of their account,
    whatever the browser asks for: Wagtail writes that message outside its views' language."""
    investigator = staff[code]["investigator"]
    speaking(investigator, language)
    assert client.login(username=investigator.username, password=PASSWORD)
    response = client.get(
        reverse("leads:review", args=[987654]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    english = "Sorry, you do not have permission to access this area."
    with translation.override(language):
        said = translation.gettext(english)
    assert said != english
    html = response.content.decode()
    assert said in html
    assert english not in html
    assert f'lang="{language}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "code"), LANGUAGES)
def test_another_countrys_page_is_refused_in_the_language_of_the_account(
    client, staff, countries, language, code
):
    """An editor who opens the address of another country's page gets a 403 page that says why
    and leads back to the dashboard, in their language and direction (Django's own page is "403
    Forbidden"), and names nothing of the page."""
    editor = staff[code]["editor"]
    speaking(editor, language)
    other = countries["UA" if code == "MX" else "MX"].site.root_page
    assert client.login(username=editor.username, password=PASSWORD)
    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[other.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert response["Content-Language"] == language
    html = response.content.decode()
    with translation.override(language):
        title = translation.gettext("You may not open this page")
    assert title != "You may not open this page"
    assert f"<h1>{title}</h1>" in html
    assert f'lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"' in html
    assert f'href="{reverse("wagtailadmin_home")}"' in html
    assert other.title not in html
    assert untranslated(visible_texts(html), language) == []
