"""``make bench-posters``: time and size of every poster and share image of the demo snapshot.

Each is made in this one process after a warm-up (fonts and styles set up once, as in a build
worker), so the figures are per poster, not per build. The demo covers Spanish, English,
Ukrainian (Cyrillic) and Arabic with French (bilingual, right-to-left, sidebar layout), with
photos, age-progressed photos and companions; one more poster is set in Japanese (CJK).
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.context import case_view, site_view
from sitegen.posters import PosterMaker
from sitegen.snapshot import read_snapshot
from sitegen.theme import Theme
from sitegen.tools.sample import SAMPLE_DIR

DEMO_DIR = SAMPLE_DIR.parent / "demo"
TARGET_MS = 300
TARGET_KB = 300


def _jobs(content: Path, today: date) -> list[Any]:
    snapshot = read_snapshot(content)
    jobs = []
    for site_content in snapshot.sites.values():
        sites = {loc: site_view(lc.site) for loc, lc in site_content.locales.items()}
        for locale, records in site_content.locales.items():
            site = sites[locale]
            partner_locale = site.posters.partner(locale, site.languages)
            for case_id, record in records.cases.items():
                case = case_view(record, site, today)
                partner = None
                other = site_content.locales.get(partner_locale) if partner_locale else None
                if other is not None and partner_locale and case_id in other.cases:
                    other_site = sites[partner_locale]
                    partner = (case_view(other.cases[case_id], other_site, today), other_site)
                jobs.append((case, site, partner))
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", type=Path, default=DEMO_DIR)
    parser.add_argument("--rounds", type=int, default=2, help="times each poster is made")
    args = parser.parse_args(argv)
    today = date.today()
    maker = PosterMaker(Theme(), args.content)
    jobs = _jobs(args.content, today)
    if not jobs:
        raise SystemExit(f"no active case in {args.content}")
    # A CJK poster: the first case again, named and described in Japanese.
    first_case, first_site, _ = jobs[0]
    from dataclasses import replace

    jobs.append(
        (
            replace(first_case, given_name="山田花子", family_name="", clothing="赤いコート"),
            replace(first_site, locale="ja"),
            None,
        )
    )
    maker.pdf(*jobs[0])  # warm-up: fonts, styles, templates
    maker.share_image(jobs[0][0], jobs[0][1])
    pdf_ms, pdf_kb, share_ms, share_kb = [], [], [], []
    for _ in range(args.rounds):
        for case, site, partner in jobs:
            start = time.perf_counter()
            pdf = maker.pdf(case, site, partner)
            pdf_ms.append((time.perf_counter() - start) * 1000)
            pdf_kb.append(len(pdf) / 1024)
            start = time.perf_counter()
            image = maker.share_image(case, site)
            share_ms.append((time.perf_counter() - start) * 1000)
            share_kb.append(len(image) / 1024)
    result = {
        "posters": len(jobs),
        "rounds": args.rounds,
        "pdf_ms_median": round(statistics.median(pdf_ms), 1),
        "pdf_ms_p95": round(sorted(pdf_ms)[int(len(pdf_ms) * 0.95) - 1], 1),
        "pdf_ms_max": round(max(pdf_ms), 1),
        "pdf_kb_mean": round(statistics.mean(pdf_kb), 1),
        "pdf_kb_max": round(max(pdf_kb), 1),
        "share_ms_median": round(statistics.median(share_ms), 1),
        "share_ms_max": round(max(share_ms), 1),
        "share_kb_mean": round(statistics.mean(share_kb), 1),
        "share_kb_max": round(max(share_kb), 1),
        "target_pdf_ms": TARGET_MS,
        "target_pdf_kb": TARGET_KB,
    }
    print(
        f"{len(jobs)} posters × {args.rounds}: PDF median {result['pdf_ms_median']} ms "
        f"(max {result['pdf_ms_max']}), {result['pdf_kb_mean']} KB mean "
        f"(max {result['pdf_kb_max']}); share image median {result['share_ms_median']} ms, "
        f"{result['share_kb_mean']} KB mean"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
