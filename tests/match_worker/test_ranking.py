"""Photo hits grouped by child and companion; distances in words that never claim certainty."""

from __future__ import annotations

import numpy as np
import pytest

from match_worker.gallery import ExactGallery, FaissHNSWGallery
from match_worker.ranking import (
    OPERATING_THRESHOLD,
    STRENGTHS,
    match_strength,
    rank_subjects,
    search_subjects,
    subject_from_id,
)


def test_subject_from_id():
    assert subject_from_id("case:7f3a:photo:2") == "case:7f3a"
    assert subject_from_id("companion:91bc:photo:0") == "companion:91bc"
    assert subject_from_id("case:7f3a") == "case:7f3a"


def test_a_child_is_ranked_by_its_best_photo_not_its_average():
    # Child A: an old photo that no longer resembles them and an age-progressed one that does.
    # Child B: two photos, both middling. Best evidence puts A first.
    hits = [
        ("case:A:photo:0", 0.71),
        ("case:B:photo:0", 0.50),
        ("case:A:photo:1", 0.38),
        ("case:B:photo:1", 0.52),
    ]
    ranked = rank_subjects(hits)
    assert [m.subject for m in ranked] == ["case:A", "case:B"]
    assert ranked[0].best_item == "case:A:photo:1"
    assert ranked[0].best_distance == 0.38
    assert ranked[0].photos_within_threshold == 1
    assert ranked[1].photos_within_threshold == 2
    assert [d for _, d in ranked[0].hits] == [0.38, 0.71]


def test_more_close_photos_break_a_tie():
    hits = [("case:A:photo:0", 0.4), ("case:B:photo:0", 0.4), ("case:B:photo:1", 0.45)]
    assert [m.subject for m in rank_subjects(hits)] == ["case:B", "case:A"]


def test_subject_of_may_be_a_mapping():
    owners = {"p1": "child", "p2": "companion", "p3": "child"}
    ranked = rank_subjects([("p1", 0.5), ("p2", 0.3), ("p3", 0.2)], owners)
    assert [(m.subject, m.photos_within_threshold) for m in ranked] == [
        ("child", 2),
        ("companion", 1),
    ]


@pytest.mark.parametrize("gallery_class", [ExactGallery, FaissHNSWGallery])
def test_many_photos_of_one_child_do_not_hide_others(gallery_class):
    """Thirty close photos of one child must not push a companion out of the top subjects."""
    rng = np.random.default_rng(5)
    probe = rng.standard_normal(128).astype(np.float32) * 0.1
    ids, vectors = [], []
    for n in range(30):  # child 1: many photos, all close
        ids.append(f"case:child-1:photo:{n}")
        vectors.append(probe + rng.standard_normal(128).astype(np.float32) * 0.02)
    ids.append("companion:adult-1:photo:0")  # a companion, a little further away
    vectors.append(probe + rng.standard_normal(128).astype(np.float32) * 0.035)
    for n in range(500):  # everyone else, far away
        ids.append(f"case:other-{n}:photo:0")
        vectors.append(probe + rng.standard_normal(128).astype(np.float32) * 0.2)
    gallery = gallery_class()
    gallery.add(ids, np.array(vectors))

    photos_only = rank_subjects(gallery.search(probe, 10))
    assert [m.subject for m in photos_only] == ["case:child-1"]  # the problem being solved

    subjects = search_subjects(gallery, probe, 2)
    assert [m.subject for m in subjects] == ["case:child-1", "companion:adult-1"]
    assert subjects[0].photos_within_threshold == 30  # every close photo counted


def test_search_subjects_on_small_and_empty_galleries():
    gallery = ExactGallery()
    assert search_subjects(gallery, np.zeros(128), 5) == []
    gallery.add(["case:a:photo:0", "case:a:photo:1"], np.zeros((2, 128)))
    [only] = search_subjects(gallery, np.zeros(128), 5)
    assert only.subject == "case:a" and only.photos_within_threshold == 2


def test_strength_bands_cover_every_distance_in_order():
    assert [s.code for s in STRENGTHS] == ["strong", "possible", "weak", "none"]
    bounds = [s.max_distance for s in STRENGTHS]
    assert bounds == sorted(bounds) and bounds[-1] == float("inf")
    assert match_strength(0.0).code == "strong"
    assert match_strength(OPERATING_THRESHOLD).code == "possible"
    assert match_strength(OPERATING_THRESHOLD + 0.01).code == "weak"
    assert match_strength(1.3).code == "none"
    with pytest.raises(ValueError):
        match_strength(float("nan"))


def test_no_label_claims_certainty():
    for strength in STRENGTHS:
        label = strength.label.lower()
        assert "resemblance" in label
        for claim in ("match", "identified", "same person", "confirmed", "certain", "%"):
            assert claim not in label
    for strength in STRENGTHS[:-1]:  # every band that can become a lead asks for a person
        assert "needs review" in strength.label


def test_subject_match_carries_its_strength():
    [match] = rank_subjects([("case:a:photo:0", 0.3)])
    assert match.strength.code == "strong"
