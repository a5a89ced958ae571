"""The admin in one language: Wagtail's own strings that its catalogs lack in our languages.

Wagtail's Spanish, Ukrainian and Arabic catalogs miss strings that newer versions added, so an
editor working in Spanish read "Exploring", "1-11 of 11 casos", "Filter by" or "Search…" among
Spanish words. Django looks a string up in the CMS's own catalogs (translations/, first in
LOCALE_PATHS) before Wagtail's: listing those strings here, word for word as Wagtail's templates
and code write them, puts them in our catalogs (``python -m sitegen messages``), where they are
translated into every language the CMS ships. Where Wagtail has a translation, ours is the same.

The list covers what an editor sees on the pages they use (tests/cms/test_admin_language.py
walks them in each language). Nothing here is called: the strings are only marked.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

WAGTAIL_STRINGS = [
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across entire site."
    ),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in "
        "'<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Any"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Change privacy"),
    gettext_noop("Checks"),
    gettext_noop("Close dialog"),
    gettext_noop("Content metrics"),
    gettext_noop("Dark"),
    gettext_noop("Date updated"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Edited by"),
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
    gettext_noop("Exploring"),
    gettext_noop("Filter by"),
    gettext_noop("First published"),
    gettext_noop("Grid layout"),
    gettext_noop("Has child pages"),
    gettext_noop("Issues found"),
    gettext_noop("Keyboard shortcuts"),
    gettext_noop("Light"),
    gettext_noop("List layout"),
    gettext_noop("Loading"),
    gettext_noop("Maximum"),
    gettext_noop("Minimap"),
    gettext_noop("Minimum"),
    gettext_noop("More contrast"),
    gettext_noop("No other translations"),
    gettext_noop("Not visible to the public"),
    gettext_noop("Once live anyone can view"),
    gettext_noop("Page type"),
    gettext_noop(
        "Pages created here will not be accessible at any URL. To add pages to an existing site, "
        "create them as children of the homepage."
    ),
    gettext_noop("Preview in desktop size"),
    gettext_noop("Preview in mobile size"),
    gettext_noop("Preview in new tab"),
    gettext_noop("Preview in tablet size"),
    gettext_noop("Preview mode"),
    gettext_noop("Private. Visit the live page"),
    gettext_noop("Readability"),
    gettext_noop("Reading time"),
    gettext_noop("Saved"),
    gettext_noop("Search all pages…"),
    gettext_noop("Search…"),
    gettext_noop("Select"),
    gettext_noop("Show filters"),
    gettext_noop("Show issue"),
    gettext_noop("Side panel width"),
    gettext_noop("Side panels"),
    gettext_noop("Sidebar"),
    gettext_noop("Snug"),
    gettext_noop("Submit to %(workflow_name)s"),
    gettext_noop("Switch locales"),
    gettext_noop("System default"),
    gettext_noop("The page '%(page_title)s' was successfully created in %(locales)s"),
    gettext_noop("This data explained"),
    gettext_noop("Toggle breadcrumbs"),
    gettext_noop("Toggle checks"),
    gettext_noop("Toggle preview"),
    gettext_noop("Toggle section"),
    gettext_noop("Toggle side panel"),
    gettext_noop("Toggle status"),
    gettext_noop("Usage count"),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Use server time zone"),
    gettext_noop("Visible to all"),
    gettext_noop("Visible to all. Visit the live page"),
    gettext_noop("Words"),
    gettext_noop("A network error occurred"),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a "
        "separate tab to view the last saved version."
    ),
    gettext_noop("View latest version"),
    gettext_noop("Go to the first error"),
    gettext_noop("More options for '%(title)s'"),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
]
