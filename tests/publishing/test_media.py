"""The renditions the export publishes are pixels and nothing else, in sRGB.

Every format an editor may upload, with every kind of metadata Pillow reads and could write back
out; and colour profiles, which are applied to the pixels instead of being copied.
"""

import io
import struct

import pytest
from PIL import Image as PILImage
from PIL import ImageCms, PngImagePlugin

from cms.publishing.media import UnreadableImage, rendition_bytes

CANARY = "CANARY-META-9d9d"
XMP = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{CANARY}</dc:creator></x:xmpmeta>'


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def swapped_primaries_profile() -> bytes:
    """A valid RGB profile whose red and blue primaries are sRGB's blue and red: a pixel that
    says (220, 30, 30) in it is blue on screen."""
    profile = bytearray(srgb_profile())
    count = struct.unpack(">I", profile[128:132])[0]
    at = {bytes(profile[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = at[b"rXYZ"], at[b"bXYZ"]
    profile[red + 4 : red + 12], profile[blue + 4 : blue + 12] = (
        profile[blue + 4 : blue + 12],
        profile[red + 4 : red + 12],
    )
    return bytes(profile)


def exif() -> bytes:
    data = PILImage.Exif()
    data[0x010F] = CANARY  # camera make
    return data.tobytes()


def upload(kind: str) -> bytes:
    """An upload of one format, carrying every metadata Pillow can write in it."""
    out = io.BytesIO()
    rgb = PILImage.new("RGB", (120, 90), (180, 140, 120))
    if kind == "jpeg":
        rgb.save(
            out,
            "JPEG",
            comment=CANARY,
            exif=exif(),
            xmp=XMP.encode(),
            icc_profile=srgb_profile(),
            dpi=(300, 300),
        )
    elif kind in ("png", "png-alpha"):
        chunks = PngImagePlugin.PngInfo()
        chunks.add_text("comment", CANARY)
        chunks.add_itxt("XML:com.adobe.xmp", XMP)
        chunks.add_text("Author", CANARY, zip=True)
        picture = rgb if kind == "png" else rgb.convert("RGBA")
        picture.save(
            out, "PNG", pnginfo=chunks, icc_profile=srgb_profile(), dpi=(300, 300), exif=exif()
        )
    elif kind == "webp":
        rgb.save(out, "WEBP", xmp=XMP.encode(), exif=exif(), icc_profile=srgb_profile())
    elif kind == "gif":
        rgb.convert("P").save(out, "GIF", comment=CANARY)
    elif kind == "tiff":
        rgb.save(out, "TIFF", description=CANARY, icc_profile=srgb_profile(), dpi=(300, 300))
    return out.getvalue()


@pytest.mark.parametrize("kind", ["jpeg", "png", "png-alpha", "webp", "gif", "tiff"])
def test_a_rendition_keeps_no_metadata(kind):
    original = upload(kind)
    rendition = rendition_bytes(original)
    assert CANARY.encode() not in rendition.data
    with PILImage.open(io.BytesIO(rendition.data)) as image:
        kept = set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
        assert kept - {"progressive", "progression"} == set(), kept
        assert image.info.get("jfif_density", (1, 1)) == (1, 1)  # no resolution either
        assert not image.getexif()
        assert image.size == (120, 90)
        assert image.mode == ("RGBA" if kind == "png-alpha" else "RGB")


@pytest.mark.parametrize(("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGBA")])
def test_a_colour_profile_is_applied_to_the_pixels_then_dropped(fmt, mode):
    out = io.BytesIO()
    PILImage.new(mode, (40, 40), (220, 30, 30, 128)[: len(mode)]).save(
        out, fmt, icc_profile=swapped_primaries_profile()
    )
    rendition = rendition_bytes(out.getvalue())
    with PILImage.open(io.BytesIO(rendition.data)) as image:
        assert "icc_profile" not in image.info
        red, _green, blue, *alpha = image.getpixel((20, 20))
    assert blue > 180 and red < 80, "the colours were not converted to sRGB"
    assert alpha == ([128] if mode == "RGBA" else [])


def test_a_damaged_profile_leaves_the_pixels_as_they_are():
    out = io.BytesIO()
    PILImage.new("RGB", (40, 40), (220, 30, 30)).save(out, "PNG", icc_profile=b"nonsense" * 20)
    rendition = rendition_bytes(out.getvalue())
    with PILImage.open(io.BytesIO(rendition.data)) as image:
        assert image.getpixel((20, 20)) == pytest.approx((220, 30, 30), abs=3)
        assert "icc_profile" not in image.info


def test_an_upright_photo_from_its_exif_orientation():
    data = PILImage.Exif()
    data[0x0112] = 6  # rotate 90° clockwise to display
    out = io.BytesIO()
    PILImage.new("RGB", (120, 90), (10, 10, 10)).save(out, "JPEG", exif=data.tobytes())
    rendition = rendition_bytes(out.getvalue())
    assert (rendition.width, rendition.height) == (90, 120)


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", upload("jpeg")[:300], upload("png")[:-40]],
    ids=["empty", "text", "truncated-jpeg", "truncated-png"],
)
def test_bytes_that_are_not_a_whole_image_are_refused(data):
    with pytest.raises(UnreadableImage) as refused:
        rendition_bytes(data)
    assert refused.value.reason == UnreadableImage.DAMAGED
