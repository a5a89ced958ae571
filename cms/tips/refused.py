"""The page a visitor gets when the site's plain HTML tip form sent a report the API refused.

It is the site's own page (sitegen's theme, the site's language, direction and colours, its
header and hotline), rendered by ``sitegen.preview.render_tip_refused`` from the same site record
the export writes, and it holds the form again, filled with what the visitor typed: following
"Back" loses nothing, and neither does correcting the report right there. Served by the CMS, so
its Content-Security-Policy allows exactly what the page needs: its inline stylesheet (by hash),
the public site as the base of its links and images, and the tips API as the form's target.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, QueryDict

from cms.countries.models import Country
from cms.publishing import records
from sitegen import urls
from sitegen.errors import SnapshotError
from sitegen.preview import render_tip_refused

# What the page shows again (files never: a browser does not refill a file field).
SHOWN_AGAIN = ("description", "seen_place", "seen_at", "contact_phone", "case", "seen_tz")
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def refused_page(
    data: QueryDict, errors: list[str], status: int, next_url: str | None, zone: str
) -> HttpResponse | None:
    """The site's page for a refused report, or None when the report names no site that is
    published in its language (the caller then answers with a plain page)."""
    code = (data.get("site") or "").upper()
    country = Country.objects.filter(code=code).first() if code else None
    language = data.get("language") or ""
    if country is None or language not in country.language_codes:
        return None
    home = next(
        (page for page in country.home_pages() if page.locale.language_code == language), None
    )
    if home is None:
        return None
    public = settings.HOMEWARD_PUBLIC_URL.rstrip("/")
    site = records.site_record(country, home, public)
    sent = {name: (data.get(name) or "")[:5000] for name in SHOWN_AGAIN}
    sent["seen_tz"] = zone
    sent["next"] = next_url or public + urls.report_path(country.site_code, language)
    try:
        html = render_tip_refused(site, language, errors, sent)
    except SnapshotError:  # a site not ready to publish (no hotline yet): the plain answer
        return None
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response._csp_replace = _policy(html, public)  # read by django-csp's middleware
    return response


def _policy(html: str, public: str) -> dict[str, list[str]]:
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in STYLE.findall(html)
    ]
    tips = urlsplit(settings.HOMEWARD_TIPS_URL)
    return {
        "style-src": hashes,
        "img-src": [public, "data:"],
        "base-uri": [public],
        "form-action": [f"{tips.scheme}://{tips.netloc}"],
    }
