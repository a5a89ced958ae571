"""From photo hits to ranked subjects, and from a distance to words that never claim certainty.

A gallery answers with photos; investigators review people. Every photo of a child (several
ages, an age-progressed image made by a forensic artist) and of each companion is a separate
gallery item, and :func:`rank_subjects` gathers the hits of one subject together:

- a subject is ranked by its **best** evidence, the nearest of its photos. Children change as
  they grow, so an older photo that no longer resembles them must not drag down a recent or
  age-progressed one that does (an average would);
- the number of its photos within the operating threshold is kept beside it, as supporting
  evidence an investigator sees, and breaks ties.

:func:`match_strength` turns a distance into plain words for the review screen. The words say
how much two faces *resemble* each other and always leave the decision to a person: a face
match is a lead, never an identification. They are marked with ``N_`` (a no-op at run time,
the marker Babel extracts) so the CMS translates them when it shows them; this module must never
translate, store, or show anything itself, and never imports Django.

The operating threshold comes from ``python -m match_worker eval`` on labelled photos (see
:data:`OPERATING_THRESHOLD`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from match_worker.gallery import Gallery, Hit

__all__ = [
    "OPERATING_THRESHOLD",
    "STRENGTHS",
    "N_",
    "Strength",
    "SubjectMatch",
    "match_strength",
    "rank_subjects",
    "search_subjects",
    "subject_from_id",
]


def N_(message: str) -> str:  # the conventional gettext_noop marker name
    """Mark a string for translation without translating it (the CMS translates on display)."""
    return message


#: Distance at or below which two encodings are treated as a possible match of the same person.
#: Chosen with ``python -m match_worker eval`` on the LFW subset (10 people × 10 photos, 450
#: same-person and 4,500 different-person pairs): verification accuracy is 99.68% at 0.58 (the
#: most accurate hundredth), 99.54% at 0.55 and 99.49% at dlib's published 0.6; the nearest
#: different-person pair is at 0.570 and the furthest same-person pair at 0.656. Children change
#: between photos, so the threshold is kept at the accurate end closest to 0.6 rather than lower.
#: Re-check on new labelled data before changing it; the bands below scale with it.
OPERATING_THRESHOLD = 0.58


@dataclass(frozen=True)
class Strength:
    """A band of distances with its code (stable, for storage) and label (for people)."""

    code: str
    label: str
    max_distance: float


#: Bands nearest first; the last one catches everything further away. "Strong" is justified by
#: ``python -m match_worker eval`` on the LFW subset (2026-12-04): no pair of different people was
#: closer than 0.570, and 62.7 % of the pairs of one person were at 0.45 or less (84 % at 0.50),
#: so 0.45 leaves a margin of 0.12 under the nearest stranger. It holds for photographs only:
#: dlib places drawn portraits close to one another whoever they show (between 40 drawn demo
#: children: median 0.38, 85 % of pairs at 0.45 or less) and far from photographs (0.61 at the
#: nearest), so a match with an illustrated case photo (an age progression) is never called
#: strong (:func:`shown_strength`), and everything above the operating threshold ("weak") is
#: hidden from investigators unless they ask for it.
STRENGTHS: tuple[Strength, ...] = (
    Strength("strong", N_("Strong resemblance — needs review"), 0.45),
    Strength("possible", N_("Possible resemblance — needs review"), OPERATING_THRESHOLD),
    Strength("weak", N_("Weak resemblance — needs review"), 0.65),
    Strength("none", N_("No meaningful resemblance"), float("inf")),
)


def match_strength(distance: float) -> Strength:
    """The band a distance falls in; its ``label`` never claims the faces are the same person."""
    if distance != distance or distance < 0:  # NaN or negative: a caller's bug, not a match
        raise ValueError(f"not a distance: {distance!r}")
    for strength in STRENGTHS:
        if distance <= strength.max_distance:
            return strength
    return STRENGTHS[-1]


def shown_strength(distance: float, *, illustrated: bool = False) -> Strength:
    """The band shown for a match: :func:`match_strength`, but never "strong" when the case
    photo is an illustration (an age-progressed image), whose closeness proves little."""
    strength = match_strength(distance)
    if illustrated and strength.code == "strong":
        return next(s for s in STRENGTHS if s.code == "possible")
    return strength


def subject_from_id(item_id: str) -> str:
    """The subject of a gallery item id: ``"case:<uuid>:photo:3"`` → ``"case:<uuid>"``.

    Ids without a ``:photo:`` part are their own subject.
    """
    subject, _, _ = item_id.partition(":photo:")
    return subject


@dataclass(frozen=True)
class SubjectMatch:
    """One child or companion among a search's results."""

    subject: str
    best_distance: float
    best_item: str
    #: How many of this subject's photos are within the threshold used to rank.
    photos_within_threshold: int
    #: Every hit of this subject, nearest first.
    hits: tuple[Hit, ...] = field(repr=False)

    @property
    def strength(self) -> Strength:
        return match_strength(self.best_distance)


def rank_subjects(
    results: Iterable[Hit],
    subject_of: Callable[[str], str] | Mapping[str, str] = subject_from_id,
    *,
    threshold: float = OPERATING_THRESHOLD,
) -> list[SubjectMatch]:
    """Group photo hits by subject and rank subjects by their nearest photo.

    ``subject_of`` maps a gallery item id to its subject (a function or a mapping); ties in
    best distance go to the subject with more photos within ``threshold``, then by subject name
    so the order is stable.
    """
    lookup = subject_of.__getitem__ if isinstance(subject_of, Mapping) else subject_of
    grouped: dict[str, list[Hit]] = {}
    for item_id, distance in results:
        grouped.setdefault(lookup(item_id), []).append((item_id, float(distance)))
    matches = []
    for subject, hits in grouped.items():
        hits.sort(key=lambda hit: (hit[1], hit[0]))
        matches.append(
            SubjectMatch(
                subject=subject,
                best_distance=hits[0][1],
                best_item=hits[0][0],
                photos_within_threshold=sum(1 for _, distance in hits if distance <= threshold),
                hits=tuple(hits),
            )
        )
    matches.sort(key=lambda m: (m.best_distance, -m.photos_within_threshold, m.subject))
    return matches


def search_subjects(
    gallery: Gallery,
    encoding: object,
    k: int,
    subject_of: Callable[[str], str] | Mapping[str, str] = subject_from_id,
    *,
    threshold: float = OPERATING_THRESHOLD,
    max_photos: int = 20_000,
) -> list[SubjectMatch]:
    """The ``k`` nearest subjects to one face, each with all its photos within ``threshold``.

    A plain top-k photo search can be filled by one subject's many photos and hide everyone
    else, so this asks the gallery for more photos until it has ``k`` subjects and has passed
    ``threshold`` (or holds ``max_photos``, a bound on work for a pathological gallery).
    """
    if k <= 0 or len(gallery) == 0:
        return []
    fetch = min(max(8 * k, 64), len(gallery))
    while True:
        hits = gallery.search(encoding, fetch)
        ranked = rank_subjects(hits, subject_of, threshold=threshold)
        exhausted = fetch >= len(gallery) or fetch >= max_photos
        passed_threshold = bool(hits) and hits[-1][1] > threshold
        if exhausted or (len(ranked) >= k and passed_threshold):
            return ranked[:k]
        fetch = min(fetch * 4, len(gallery), max_photos)
