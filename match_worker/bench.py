"""How fast the face engine is: ``python -m match_worker.bench`` (``make bench-faces``).

Two measurements, printed as a summary and then, on the last line, one JSON object:

1. **Detection and encoding throughput** (images per second) on both cores, through the same
   worker pool as the evaluation, on the shared LFW subset (250×250 portraits) and on the mixed
   photos (phone-sized pictures up to 2,333 px); skipped with a note when the photos are absent.
2. **Search latency**, median over single queries, for galleries of 10,000, 100,000 and
   1,000,000 synthetic encodings, exact (:class:`ExactGallery`, which screens galleries of
   65,536 or more on one-byte copies and proves the answer exact) and FAISS HNSW
   (:class:`FaissHNSWGallery`), with FAISS's recall@10 against the exact answer at several
   ``efSearch`` values and at the gallery's default.

Synthetic encodings imitate dlib's: a shared mean of norm 1.29, subjects spread around it and
photos spread around their subject, with the variances measured on the LFW subset (about 0.41
between two photos of one person, 0.75 between people) and a power-law spectrum (exponent 0.85)
fitted to the LFW within-person spectrum. Each subject has about three photos, and every query is
a new photo of a subject in the gallery: a planted near-duplicate, as a tip of a missing child is.

Targets (issue 5): at least 6 images/s; exact search of a million under 30 ms; FAISS under 1 ms at
recall@10 of at least 0.95. This module only measures: it never writes files, never downloads,
and never imports Django.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from match_worker.engine import ENCODING_SIZE
from match_worker.evaluation import IMAGE_SUFFIXES, encode_largest_face, start_worker
from match_worker.gallery import ExactGallery, FaissHNSWGallery

__all__ = ["SyntheticGallery", "encoding_throughput", "search_latency", "synthetic_gallery"]

FACES = Path(__file__).resolve().parents[1].parent / "shared/data/faces"
SIZES = (10_000, 100_000, 1_000_000)
EF_SEARCH_SWEEP = (32, 64, 96, 128, 160, 192, 256, 512)
RECALL_TARGET = 0.95

# Measured on the 100 LFW-subset encodings (see the module docstring).
_MEAN_NORM = 1.29
_BETWEEN_VARIANCE = 0.183  # total variance of subjects around the mean
_WITHIN_VARIANCE = 0.0858  # total variance of one subject's photos around the subject
_SPECTRUM_EXPONENT = 0.85


@dataclass(frozen=True)
class SyntheticGallery:
    """Gallery encodings, whose subject each shows, and query photos of known subjects."""

    encodings: np.ndarray
    owners: np.ndarray
    queries: np.ndarray
    query_owners: np.ndarray


def synthetic_gallery(
    size: int, *, queries: int = 200, seed: int = 0, photos_per_subject: float = 3.0
) -> SyntheticGallery:
    """``size`` encodings shaped like dlib face encodings, and ``queries`` planted new photos."""
    rng = np.random.default_rng(seed)
    spectrum = np.arange(1, ENCODING_SIZE + 1, dtype=np.float64) ** -_SPECTRUM_EXPONENT
    spectrum /= spectrum.sum()

    def spread(total_variance: float) -> np.ndarray:
        basis, _ = np.linalg.qr(rng.standard_normal((ENCODING_SIZE, ENCODING_SIZE)))
        return (basis * np.sqrt(spectrum * total_variance)).T.astype(np.float32)

    mean = rng.standard_normal(ENCODING_SIZE)
    mean *= _MEAN_NORM / np.linalg.norm(mean)
    between, within = spread(_BETWEEN_VARIANCE), spread(_WITHIN_VARIANCE)
    subjects = max(1, round(size / photos_per_subject))
    centres = (mean + _normal(rng, subjects) @ between).astype(np.float32)
    owners = rng.integers(0, subjects, size)
    encodings = np.empty((size, ENCODING_SIZE), dtype=np.float32)
    for start in range(0, size, 100_000):  # in slices, to bound temporary memory
        stop = min(start + 100_000, size)
        encodings[start:stop] = centres[owners[start:stop]] + _normal(rng, stop - start) @ within
    query_owners = owners[rng.integers(0, size, queries)]
    planted = (centres[query_owners] + _normal(rng, queries) @ within).astype(np.float32)
    return SyntheticGallery(encodings, owners, planted, query_owners)


def _normal(rng: np.random.Generator, rows: int) -> np.ndarray:
    return rng.standard_normal((rows, ENCODING_SIZE), dtype=np.float32)


# --- throughput -------------------------------------------------------------------------------


def _photos(folder: Path) -> list[str]:
    return sorted(
        str(p) for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    )


def _ready(_: int) -> int:
    return os.getpid()


def encoding_throughput(photo_sets: dict[str, list[str]], processes: int = 2) -> dict[str, Any]:
    """Images per second for detection + encoding on ``processes`` worker processes.

    The pool is started and its models loaded before the clock starts: a worker serves many
    jobs, so start-up is not part of the steady rate.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    figures: dict[str, Any] = {"processes": processes}
    with context.Pool(processes, initializer=start_worker, initargs=({},)) as pool:
        pool.map(_ready, range(processes * 4), chunksize=1)  # every worker up, models loaded
        total_images, total_seconds = 0, 0.0
        for name, paths in photo_sets.items():
            started = time.perf_counter()
            results = list(pool.imap_unordered(encode_largest_face, paths, chunksize=1))
            seconds = time.perf_counter() - started
            faces = sum(1 for _, encoding, _ in results if encoding is not None)
            figures[name] = {
                "images": len(paths),
                "with_face": faces,
                "seconds": round(seconds, 3),
                "images_per_second": round(len(paths) / seconds, 2),
            }
            total_images += len(paths)
            total_seconds += seconds
    figures["images_per_second"] = round(total_images / total_seconds, 2) if total_seconds else None
    return figures


# --- search -----------------------------------------------------------------------------------


def _median_ms(gallery: Any, queries: np.ndarray, k: int) -> tuple[float, list[list[str]]]:
    timings, answers = [], []
    for query in queries:
        started = time.perf_counter()
        hits = gallery.search(query, k)
        timings.append(time.perf_counter() - started)
        answers.append([item for item, _ in hits])
    return round(float(np.median(timings)) * 1000, 4), answers


def _recall(found: list[list[str]], truth: list[list[str]]) -> float:
    """Mean share of each truth list that was found (lists with nothing to find are left out)."""
    shares = [len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True) if t]
    return round(float(np.mean(shares)), 4) if shares else 1.0


def search_latency(size: int, *, queries: int = 200, seed: int = 0, k: int = 10) -> dict[str, Any]:
    """Median single-query latency, exact and FAISS, and FAISS recall@k, for one gallery size."""
    data = synthetic_gallery(size, queries=queries, seed=seed)
    ids = [f"case:{owner}:photo:{row}" for row, owner in enumerate(data.owners)]
    figures: dict[str, Any] = {"size": size, "queries": queries}

    exact = ExactGallery(capacity=size)
    exact.add(ids, data.encodings)
    started = time.perf_counter()
    exact.search(data.queries[0], k)  # a large gallery builds its byte screen here
    first_search_seconds = round(time.perf_counter() - started, 2)
    _median_ms(exact, data.queries[:5], k)  # warm caches and BLAS threads
    exact_ms, truth = _median_ms(exact, data.queries, k)
    screened = exact.screen_from is not None and size >= exact.screen_from
    mates = [
        {ids[row] for row in np.flatnonzero(data.owners == owner)} for owner in data.query_owners
    ]
    # The planted photos (other photos of the query's subject) that exact search ranks in the
    # top 10: the ones a tip must not miss. FAISS is scored on finding these too.
    planted = [sorted(m & set(t)) for m, t in zip(mates, truth, strict=True)]
    figures["exact"] = {
        "method": (
            "one-byte screen (FAISS QT_8bit_direct, one thread) + exact float64 check"
            if screened
            else "float32 matrix-vector product (NumPy BLAS)"
        ),
        "first_search_seconds": first_search_seconds,
        "median_ms": exact_ms,
        "planted_recall@10": _recall(truth, [sorted(m) for m in mates]),
    }
    del exact

    approximate = FaissHNSWGallery()
    started = time.perf_counter()
    approximate.add(ids, data.encodings)
    build_seconds = round(time.perf_counter() - started, 1)
    sweep = {}
    # One query runs on one thread; idle OpenMP threads left spinning by the parallel build
    # would only compete with it for the two cores, so time single queries on one thread.
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    for ef in sorted({*EF_SEARCH_SWEEP, approximate.ef_search}):
        approximate.ef_search = ef
        _median_ms(approximate, data.queries[:20], k)
        ms, found = _median_ms(approximate, data.queries, k)
        sweep[str(ef)] = {
            "median_ms": ms,
            "recall@10": _recall(found, truth),
            "planted_recall@10": _recall(found, planted),
        }
    faiss.omp_set_num_threads(threads)
    default_ef = FaissHNSWGallery().ef_search
    enough = [ef for ef in sorted(sweep, key=int) if sweep[ef]["recall@10"] >= RECALL_TARGET]
    figures["faiss"] = {
        "index": "IndexHNSWSQ (8-bit direct, integer distances) + exact float re-ranking",
        "m": approximate.m,
        "ef_construction": approximate.ef_construction,
        "refine_factor": approximate.refine_factor,
        "ef_search": default_ef,
        "build_seconds": build_seconds,
        **sweep[str(default_ef)],
        "by_ef_search": sweep,
        "least_ef_search_for_recall_0.95": int(enough[0]) if enough else None,
    }
    return figures


def _numpy_blas() -> dict[str, Any]:
    """NumPy's BLAS as loaded in this process: library, the kernel it runs, its threads.

    ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` are reported as found, never changed: they are
    read when OpenBLAS loads, and a million-encoding exact search no longer runs on BLAS.
    """
    figures: dict[str, Any] = {
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "") or "default",
        "openblas_l2_size": os.environ.get("OPENBLAS_L2_SIZE", "") or "default",
    }
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return figures
    for library in threadpool_info():
        if library.get("user_api") == "blas" and "numpy" in library.get("filepath", ""):
            figures.update(
                library=f"{library.get('internal_api')} {library.get('version')}",
                kernel=library.get("architecture"),
                threads=library.get("num_threads"),
            )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m match_worker.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--faces", type=Path, default=FACES, help="shared/data/faces folder")
    parser.add_argument("--no-images", action="store_true", help="skip the throughput part")
    args = parser.parse_args(argv)

    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy_blas": _numpy_blas(),
        }
    }
    photo_sets = {
        name: _photos(args.faces / name)
        for name in ("lfw-subset", "mixed")
        if not args.no_images and (args.faces / name).is_dir()
    }
    if photo_sets:
        result["encoding"] = encoding_throughput(photo_sets, args.processes)
        for name, figures in result["encoding"].items():
            if isinstance(figures, dict):
                print(f"detect+encode {name}: {figures['images_per_second']} images/s")
        print(f"detect+encode overall: {result['encoding']['images_per_second']} images/s")
    else:
        result["encoding"] = None
        reason = "--no-images" if args.no_images else f"no photos at {args.faces}"
        print(f"detect+encode: skipped ({reason})")

    result["search"] = []
    for size in args.sizes:
        figures = search_latency(size, queries=args.queries)
        result["search"].append(figures)
        faiss = figures["faiss"]
        print(
            f"search {size:>9,}: exact {figures['exact']['median_ms']} ms, "
            f"FAISS {faiss['median_ms']} ms at recall@10 {faiss['recall@10']} "
            f"(efSearch {faiss['ef_search']}, built in {faiss['build_seconds']} s)"
        )
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
