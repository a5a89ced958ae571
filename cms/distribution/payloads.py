"""What an organisation's webhook receives: JSON with the case's public record (as the
snapshot has it), the addresses of its page, poster, share image and photos, and its CAP 1.2
message as published. A retraction carries the case's id, the date of the alert it takes back
and the CAP Cancel: no name, no photo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from cms.distribution.models import AlertEvent, EventKind
from sitegen import urls
from sitegen.posters import POSTER_FILE, SHARE_FILE


def _cap(output: Path, site: str, case_id: str) -> tuple[str, str | None]:
    path = f"/{site}/cap/{case_id}.xml"
    file = output / urls.file_for(path)
    return path, file.read_text(encoding="utf-8") if file.is_file() else None


def webhook(event: AlertEvent, content: tuple[dict, dict] | None, output: Path) -> bytes:
    cap_path, cap = _cap(output, event.site, event.case_key)
    data: dict[str, Any]
    if event.kind == EventKind.RETRACTION or content is None:
        first = event.alerted_at or event.created_at
        data = {"site": event.site, "case_id": event.case_key, "alerted_at": first.isoformat()}
        base = ""
    else:
        case, site = content
        base = site["base_url"]
        page = base + urls.case_path(site["code"], case["_locale"], case["slug"])
        record = {k: v for k, v in case.items() if not k.startswith("_")}
        data = {
            "site": event.site,
            "language": case["_locale"],
            "case": record,
            "case_url": page,
            "poster_url": page + POSTER_FILE,
            "share_image_url": page + SHARE_FILE,
            "photo_urls": [f"{base}/{photo['media']['path']}" for photo in case["photos"]],
        }
    data["cap_url"] = base + cap_path if base else cap_path
    data["cap"] = cap
    body = {"type": f"case.{event.kind}", "timestamp": timezone.now().isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
