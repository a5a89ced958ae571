"""Exact and FAISS galleries: same interface, same answers, removals that really remove."""

from __future__ import annotations

import numpy as np
import pytest

from match_worker.bench import synthetic_gallery
from match_worker.gallery import ExactGallery, FaissHNSWGallery, Gallery


def brute_force(ids: list[str], vectors: np.ndarray, query: np.ndarray, k: int) -> list[str]:
    distances = np.linalg.norm(vectors.astype(np.float64) - query.astype(np.float64), axis=1)
    order = np.lexsort((np.arange(len(ids)), distances))[:k]
    return [ids[i] for i in order]


@pytest.fixture(scope="module")
def data():
    synthetic = synthetic_gallery(3_000, queries=25, seed=7)
    ids = [f"case:{owner}:photo:{i}" for i, owner in enumerate(synthetic.owners)]
    return ids, synthetic.encodings, synthetic.queries


@pytest.fixture(params=["exact", "faiss"])
def gallery(request) -> Gallery:
    return ExactGallery(capacity=16) if request.param == "exact" else FaissHNSWGallery()


def test_exact_search_is_exact(data):
    ids, vectors, queries = data
    exact = ExactGallery(capacity=1)  # grows as it goes
    exact.add(ids[:1000], vectors[:1000])
    exact.add(ids[1000:], vectors[1000:])
    for query in queries:
        hits = exact.search(query, 10)
        assert [item for item, _ in hits] == brute_force(ids, vectors, query, 10)
        distances = [d for _, d in hits]
        assert distances == sorted(distances)
        expected = np.linalg.norm(vectors[ids.index(hits[0][0])].astype(np.float64) - query)
        assert distances[0] == pytest.approx(expected, abs=1e-9)


def test_exact_block_selection_on_a_large_gallery():
    """Past 4k blocks of 1,024 the exact gallery skips blocks; it must still be exact."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((45_000, 128)).astype(np.float32) * 0.05
    ids = [str(i) for i in range(len(vectors))]
    exact = ExactGallery()
    exact.add(ids, vectors)
    for query in vectors[rng.integers(0, len(vectors), 5)] + 0.001:
        for k in (1, 10):
            assert [i for i, _ in exact.search(query, k)] == brute_force(ids, vectors, query, k)


def test_exact_and_faiss_agree_on_top_results(data):
    ids, vectors, queries = data
    exact, approximate = ExactGallery(), FaissHNSWGallery()
    exact.add(ids, vectors)
    approximate.add(ids, vectors)
    overlap = []
    for query in queries:
        expected, found = exact.search(query, 10), approximate.search(query, 10)
        assert found[0] == (expected[0][0], pytest.approx(expected[0][1], abs=1e-5))
        overlap.append(len({i for i, _ in expected} & {i for i, _ in found}) / 10)
    assert np.mean(overlap) >= 0.95


def test_remove_really_removes(gallery, data):
    ids, vectors, queries = data
    gallery.add(ids, vectors)
    nearest = gallery.search(queries[0], 3)
    gone = [item for item, _ in nearest]
    assert gallery.remove([*gone, "case:unknown:photo:1"]) == 3
    assert gallery.remove(gone) == 0  # removing twice is harmless
    assert len(gallery) == len(ids) - 3
    assert all(item not in gallery for item in gone)
    remaining = {item for item, _ in gallery.search(queries[0], 50)}
    assert remaining.isdisjoint(gone)
    for item in gone:  # nor is any removed photo found by searching with itself
        assert gallery.search(vectors[ids.index(item)], 1)[0][0] != item


def test_removing_most_of_a_gallery(gallery, data):
    ids, vectors, _ = data
    gallery.add(ids[:400], vectors[:400])
    gallery.remove(ids[:390])  # a FAISS gallery rebuilds its graph past its tombstone limit
    assert len(gallery) == 10
    hits = gallery.search(vectors[395], 20)
    assert [item for item, _ in hits][0] == ids[395]
    assert {item for item, _ in hits} == set(ids[390:400])
    gallery.remove(ids[390:400])
    assert len(gallery) == 0
    assert gallery.search(vectors[0], 5) == []


def test_add_again_replaces_the_encoding(gallery, data):
    ids, vectors, _ = data
    gallery.add(ids[:100], vectors[:100])
    gallery.add([ids[0]], vectors[50:51])  # the photo was re-encoded
    assert len(gallery) == 100
    hits = gallery.search(vectors[50], 2)
    assert {item for item, _ in hits} == {ids[0], ids[50]}
    assert all(d == pytest.approx(0, abs=1e-3) for _, d in hits)


def test_k_larger_than_gallery_and_empty_gallery(gallery, data):
    ids, vectors, queries = data
    assert gallery.search(queries[0], 5) == []
    gallery.add(ids[:3], vectors[:3])
    assert len(gallery.search(queries[0], 10)) == 3
    assert gallery.search(queries[0], 0) == []


def test_search_many_matches_search(gallery, data):
    ids, vectors, queries = data
    gallery.add(ids[:500], vectors[:500])
    many = gallery.search_many(queries[:3], 5)
    assert [[i for i, _ in hits] for hits in many] == [
        [i for i, _ in gallery.search(query, 5)] for query in queries[:3]
    ]


@pytest.mark.parametrize(
    ("ids", "encodings", "message"),
    [
        (["a"], np.zeros((1, 64)), "128 numbers"),
        (["a", "b"], np.zeros((1, 128)), "2 ids but 1"),
        (["a", "a"], np.zeros((2, 128)), "twice"),
        ([""], np.zeros((1, 128)), "non-empty strings"),
        (["a"], np.full((1, 128), np.nan), "NaN"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(gallery, ids, encodings, message):
    with pytest.raises(ValueError, match=message):
        gallery.add(ids, encodings)
    assert len(gallery) == 0


def test_exact_gallery_hands_back_its_encodings(data):
    ids, vectors, _ = data
    exact = ExactGallery()
    exact.add(ids[:10], vectors[:10])
    exact.remove([ids[3]])
    kept_ids, kept = exact.encodings()
    assert sorted(kept_ids) == sorted(ids[:3] + ids[4:10])
    for item, vector in zip(kept_ids, kept, strict=True):
        assert np.array_equal(vector, vectors[ids.index(item)])


def _same_answers(first: Gallery, second: Gallery, queries: np.ndarray, k: int) -> None:
    for query in queries:
        assert first.search(query, k) == second.search(query, k)


@pytest.mark.parametrize("k", [1, 10, 64])
def test_screened_exact_search_is_exact(data, k):
    """The byte screen of a large gallery changes no result and no distance."""
    ids, vectors, queries = data
    screened, plain = ExactGallery(screen_from=1), ExactGallery(screen_from=None)
    for gallery in (screened, plain):
        gallery.add(ids, vectors)
    _same_answers(screened, plain, queries, k)
    assert screened._screen is not None  # the screen really answered
    for query in queries[:5]:
        assert [i for i, _ in screened.search(query, k)] == brute_force(ids, vectors, query, k)


def test_screen_follows_every_change(data):
    ids, vectors, queries = data
    screened, plain = ExactGallery(capacity=8, screen_from=1), ExactGallery(screen_from=None)
    for gallery in (screened, plain):
        gallery.add(ids[:2000], vectors[:2000])
        gallery.search(queries[0], 5)  # builds the screen; every change below must reach it
        gallery.add(ids[:50], vectors[2000:2050])  # re-encoded photos
        gallery.remove(ids[100:400:3])  # holes filled from the end
        gallery.add(ids[2000:], vectors[2000:])
        gallery.remove([ids[-1], "case:unknown:photo:1"])
    assert len(screened) == len(plain)
    _same_answers(screened, plain, queries, 10)
    _same_answers(screened, plain, vectors[2000:2050], 3)  # the replaced encodings
    for item in ids[100:400:3]:
        assert screened.search(vectors[ids.index(item)], 1)[0][0] != item


def test_screen_that_cannot_decide_falls_back_to_the_full_product():
    """Hundreds of photos at one distance: no screen of a few dozen can prove the top k."""
    rng = np.random.default_rng(5)
    vectors = np.repeat(rng.standard_normal((1, 128)).astype(np.float32) * 0.1, 900, axis=0)
    vectors[::7] += 0.2  # some farther away
    ids = [f"p{i}" for i in range(len(vectors))]
    exact = ExactGallery(screen_from=1)
    exact.add(ids, vectors)
    query = vectors[1] + 0.01
    for k in (1, 10, 50):
        assert [i for i, _ in exact.search(query, k)] == brute_force(ids, vectors, query, k)


def test_faiss_distances_are_exact_even_beyond_the_byte_range(data):
    """The graph walks on bytes (±0.75 clipped); what a caller gets back is measured on floats."""
    ids, vectors, queries = data
    approximate = FaissHNSWGallery()
    outliers = vectors[:20].copy()
    outliers[:, :8] = 2.5  # far beyond dlib's range: clipped for the graph only
    odd_ids = [f"odd:{i}" for i in range(20)]
    approximate.add([*ids, *odd_ids], np.concatenate([vectors, outliers]))
    for query in [*queries[:5], outliers[3] + 0.01]:
        for item, distance in approximate.search(query, 10):
            vector = outliers[odd_ids.index(item)] if item in odd_ids else vectors[ids.index(item)]
            expected = np.linalg.norm(vector.astype(np.float64) - query.astype(np.float64))
            assert distance == pytest.approx(expected, abs=1e-9)
    hits = approximate.search(outliers[3] + 0.01, 3)
    assert hits[0][0] == "odd:3"  # and a clipped encoding is still found by itself


def test_screen_stays_exact_for_numbers_beyond_the_byte_range(data):
    """A copy clipped at ±0.75 widens the proven bound; the answer must stay the exact one."""
    ids, vectors, queries = data
    odd = vectors.copy()
    odd[::50, :4] = 1.9  # a few encodings far outside dlib's range
    screened, plain = ExactGallery(screen_from=1), ExactGallery(screen_from=None)
    for gallery in (screened, plain):
        gallery.add(ids, odd)
    strange = queries[:5].copy()
    strange[:, 10:14] = -2.0  # and queries too
    _same_answers(screened, plain, [*queries[:5], *strange, *odd[:200:50]], 10)
