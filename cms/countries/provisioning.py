"""Creating a member country in one step, and the network's own site.

`provision_country` makes everything a new country needs — locales, a Site, its page tree in each
of its languages, an image collection, and its editors and investigators groups with permissions
that reach only that country's pages and images — or nothing at all if any step fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail_localize.operations import TranslationCreator

from cms.countries.models import (
    PRIVATE_PERMISSION,
    ContentPage,
    Country,
    CountryHomePage,
    NetworkHomePage,
    parse_language_codes,
    validate_timezone,
)

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
INVESTIGATOR_PAGE_PERMISSIONS = ("add_page", "change_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
EDITOR_MODEL_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "countries.change_country",
    "wagtail_localize.submit_translation",
    # Alerts (cms.distribution): the people signed up (read, removed) and the organisations.
    "distribution.view_subscriber",
    "distribution.add_subscriber",
    "distribution.change_subscriber",
    "distribution.delete_subscriber",
)
INVESTIGATOR_MODEL_PERMISSIONS = (
    "wagtailadmin.access_admin",
    PRIVATE_PERMISSION,
    "tips.view_tip",
    "matching.view_lead",
    "matching.change_lead",
)


@dataclass(frozen=True)
class CountrySpec:
    code: str
    name: str
    languages: list[str]
    timezone: str = "UTC"
    hostname: str = ""

    @classmethod
    def parse(cls, code: str, name: str, languages: str, timezone: str = "UTC") -> CountrySpec:
        """Validate command-line style input, raising ValidationError with every problem found."""
        errors: dict[str, list[str]] = {}
        code = code.strip().upper()
        if len(code) != 2 or not code.isalpha() or not code.isascii():
            errors["code"] = [_("Use the two-letter ISO 3166 code, e.g. MX.")]
        elif Country.objects.filter(code=code).exists():
            errors["code"] = [_("Country %(code)s already exists.") % {"code": code}]
        if not name.strip():
            errors["name"] = [_("Give the country's name.")]
        try:
            codes = parse_language_codes(languages)
        except ValidationError as exc:
            errors["languages"] = exc.messages
            codes = []
        try:
            validate_timezone(timezone)
        except ValidationError as exc:
            errors["timezone"] = exc.messages
        if errors:
            raise ValidationError(errors)
        return cls(code, name.strip(), codes, timezone, f"{code.lower()}.localhost")


def case_index_page(**fields) -> Page:
    """A new list-of-cases page. The cases app builds on this one (cases -> countries), so its
    page model is looked up by name rather than imported."""
    return apps.get_model("cases", "CaseIndexPage")(**fields)


def _permissions(names) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def _page_permissions(codenames) -> list[Permission]:
    return _permissions(f"wagtailcore.{codename}" for codename in codenames)


def ensure_locales(codes: list[str]) -> list[Locale]:
    return [Locale.objects.get_or_create(language_code=code)[0] for code in codes]


def name_the_tree_root() -> None:
    """Call the page tree's root by the network's name: Wagtail names it "Root", an English
    word that its explorer shows in any admin language ("Explorando: Root")."""
    Page.objects.filter(depth=1, title="Root").update(
        title=settings.WAGTAIL_SITE_NAME, draft_title=settings.WAGTAIL_SITE_NAME
    )


def _root_collection() -> Collection:
    return Collection.get_first_root_node()


@transaction.atomic
def provision_country(spec: CountrySpec, user=None) -> Country:
    """Create the country described by `spec`; see the module docstring for what that means."""
    locales = ensure_locales(spec.languages)
    name_the_tree_root()
    root = Page.get_first_root_node()
    with translation.override(spec.languages[0]):
        home = root.add_child(
            instance=CountryHomePage(title=spec.name, slug=spec.code.lower(), locale=locales[0])
        )
        for child in (
            case_index_page(title=_("Missing children"), slug="cases", locale=locales[0]),
            ContentPage(title=_("About"), slug="about", locale=locales[0]),
        ):
            home.add_child(instance=child)
        for page in (home, *home.get_children().specific()):
            page.save_revision().publish()
    site = Site.objects.create(hostname=spec.hostname, port=80, root_page=home, site_name=spec.name)
    collection = _root_collection().add_child(name=spec.name)
    editors = Group.objects.create(name=f"{spec.name} ({spec.code}) editors")
    investigators = Group.objects.create(name=f"{spec.name} ({spec.code}) investigators")
    country = Country.objects.create(
        code=spec.code,
        name=spec.name,
        languages=",".join(spec.languages),
        timezone=spec.timezone,
        site=site,
        collection=collection,
        editors_group=editors,
        investigators_group=investigators,
    )
    translate_tree(home, locales[1:], user=user)
    grant_country_permissions(country)
    _create_review_workflow(country)
    return country


def translate_tree(page: Page, locales: list[Locale], user=None) -> None:
    """Create synced translations (wagtail-localize) of `page` and its descendants."""
    if not locales:
        return
    creator = TranslationCreator(user, locales)
    for each in page.get_descendants(inclusive=True).specific():
        creator.create_translations(each)
    # wagtail-localize publishes each new translation when the transaction commits, from a
    # revision saved before its children existed, which resets the tree's child count.
    transaction.on_commit(lambda: repair_child_counts(page.translation_key))


def repair_child_counts(translation_key) -> None:
    for home in Page.objects.filter(translation_key=translation_key):
        for node in Page.objects.filter(path__startswith=home.path):
            count = Page.objects.filter(path__startswith=node.path, depth=node.depth + 1).count()
            if node.numchild != count:
                Page.objects.filter(pk=node.pk).update(numchild=count)


def grant_country_permissions(country: Country) -> None:
    """(Re)grant both groups their permissions on every language copy of the country's tree."""
    roles = (
        (country.editors_group, EDITOR_PAGE_PERMISSIONS, EDITOR_MODEL_PERMISSIONS),
        (
            country.investigators_group,
            INVESTIGATOR_PAGE_PERMISSIONS,
            INVESTIGATOR_MODEL_PERMISSIONS,
        ),
    )
    homes = list(country.home_pages())
    for group, page_codenames, model_permissions in roles:
        group.permissions.add(*_permissions(model_permissions))
        for home in homes:
            for permission in _page_permissions(page_codenames):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=permission
                )
        for app_label, codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=country.collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


def _create_review_workflow(country: Country) -> None:
    """Cases submitted for review go to the country's own editors, not to any global group.

    The workflow and its task are named by the country alone: Wagtail puts their names into
    sentences of the reader's language ("Enviar a México", "Надіслати до Україна"), where
    English words around the name would read as a mix."""
    task = GroupApprovalTask.objects.create(name=country.name)
    task.groups.set([country.editors_group])
    workflow = Workflow.objects.create(name=country.name)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for home in country.home_pages():
        WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})


@transaction.atomic
def add_country_languages(country: Country, codes: list[str], user=None) -> None:
    """Give an existing country more languages: locales, translated tree, permissions."""
    existing = set(country.language_codes)
    new = [code for code in codes if code not in existing]
    if not new:
        return
    country.languages = ",".join([*country.language_codes, *new])
    country.save(update_fields=["languages"])
    translate_tree(country.site.root_page, ensure_locales(new), user=user)
    grant_country_permissions(country)
    workflow = WorkflowPage.objects.filter(page=country.site.root_page).first()
    if workflow:
        for home in country.home_pages():
            WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow.workflow})


@transaction.atomic
def provision_network_site(name: str, languages: list[str], user=None) -> Site:
    """Make the network's own site the default site, replacing Wagtail's welcome page."""
    locales = ensure_locales(languages)
    name_the_tree_root()
    root = Page.get_first_root_node()
    existing = NetworkHomePage.objects.filter(locale=locales[0]).first()
    if existing is None:
        existing = root.add_child(
            instance=NetworkHomePage(title=name, slug=slugify(name) or "network", locale=locales[0])
        )
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = existing
    site.site_name = name
    site.save()
    if old_root is not None and old_root.pk != existing.pk and old_root.specific_class is Page:
        old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    translate_tree(existing, locales[1:], user=user)
    return site
