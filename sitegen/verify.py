"""Verified posters: fake "missing child" posters spread on social media, so every poster and
share image carries a short code, and a QR code to ``/<site>/<lang>/verify/<code>/``, a static
page that says whether that poster is current, out of date, or withdrawn (then with no name and
no photo).

A code names one published version of a case's record in one language (site, language, case,
and the time that version was published), so every page can be static: the generator writes a
page for the current version, one for each earlier version the snapshot lists (``versions``,
kept by the CMS export) and, for a withdrawn case, one for every version its tombstone lists.
Codes are not secret: the page a code opens shows the site's own poster and hotline, which is
what a reader of a doctored poster needs to see.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sitegen import urls

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8  # 40 bits


def stamp(value: str) -> str:
    """A version's time as the code is made from it, whatever the way it was written."""
    return datetime.fromisoformat(value).isoformat()


def code(site: str, locale: str, case_id: str, published: str) -> str:
    """The code of one version of a case's poster: ``"K3F9ZQ2M"``."""
    digest = hashlib.sha256(f"{site}/{locale}/{case_id}/{stamp(published)}".encode()).digest()
    number = int.from_bytes(digest[:5], "big")
    return "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))


def shown(value: str) -> str:
    """A code as printed: two groups of four, ``K3F9-ZQ2M``."""
    return f"{value[:4]}-{value[4:]}"


def path(site: str, locale: str, value: str) -> str:
    """The verification page of a code: ``/mx/es/verify/k3f9zq2m/``."""
    return f"{urls.site_root(site, locale)}verify/{value.lower()}/"
