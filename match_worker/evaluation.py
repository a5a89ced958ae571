"""How well the face engine tells people apart, measured on labelled photos.

``python -m match_worker eval DATASET_DIR`` reads one folder per person (images inside), encodes
every photo on both cores, and reports:

- **verification accuracy** at the operating threshold, over every pair of photos (same person
  pairs should be within it, different-person pairs beyond it), and the threshold that would be
  most accurate on this data;
- **true-accept rate at 0.1% false accepts**: the share of same-person pairs accepted at the
  strictest threshold that lets through at most one different-person pair in a thousand;
- **rank-1 and rank-10 identification**, leave-one-out: each photo is searched against all the
  others and the people are ranked by their nearest photo (as leads are, see
  :mod:`match_worker.ranking`); rank-k is the share of photos whose person is among the first k.

With ``--gallery G --probes P`` it does closed-set identification instead: every probe photo is
searched against the gallery photos through :class:`match_worker.gallery.ExactGallery`, the same
path a tip photo takes.

Photos in which no face is found, and files that are not readable images, are skipped and listed.
The last line printed is one JSON object with every figure. This module reads the photos it is
pointed at and never copies, writes or uploads them; it never imports Django.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from match_worker.engine import ENCODING_SIZE, FaceEngine, FaceEngineError
from match_worker.gallery import ExactGallery
from match_worker.ranking import OPERATING_THRESHOLD, search_subjects

__all__ = [
    "IMAGE_SUFFIXES",
    "LabelledEncodings",
    "encode_paths",
    "identification_against_gallery",
    "labelled_images",
    "leave_one_out_ranks",
    "verification",
]

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"})
FALSE_ACCEPT_TARGET = 0.001


def labelled_images(root: Path) -> list[tuple[str, Path]]:
    """(person, photo path) for every image in ``root/<person>/``, sorted for repeatable runs."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"not a folder of people: {root}")
    pairs = []
    for person in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for photo in sorted(person.iterdir()):
            if photo.is_file() and photo.suffix.lower() in IMAGE_SUFFIXES:
                pairs.append((person.name, photo))
    if not pairs:
        raise FileNotFoundError(f"no images in {root}/<person>/ folders")
    return pairs


# --- encoding on every core -------------------------------------------------------------------

_worker_engine: FaceEngine | None = None


def start_worker(options: dict[str, Any]) -> None:
    """Pool initializer: one engine, models loaded once, per worker process."""
    global _worker_engine
    _worker_engine = FaceEngine(**options)
    _worker_engine.load_models()


def encode_largest_face(path: str) -> tuple[str, np.ndarray | None, str]:
    """(path, encoding of the photo's largest face or None, reason when None)."""
    if _worker_engine is None:
        raise RuntimeError("the worker process was started without start_worker")
    try:
        faces = _worker_engine.faces(path)
    except FaceEngineError as error:
        return path, None, str(error)
    if not faces:
        return path, None, "no face found"
    # In a labelled photo the person is the largest face; others are passers-by.
    return path, faces[0].encoding, ""


def map_encode(
    paths: Sequence[str], options: dict[str, Any], processes: int = 2
) -> Iterator[tuple[str, np.ndarray | None, str]]:
    """Encode photos on ``processes`` worker processes, yielding results in input order."""
    if processes <= 1:
        start_worker(options)
        yield from map(encode_largest_face, paths)
        return
    # Workers start from a clean server process, not a fork of this one: a fork copies whatever
    # threads (BLAS, test runners, web servers) hold locks at that moment, and a worker that
    # hangs on such a lock hangs the caller. A worker that dies raises BrokenProcessPool.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=start_worker, initargs=(options,)
    ) as pool:
        yield from pool.map(encode_largest_face, paths, chunksize=4)


@dataclass
class LabelledEncodings:
    """Encodings of labelled photos, and the photos that gave none."""

    labels: list[str]
    paths: list[str]
    encodings: np.ndarray
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.labels)


def encode_paths(
    labelled: Sequence[tuple[str, Path]], options: dict[str, Any] | None = None, processes: int = 2
) -> LabelledEncodings:
    """Encode every labelled photo with :class:`FaceEngine` ``options`` on ``processes`` cores."""
    started = time.perf_counter()
    label_of = {str(path): label for label, path in labelled}
    labels, paths, vectors, skipped = [], [], [], []
    for path, encoding, reason in map_encode(list(label_of), options or {}, processes):
        if encoding is None:
            skipped.append((path, reason))
            continue
        labels.append(label_of[path])
        paths.append(path)
        vectors.append(encoding)
    encodings = np.array(vectors, dtype=np.float32).reshape(-1, ENCODING_SIZE)
    return LabelledEncodings(labels, paths, encodings, skipped, time.perf_counter() - started)


# --- figures ----------------------------------------------------------------------------------


def _distance_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    squared = (a64**2).sum(1)[:, None] - 2 * a64 @ b64.T + (b64**2).sum(1)[None, :]
    return np.sqrt(np.maximum(squared, 0.0))


def verification(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> dict[str, Any]:
    """Verification figures from same-person and different-person pair distances."""
    genuine, impostor = np.sort(genuine), np.sort(impostor)
    total = genuine.size + impostor.size
    if not genuine.size or not impostor.size:
        raise ValueError("verification needs both same-person and different-person pairs")
    accepted = np.searchsorted(genuine, threshold, side="right")
    false_accepts = np.searchsorted(impostor, threshold, side="right")
    # The most accurate threshold on this data: try every distance that occurs.
    candidates = np.concatenate([genuine, impostor])
    correct = np.searchsorted(genuine, candidates, side="right") + (
        impostor.size - np.searchsorted(impostor, candidates, side="right")
    )
    best = int(np.argmax(correct))
    # Strictest threshold allowing at most 0.1% false accepts: just below the first impostor
    # pair beyond that allowance.
    allowed = int(np.floor(FALSE_ACCEPT_TARGET * impostor.size))
    far_threshold = float(impostor[allowed]) if allowed < impostor.size else float("inf")
    tar_at_far = np.searchsorted(genuine, far_threshold, side="left") / genuine.size
    return {
        "threshold": threshold,
        "genuine_pairs": int(genuine.size),
        "impostor_pairs": int(impostor.size),
        "verification_accuracy": (accepted + impostor.size - false_accepts) / total,
        "true_accept_rate": accepted / genuine.size,
        "false_accept_rate": false_accepts / impostor.size,
        "tar_at_far_0.1%": float(tar_at_far),
        "threshold_at_far_0.1%": far_threshold,
        "best_threshold": float(candidates[best]),
        "best_threshold_accuracy": float(correct[best] / total),
    }


def _ranks(best_by_person: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Rank of the true person per probe; ties count against it (a pessimistic rank)."""
    true_best = best_by_person[np.arange(truth.size), truth]
    return (best_by_person <= true_best[:, None]).sum(axis=1)


def leave_one_out_ranks(data: LabelledEncodings) -> np.ndarray:
    """Each photo searched against all others; the rank of its person, people ranked by their
    nearest photo. Photos whose person has no other photo are left out."""
    people = sorted(set(data.labels))
    index = {person: i for i, person in enumerate(people)}
    truth = np.array([index[label] for label in data.labels])
    distances = _distance_matrix(data.encodings, data.encodings)
    np.fill_diagonal(distances, np.inf)
    best = np.full((len(data), len(people)), np.inf)
    for column in index.values():
        mask = truth == column
        best[:, column] = distances[:, mask].min(axis=1)
    has_mate = np.isfinite(best[np.arange(truth.size), truth])
    return _ranks(best[has_mate], truth[has_mate])


def pair_distances(data: LabelledEncodings) -> tuple[np.ndarray, np.ndarray]:
    """(same-person, different-person) distances over every unordered pair of photos."""
    labels = np.array(data.labels)
    distances = _distance_matrix(data.encodings, data.encodings)
    upper = np.triu_indices(len(data), k=1)
    same = labels[upper[0]] == labels[upper[1]]
    values = distances[upper]
    return values[same], values[~same]


def identification_against_gallery(
    gallery: LabelledEncodings, probes: LabelledEncodings, ranks_needed: int = 10
) -> tuple[np.ndarray, int]:
    """Closed-set identification through the production search path.

    Returns the rank of each probe's person (``ranks_needed + 1`` when not among the first
    ``ranks_needed``), and how many probes were left out because their person is not in the
    gallery.
    """
    exact = ExactGallery(capacity=len(gallery))
    exact.add([f"{label}:photo:{i}" for i, label in enumerate(gallery.labels)], gallery.encodings)
    known = set(gallery.labels)
    ranks, unknown = [], 0
    for label, encoding in zip(probes.labels, probes.encodings, strict=True):
        if label not in known:
            unknown += 1
            continue
        subjects = [m.subject for m in search_subjects(exact, encoding, ranks_needed)]
        ranks.append(subjects.index(label) + 1 if label in subjects else ranks_needed + 1)
    return np.array(ranks, dtype=np.int64), unknown


def _rank_figures(ranks: np.ndarray) -> dict[str, Any]:
    if not ranks.size:
        return {"identification_probes": 0, "rank1": None, "rank10": None}
    return {
        "identification_probes": int(ranks.size),
        "rank1": float(np.mean(ranks <= 1)),
        "rank10": float(np.mean(ranks <= 10)),
    }


def evaluate_folder(
    root: Path, *, threshold: float, options: dict[str, Any], processes: int
) -> dict[str, Any]:
    """Every figure for one folder of people (leave-one-out identification)."""
    data = encode_paths(labelled_images(root), options, processes)
    genuine, impostor = pair_distances(data)
    figures: dict[str, Any] = {"dataset": str(root), **_encoding_figures(data)}
    figures.update(verification(genuine, impostor, threshold))
    figures.update(_rank_figures(leave_one_out_ranks(data)))
    return figures


def evaluate_gallery(
    gallery_root: Path,
    probes_root: Path,
    *,
    threshold: float,
    options: dict[str, Any],
    processes: int,
) -> dict[str, Any]:
    """Every figure for probes searched against a separate gallery (closed-set)."""
    gallery = encode_paths(labelled_images(gallery_root), options, processes)
    probes = encode_paths(labelled_images(probes_root), options, processes)
    labels_g, labels_p = np.array(gallery.labels), np.array(probes.labels)
    distances = _distance_matrix(probes.encodings, gallery.encodings)
    same = labels_p[:, None] == labels_g[None, :]
    figures: dict[str, Any] = {
        "gallery": {"dataset": str(gallery_root), **_encoding_figures(gallery)},
        "probes": {"dataset": str(probes_root), **_encoding_figures(probes)},
    }
    figures.update(verification(distances[same], distances[~same], threshold))
    ranks, unknown = identification_against_gallery(gallery, probes)
    figures.update(_rank_figures(ranks))
    figures["probes_not_in_gallery"] = unknown
    return figures


def _encoding_figures(data: LabelledEncodings) -> dict[str, Any]:
    attempted = len(data) + len(data.skipped)
    return {
        "images": attempted,
        "encoded": len(data),
        "people": len(set(data.labels)),
        "skipped": [{"path": path, "reason": reason} for path, reason in data.skipped],
        "encoding_seconds": round(data.seconds, 3),
        "images_per_second": round(attempted / data.seconds, 2) if data.seconds else None,
    }


def report_lines(figures: dict[str, Any]) -> list[str]:
    """The human-readable summary printed above the JSON line."""

    def percent(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.2f}%"

    lines = []
    for part in ("gallery", "probes"):
        if part in figures:
            f = figures[part]
            lines.append(
                f"{part}: {f['encoded']}/{f['images']} photos encoded, {f['people']} people"
            )
    if "encoded" in figures:
        lines.append(
            f"encoded {figures['encoded']}/{figures['images']} photos of {figures['people']} "
            f"people at {figures['images_per_second']} images/s"
        )
    skipped = figures.get("skipped", []) + [
        s for part in ("gallery", "probes") if part in figures for s in figures[part]["skipped"]
    ]
    lines += [f"  skipped {s['path']}: {s['reason']}" for s in skipped]
    lines += [
        f"pairs: {figures['genuine_pairs']} same-person, {figures['impostor_pairs']} different",
        f"verification accuracy at {figures['threshold']:.2f}: "
        f"{percent(figures['verification_accuracy'])} "
        f"(true accepts {percent(figures['true_accept_rate'])}, "
        f"false accepts {percent(figures['false_accept_rate'])})",
        f"most accurate threshold on this data: {figures['best_threshold']:.3f} "
        f"({percent(figures['best_threshold_accuracy'])})",
        f"true-accept rate at 0.1% false accepts: {percent(figures['tar_at_far_0.1%'])} "
        f"(threshold {figures['threshold_at_far_0.1%']:.3f})",
        f"identification over {figures['identification_probes']} probes: "
        f"rank-1 {percent(figures['rank1'])}, rank-10 {percent(figures['rank10'])}",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m match_worker eval``: print the summary, then one JSON line."""
    parser = argparse.ArgumentParser(
        prog="python -m match_worker eval", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("dataset", nargs="?", type=Path, help="folder of <person>/<photos>")
    parser.add_argument("--gallery", type=Path, help="gallery folder of <person>/<photos>")
    parser.add_argument("--probes", type=Path, help="probe folder of <person>/<photos>")
    parser.add_argument("--threshold", type=float, default=OPERATING_THRESHOLD)
    parser.add_argument("--detector", choices=("hog", "cnn"), default="hog")
    parser.add_argument("--jitters", type=int, default=1, help="num_jitters per face")
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    options = {"detector": args.detector, "num_jitters": args.jitters}
    common = {"threshold": args.threshold, "options": options, "processes": args.processes}
    try:
        if args.gallery or args.probes:
            if not (args.gallery and args.probes) or args.dataset:
                parser.error("use either DATASET_DIR, or both --gallery and --probes")
            figures = evaluate_gallery(args.gallery, args.probes, **common)
        elif args.dataset:
            figures = evaluate_folder(args.dataset, **common)
        else:
            parser.error("give DATASET_DIR, or --gallery and --probes")
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}")
        return 2
    for line in report_lines(figures):
        print(line)
    print(json.dumps(figures, sort_keys=True))
    return 0
