"""Decoding photos of every shape into upright RGB, and planning the detection scale."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from match_worker import images
from match_worker.images import UnreadableImage, load_rgb, plan_detection_scale


def encoded(image: Image.Image, fmt: str = "PNG", **save_args) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_args)
    return buffer.getvalue()


def test_rgb_jpeg_from_bytes_and_path(tmp_path):
    data = encoded(Image.new("RGB", (40, 30), (200, 10, 10)), "JPEG")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    for source in (data, path, str(path)):
        rgb = load_rgb(source)
        assert rgb.shape == (30, 40, 3)
        assert rgb.dtype == np.uint8
        assert rgb.flags.c_contiguous


@pytest.mark.parametrize("mode", ["L", "1", "CMYK", "YCbCr", "I;16", "I", "F", "LA"])
def test_every_colour_mode_becomes_rgb(mode):
    if mode == "I;16":  # 16-bit greyscale, as scanners write it
        image = Image.new("I;16", (16, 12), 40_000)
    else:
        image = Image.new("L", (16, 12), 128).convert(mode)
    fmt = "TIFF" if mode in ("CMYK", "YCbCr", "I", "F", "I;16") else "PNG"
    rgb = load_rgb(encoded(image, fmt))
    assert rgb.shape == (12, 16, 3)


def test_transparency_is_laid_over_white():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    image.putpixel((0, 0), (255, 0, 0, 255))
    rgb = load_rgb(encoded(image))
    assert tuple(rgb[5, 5]) == (255, 255, 255)
    assert tuple(rgb[0, 0]) == (255, 0, 0)


def test_palette_with_transparency():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([0, 0, 0, 10, 200, 10] + [0] * 762)
    image.info["transparency"] = 0
    image.putpixel((1, 1), 1)
    rgb = load_rgb(encoded(image, transparency=0))
    assert tuple(rgb[0, 0]) == (255, 255, 255)
    assert tuple(rgb[1, 1]) == (10, 200, 10)


def test_exif_orientation_is_applied():
    image = Image.new("RGB", (60, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 10, 20))  # a red band on the stored image's left edge
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    rgb = load_rgb(encoded(image, "JPEG", exif=exif, quality=95))
    assert rgb.shape == (60, 20, 3)  # displayed upright: portrait
    top_row = rgb[2, 10]
    assert top_row[0] > 200 and top_row[2] < 60  # the left band is now on top


@pytest.mark.parametrize(
    "exif",
    [
        b"Exif\x00\x00garbage-garbage",
        # A big-endian TIFF header whose Orientation entry points past the end of the block.
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x09\x00\x00",
    ],
)
def test_damaged_exif_still_gives_the_pixels(exif):
    rgb = load_rgb(encoded(Image.new("RGB", (30, 20)), "JPEG", exif=exif))
    assert rgb.shape == (20, 30, 3)


def test_first_frame_of_an_animation():
    frames = [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    rgb = load_rgb(buffer.getvalue())
    assert rgb[0, 0, 0] > 200


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"this is not an image at all", "not an image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image|damaged"),
    ],
)
def test_non_images_raise_unreadable(data, reason):
    with pytest.raises(UnreadableImage, match=reason):
        load_rgb(data)


def test_truncated_jpeg_is_refused():
    noise = np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    data = encoded(Image.fromarray(noise), "JPEG")
    with pytest.raises(UnreadableImage, match="damaged"):
        load_rgb(data[: len(data) // 2])


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(UnreadableImage, match="no such file"):
        load_rgb(tmp_path / "absent.jpg")
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(UnreadableImage, match="empty"):
        load_rgb(tmp_path / "empty.jpg")


def test_oversized_images_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000)
    with pytest.raises(UnreadableImage, match="too large"):
        load_rgb(encoded(Image.new("L", (200, 100))))


def test_unreadable_is_a_value_error_and_a_face_engine_error():
    assert issubclass(UnreadableImage, ValueError)
    assert issubclass(UnreadableImage, images.FaceEngineError)


def test_detection_scale_plans():
    assert plan_detection_scale(800, 600).is_identity
    tiny = plan_detection_scale(120, 90)
    assert tiny.factor > 1 and min(tiny.height, tiny.width) == 200
    huge = plan_detection_scale(3000, 4000)
    assert huge.factor < 1 and max(huge.height, huge.width) == 1600
    strip = plan_detection_scale(50, 1500)  # enlarging to 200 would pass the longest limit
    assert max(strip.height, strip.width) <= 1600


def test_boxes_map_back_to_photo_pixels_and_are_clipped():
    scale = plan_detection_scale(4000, 3000)
    assert scale.to_photo((400, 800, 800, 400), (4000, 3000, 3)) == (1000, 2000, 2000, 1000)
    assert scale.to_photo((-4, 1300, 1700, -8), (4000, 3000, 3)) == (0, 2999, 3999, 0)
    assert scale.to_detection((1000, 2000, 2000, 1000)) == (400, 800, 800, 400)


def test_resize_gives_planned_shape():
    scale = plan_detection_scale(100, 150)
    rgb = np.zeros((100, 150, 3), dtype=np.uint8)
    assert scale.resize(rgb).shape == (scale.height, scale.width, 3)
    assert plan_detection_scale(300, 300).resize(rgb) is rgb
