"""Finding and encoding faces in real photos of every shape a tip can arrive in.

Same person: distance within the operating threshold; different people: beyond it.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image, ImageFile

from match_worker.engine import ENCODING_SIZE, Face, FaceEngine, UnreadableImage, face_distances
from match_worker.ranking import OPERATING_THRESHOLD


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(face_distances(a[None], b)[0])


def jpeg(image: Image.Image, **save_args) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, **save_args)
    return buffer.getvalue()


def the_face(engine: FaceEngine, source) -> Face:
    faces = engine.faces(source)
    assert len(faces) == 1, f"expected one face, found {len(faces)}"
    return faces[0]


def test_encodings_are_128_float32(engine, mixed):
    face = the_face(engine, mixed / "obama.jpg")
    assert face.encoding.shape == (ENCODING_SIZE,)
    assert face.encoding.dtype == np.float32
    top, right, bottom, left = face.box
    assert 0 <= top < bottom and 0 <= left < right


def test_same_person_close_different_people_far(engine, mixed, reference):
    obama2 = the_face(engine, mixed / "obama2.jpg").encoding
    assert distance(obama2, reference["obama"]) <= OPERATING_THRESHOLD
    assert distance(obama2, reference["biden"]) > OPERATING_THRESHOLD
    assert distance(reference["obama"], reference["biden"]) > OPERATING_THRESHOLD


def test_two_people_in_one_photo(engine, mixed):
    faces = engine.faces(mixed / "two_people.jpg")
    assert len(faces) == 2
    assert distance(faces[0].encoding, faces[1].encoding) > OPERATING_THRESHOLD
    assert faces[0].area >= faces[1].area  # largest first


def test_each_face_in_a_group_photo_matches_its_person(engine, mixed, reference):
    # The photo also shows a child at its lower right edge, found as a third, smaller face.
    faces = engine.faces(mixed / "obama_and_biden.jpg")
    assert len(faces) >= 2
    for name in ("obama", "biden"):
        near = [f for f in faces if distance(f.encoding, reference[name]) <= OPERATING_THRESHOLD]
        assert len(near) == 1, f"{name} should match exactly one face in the group photo"
    obama = min(faces, key=lambda f: distance(f.encoding, reference["obama"]))
    biden = min(faces, key=lambda f: distance(f.encoding, reference["biden"]))
    assert obama.box[3] > biden.box[3]  # Biden stands on the left of the picture
    assert {obama.box, biden.box} <= {f.box for f in faces[:2]}  # the two largest faces


def test_rgba_png(engine, mixed, reference):
    face = the_face(engine, mixed / "32bit.png")
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD


def test_tiny_photo_is_enlarged_for_detection(engine, mixed, reference):
    thumbnail = Image.open(mixed / "obama_small.jpg").convert("RGB")
    thumbnail.thumbnail((150, 150))  # about 150×112: the face is ~50 px, too small for HOG as is
    face = the_face(engine, jpeg(thumbnail))
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD
    top, right, bottom, left = face.box
    assert bottom <= thumbnail.height and right <= thumbnail.width  # in the thumbnail's pixels
    small = the_face(engine, mixed / "obama_small.jpg")
    assert distance(small.encoding, reference["obama"]) <= OPERATING_THRESHOLD


def test_exif_rotated_photo_still_matches(engine, mixed, reference):
    upright = Image.open(mixed / "obama2.jpg").convert("RGB")
    upright_face = the_face(engine, jpeg(upright))
    # A phone stores the picture sideways and says "rotate 90° clockwise" in EXIF.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    face = the_face(engine, jpeg(stored, exif=exif))
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD
    assert np.allclose(face.box, upright_face.box, atol=4)  # boxes are in upright pixels


def test_greyscale_photo_still_matches(engine, mixed, reference):
    grey = Image.open(mixed / "obama.jpg").convert("L")
    face = the_face(engine, jpeg(grey))
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD


def test_huge_photo_is_reduced_for_detection_and_boxes_map_back(engine, mixed, reference):
    original = Image.open(mixed / "obama.jpg").convert("RGB")
    box = the_face(engine, mixed / "obama.jpg").box
    factor = 4000 / max(original.size)
    huge = original.resize((round(original.width * factor), round(original.height * factor)))
    face = the_face(engine, jpeg(huge))
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD
    expected = np.array(box) * factor
    assert np.allclose(face.box, expected, atol=0.12 * (expected[2] - expected[0]))


def test_corrupt_file_raises_a_clear_error(engine, mixed, tmp_path):
    data = (mixed / "obama.jpg").read_bytes()
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadableImage, match="damaged or incomplete"):
        engine.faces(broken)
    with pytest.raises(UnreadableImage, match="not an image"):
        engine.faces(b"GIF89a but not really")


def test_photo_without_a_face_gives_no_faces(engine):
    assert engine.faces(jpeg(Image.new("RGB", (400, 300), (90, 140, 200)))) == []


def test_cnn_detector_through_the_same_api(mixed, reference):
    engine = FaceEngine("cnn")
    face = the_face(engine, mixed / "obama_small.jpg")
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD


def test_jitters_give_a_comparable_encoding(mixed, reference):
    face = the_face(FaceEngine(num_jitters=3), mixed / "obama2.jpg")
    assert distance(face.encoding, reference["obama"]) <= OPERATING_THRESHOLD


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError, match="unknown face detector"):
        FaceEngine("sift")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="num_jitters"):
        FaceEngine(num_jitters=0)
    with pytest.raises(ValueError, match="uint8"):
        FaceEngine().faces_in_pixels(np.zeros((10, 10), dtype=np.float32))


def test_encode_at_known_boxes(engine, mixed, reference):
    from match_worker.images import load_rgb

    rgb = load_rgb(mixed / "obama.jpg")
    boxes = engine.detect(rgb)
    assert len(boxes) == 1
    [encoding] = engine.encode(rgb, boxes)
    assert distance(encoding, reference["obama"]) < 0.05


def test_same_encodings_as_face_recognition(engine, mixed):
    """The engine loads dlib's models itself; it must give what face_recognition gives."""
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
            import face_recognition
        image = face_recognition.load_image_file(mixed / "obama2.jpg")
        locations = face_recognition.face_locations(image)
        [expected] = face_recognition.face_encodings(image, locations)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated  # face_recognition sets it process-wide
    [face] = engine.faces_in_pixels(image)
    assert face.box == locations[0]
    assert distance(face.encoding, expected.astype(np.float32)) < 1e-5
