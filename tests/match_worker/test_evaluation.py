"""``python -m match_worker eval``: the figures, and the accuracy the engine must reach on LFW."""

from __future__ import annotations

import json

import numpy as np
import pytest

from match_worker.__main__ import main as cli
from match_worker.evaluation import (
    LabelledEncodings,
    identification_against_gallery,
    labelled_images,
    leave_one_out_ranks,
    verification,
)
from match_worker.ranking import OPERATING_THRESHOLD


def last_json(output: str) -> dict:
    lines = output.strip().splitlines()
    return json.loads(lines[-1])


def test_lfw_subset_accuracy(lfw, capsys):
    """Issue 5: verification accuracy ≥ 99% and rank-1 ≥ 98% on 10 people × 10 photos."""
    assert cli(["eval", str(lfw)]) == 0
    output = capsys.readouterr().out
    figures = last_json(output)
    assert figures["images"] == 100
    assert figures["people"] == 10
    assert (
        figures["genuine_pairs"] + figures["impostor_pairs"]
        == figures["encoded"] * (figures["encoded"] - 1) // 2
    )
    assert figures["encoded"] >= 98, figures["skipped"]
    assert figures["verification_accuracy"] >= 0.99
    assert figures["rank1"] >= 0.98
    assert figures["rank10"] >= figures["rank1"]
    assert figures["tar_at_far_0.1%"] >= 0.9
    assert f"verification accuracy at {OPERATING_THRESHOLD:.2f}:" in output


def test_gallery_against_probes(mixed, tmp_path, capsys):
    gallery, probes = tmp_path / "gallery", tmp_path / "probes"
    # Links, not copies: the shared photos never enter the project.
    for folder, person, name in [
        (gallery, "obama", "obama.jpg"),
        (gallery, "biden", "biden.jpg"),
        (probes, "obama", "obama2.jpg"),
        (probes, "obama", "obama_small.jpg"),
        (probes, "nobody", "two_people.jpg"),
    ]:
        (folder / person).mkdir(parents=True, exist_ok=True)
        (folder / person / name).symlink_to(mixed / name)
    (probes / "obama" / "notes.txt").write_text("not a photo")  # ignored
    (probes / "obama" / "broken.jpg").write_bytes(b"\xff\xd8\xff broken")

    assert cli(["eval", "--gallery", str(gallery), "--probes", str(probes)]) == 0
    output = capsys.readouterr().out
    figures = last_json(output)
    assert figures["gallery"]["encoded"] == 2
    assert figures["probes"]["images"] == 4
    [skipped] = figures["probes"]["skipped"]
    assert skipped["path"].endswith("broken.jpg")
    assert skipped["reason"] == "the file is not an image in a format we can read"
    assert figures["identification_probes"] == 2  # "nobody" is not in the gallery
    assert figures["probes_not_in_gallery"] == 1
    assert figures["rank1"] == 1.0
    assert "skipped" in output and "broken.jpg" in output


def test_usage_errors(tmp_path, capsys):
    assert cli([]) == 2
    assert cli(["eval", str(tmp_path / "absent")]) == 2
    assert "not a folder of people" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli(["eval", str(tmp_path), "--gallery", str(tmp_path)])


def test_labelled_images_lists_people_folders(tmp_path):
    (tmp_path / "ana").mkdir()
    (tmp_path / "ana" / "1.JPG").write_bytes(b"")
    (tmp_path / "ana" / "readme.md").write_text("")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.jpg").write_bytes(b"")
    assert [(p, f.name) for p, f in labelled_images(tmp_path)] == [("ana", "1.JPG")]
    with pytest.raises(FileNotFoundError):
        labelled_images(tmp_path / "ana")


def test_verification_figures_on_known_distances():
    genuine = np.array([0.1, 0.2, 0.3, 0.7])
    impostor = np.linspace(0.5, 1.5, 2000)
    figures = verification(genuine, impostor, threshold=0.4)
    assert figures["verification_accuracy"] == pytest.approx(2003 / 2004)
    assert figures["true_accept_rate"] == 0.75
    assert figures["false_accept_rate"] == 0.0
    # 0.1% of 2,000 impostor pairs: 2 may be accepted; the third (0.501) is the first refused.
    assert figures["threshold_at_far_0.1%"] == pytest.approx(impostor[2])
    assert figures["tar_at_far_0.1%"] == 0.75
    assert figures["best_threshold_accuracy"] == pytest.approx(2003 / 2004)
    with pytest.raises(ValueError):
        verification(np.array([]), impostor, 0.4)


def synthetic(labels: list[str], centres: dict[str, float]) -> LabelledEncodings:
    rng = np.random.default_rng(1)
    vectors = [np.full(128, centres[label]) + rng.normal(0, 0.001, 128) for label in labels]
    return LabelledEncodings(labels, labels, np.array(vectors, dtype=np.float32))


def test_leave_one_out_ranks_people_by_nearest_photo():
    data = synthetic(["a", "a", "b", "b", "c"], {"a": 0.0, "b": 0.01, "c": 0.5})
    ranks = leave_one_out_ranks(data)
    assert ranks.tolist() == [1, 1, 1, 1]  # "c" has no other photo: not a probe


def test_identification_against_gallery_through_the_search_path():
    gallery = synthetic(["a", "b", "c"], {"a": 0.0, "b": 0.02, "c": 0.04})
    probes = synthetic(["b", "z"], {"b": 0.021, "z": 0.0})
    ranks, unknown = identification_against_gallery(gallery, probes)
    assert ranks.tolist() == [1]
    assert unknown == 1
