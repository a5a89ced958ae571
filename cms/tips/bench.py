"""Memory a tip's photos cost the server: ``python -m cms.tips.bench`` (``make bench-tips``).

A tip may carry five photos. For each kind of upload below, a fresh process holds five of them in
memory (as a request's upload handler may) and cleans them one after another as
``cms.tips.views`` does (``cms.tips.photos.clean_photo``: check, decode, shrink, re-encode). It
prints the peak resident memory above the process's own baseline, per request and the slowest
photo's time; the last line is one JSON object. The inputs are made once, in this process, so
that making them does not count.

This module only measures: no Django setup, no database, nothing written outside a temporary
folder. Linux only (it reads the peak from /proc/self/status).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

PHOTOS_PER_TIP = 5
# name -> (format, width, height): what phones send, and what an attacker would.
KINDS = {
    "jpeg_12mp_phone": ("JPEG", 4000, 3000),
    "jpeg_50mp_phone": ("JPEG", 8160, 6120),
    "png_24mp_largest_accepted": ("PNG", 6000, 4000),
    "png_49mp_small_file_refused": ("PNG", 7000, 7000),
}


def make_input(kind: str, folder: Path) -> Path:
    fmt, width, height = KINDS[kind]
    picture = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    path = folder / f"{kind}.{fmt.lower()}"
    picture.save(path, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return path


def _status_kb(field: str) -> int:
    """VmRSS (resident now) or VmHWM (its peak) of this process, in KB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    # getrusage's ru_maxrss would carry the parent's peak across fork and exec; VmHWM is this
    # process's own, and writing 5 to clear_refs starts it again from what is resident now.
    Path("/proc/self/clear_refs").write_text("5")


def measure(path: Path) -> dict:
    """In this process: five copies of `path` cleaned in a row (run in a fresh process)."""
    from cms.tips.photos import BadPhoto, clean_photo

    uploads = [path.read_bytes() for _ in range(PHOTOS_PER_TIP)]
    clean_photo(_tiny_jpeg())  # imports and first-use allocations are not the request's
    _reset_peak()
    baseline = _status_kb("VmRSS")
    slowest, refused, kept = 0.0, 0, []
    for data in uploads:
        started = time.perf_counter()
        try:
            kept.append(clean_photo(data))
        except BadPhoto:
            refused += 1
        slowest = max(slowest, time.perf_counter() - started)
    return {
        "upload_kb": round(len(uploads[0]) / 1024),
        "peak_mb_above_baseline": round((_status_kb("VmHWM") - baseline) / 1024, 1),
        "slowest_photo_s": round(slowest, 3),
        "refused": refused,
    }


def _tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 20, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child's own run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in KINDS:
            path = make_input(kind, Path(folder))
            child = subprocess.run(  # noqa: S603 - this interpreter, this module
                [sys.executable, "-m", "cms.tips.bench", "--one", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[kind] = json.loads(child.stdout.splitlines()[-1])
            figures = results[kind]
            print(
                f"{kind:30} {figures['upload_kb']:>7} KB upload  "
                f"peak +{figures['peak_mb_above_baseline']:>6} MB for {PHOTOS_PER_TIP} photos  "
                f"slowest {figures['slowest_photo_s']} s  refused {figures['refused']}"
            )
    print(json.dumps({"photos_per_tip": PHOTOS_PER_TIP, "kinds": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
