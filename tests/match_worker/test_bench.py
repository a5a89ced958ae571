"""The benchmark runs end to end on small sizes, and its synthetic encodings look like faces."""

from __future__ import annotations

import json

import numpy as np

from match_worker import bench


def test_synthetic_encodings_are_shaped_like_face_encodings():
    data = bench.synthetic_gallery(6_000, queries=50, seed=1)
    assert data.encodings.shape == (6_000, 128) and data.encodings.dtype == np.float32
    norms = np.linalg.norm(data.encodings, axis=1)
    assert 1.2 < np.median(norms) < 1.6  # dlib encodings: norm about 1.4
    same, other = [], []
    for query, owner in zip(data.queries, data.query_owners, strict=True):
        distances = np.linalg.norm(data.encodings - query, axis=1)
        same.extend(distances[data.owners == owner])
        other.extend(distances[data.owners != owner][:50])
    assert 0.3 < np.median(same) < 0.5  # two photos of one person
    assert 0.65 < np.median(other) < 0.9  # two different people
    assert np.mean(np.array(same) <= 0.58) > 0.9


def test_bench_runs_and_ends_with_json(mixed, tmp_path, capsys):
    (tmp_path / "mixed").mkdir()
    for name in ("obama_small.jpg", "two_people.jpg"):  # links: the photos stay in shared/
        (tmp_path / "mixed" / name).symlink_to(mixed / name)
    assert bench.main(["--sizes", "3000", "--queries", "20", "--faces", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["encoding"]["images_per_second"] > 0
    photos = result["encoding"]["mixed"]
    assert (photos["images"], photos["with_face"]) == (2, 2)
    [search] = result["search"]
    assert search["size"] == 3000
    assert search["exact"]["planted_recall@10"] == 1.0
    assert search["faiss"]["recall@10"] >= 0.9
    assert set(search["faiss"]["by_ef_search"]) >= {"64", "128"}
