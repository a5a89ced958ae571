"""The CloudFront Function of the network root's redirect (``cloudfront_root.js``), filled in
with the sites of a built output: ``python -m sitegen cloudfront-function OUTPUT``.

Its table comes from the output's ``_redirects`` (Netlify's rules, written by
``sitegen.plan.redirects``), so the two hosts send a visitor to the same place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sitegen.deploy import DeployError

TEMPLATE = Path(__file__).with_name("cloudfront_root.js")
PLACEHOLDER = "var SITES = {}; // SITES: filled in by sitegen"


Site = dict[str, Any]  # {"languages": {language: address}, "fallback": address}


def sites(redirects: str) -> dict[str, Site]:
    """``/  /mx/es/  302  Country=MX  Language=es`` lines → {"MX": {"languages": {"es":
    "/mx/es/"}, "fallback": "/mx/es/"}} (the rule without a language is the fallback)."""
    table: dict[str, Site] = {}
    for line in redirects.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#") or fields[0] != "/":
            continue
        conditions = dict(field.split("=", 1) for field in fields[3:] if "=" in field)
        country = conditions.get("Country")
        if not country:
            continue
        site = table.setdefault(country.upper(), {"languages": {}, "fallback": None})
        if "Language" in conditions:
            site["languages"].setdefault(conditions["Language"].lower(), fields[1])
        elif site["fallback"] is None:
            site["fallback"] = fields[1]
    return table


def root_function(output: Path) -> str:
    try:
        redirects = (Path(output) / "_redirects").read_text(encoding="utf-8")
    except OSError as problem:
        raise DeployError(f"{output}/_redirects: unreadable ({problem}); build first") from None
    table = json.dumps(sites(redirects), ensure_ascii=False, sort_keys=True, indent=2)
    code = TEMPLATE.read_text(encoding="utf-8")
    return code.replace(PLACEHOLDER, f"var SITES = {table};")
