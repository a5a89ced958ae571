"""The pages of a country site that are not cases: its home page and plain content pages.

A country's home page is its Site's root page; each language has its own copy (a translation
managed by wagtail-localize), which carries the translatable contact and legal text.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from sitegen import urls

STATIC_SITE_PREVIEW = "homeward_static_site_preview"
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class StaticSitePage:
    """A page whose public face is the static site, never the CMS.

    Previews render with the static sites' own templates (cms.publishing.preview), and the
    CMS's own address of a live page redirects to the page on the static site. Its URL, wherever
    Wagtail shows one ("View live", listings, messages, links in rich text), is its address on
    the public sites (HOMEWARD_PUBLIC_URL), never the Site's own hostname, which nothing serves.
    """

    def public_path(self, site: str, language: str) -> str:
        """This page's address on the static site of ``site`` in ``language``."""
        return urls.page_path(site, language, self.slug)

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None:
            return None
        from django.conf import settings

        from cms.countries.addresses import public_url

        base = settings.HOMEWARD_PUBLIC_URL.rstrip("/")
        return (parts[0], base, public_url(self).removeprefix(base))

    def get_url(self, request=None, current_site=None):
        # Always the whole address: the public sites are never on the CMS's own host, so
        # Wagtail's relative path (meant for pages the CMS serves itself) would open nothing.
        return self.get_full_url(request=request)

    url = property(get_url)

    def _get_dummy_header_url(self, original_request=None):
        # Previews render in the CMS: their request comes to the CMS's host, not the public one.
        from django.conf import settings

        if original_request is not None:
            return original_request.build_absolute_uri()
        return settings.WAGTAILADMIN_BASE_URL

    def serve_preview(self, request, mode_name):
        # The publishing app renders it with the static sites' own templates and registers the
        # function as a Wagtail hook (cms.publishing.wagtail_hooks): this app imports nothing of
        # it, so the apps depend one way (countries <- cases <- publishing).
        from wagtail import hooks

        (preview_response,) = hooks.get_hooks(STATIC_SITE_PREVIEW)
        return preview_response(self, mode_name)

    def serve(self, request, *args, **kwargs):
        from django.http import HttpResponseRedirect

        from cms.countries.addresses import public_url

        return HttpResponseRedirect(public_url(self))


class CountryHomePage(StaticSitePage, Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    # Plain text: shown in every page's footer and on posters.
    contact_text = models.TextField(_("contact"), blank=True, max_length=4000)
    legal_text = models.TextField(_("legal notice"), blank=True, max_length=4000)
    poster_footer = models.CharField(
        _("poster footer"),
        max_length=600,
        blank=True,
        help_text=_("A short line printed at the foot of every poster in this language."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("contact_text"),
        FieldPanel("legal_text"),
        FieldPanel("poster_footer"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cases.CaseIndexPage", "countries.ContentPage"]

    class Meta:
        verbose_name = _("country home page")

    def public_path(self, site: str, language: str) -> str:
        return urls.site_root(site, language)

    def get_country(self):
        from cms.countries.models import Country

        return Country.objects.filter(site__root_page__translation_key=self.translation_key).first()


class NetworkHomePage(StaticSitePage, Page):
    """The home of the network's own site (statistics, research, training live below it)."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["countries.ContentPage"]

    class Meta:
        verbose_name = _("network home page")


class ContentPage(StaticSitePage, Page):
    """A plain page: about, how to help, contact, privacy."""

    # Translators: the main text of a page.
    body = RichTextField(_("body"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("body")]

    def clean(self) -> None:
        """Refuse a slug the public site uses itself (``/<site>/<lang>/near/``...): every
        content page's address is ``/<site>/<lang>/<slug>/``, however deep the page is here."""
        super().clean()
        if self.slug in urls.RESERVED_SLUGS:
            taken = ", ".join(sorted(urls.RESERVED_SLUGS))
            raise ValidationError(
                {
                    "slug": _(
                        "The public site uses this address itself; choose another slug (these "
                        "are taken: %(taken)s)."
                    )
                    % {"taken": taken}
                }
            )

    parent_page_types = [
        "countries.CountryHomePage",
        "countries.NetworkHomePage",
        "countries.ContentPage",
    ]
    subpage_types = ["countries.ContentPage"]

    class Meta:
        verbose_name = _("content page")
