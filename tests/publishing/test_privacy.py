"""Nothing private ever reaches a public file.

Plants a unique canary in every private field of a case (and in its photo's EXIF, in an
unpublished draft, and in an unpublished case), in the metadata of every kind of image a site
shows (a case photo's JPEG comment and ICC profile, a companion photo's and the country logo's
PNG text chunks and ICC profile), exports and builds, and scans every byte of the snapshot and
of the generated sites — posters included, their text, metadata and embedded images — and of
the alert emails sent to a subscriber near the case, for any canary.
"""

import datetime as dt
import io
import struct

import pypdf
import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageCms, PngImagePlugin
from wagtail.images.models import Image

from cms.cases.models import CasePage, CasePhoto, Companion
from cms.tips.models import Tip
from tests.conftest import make_case
from tests.pdf import pdf_text
from tests.publishing.conftest import output_bytes

CANARIES = {
    "investigator_notes": "CANARY-NOTES-7f3a",
    "family_contacts": "CANARY-FAMILY-91bc",
    "medical_details": "CANARY-MEDICAL-55de",
    "home_address": "CANARY-ADDRESS-0a0a",
    "photo_sources": "CANARY-SOURCE-c4c4",
}
EXIF_CANARY = "CANARY-EXIF-CAMERA-8e8e"
DRAFT_CANARY = "CANARY-DRAFT-CLOTHING-3b3b"
UNPUBLISHED_CANARY = "CANARY-UNPUBLISHED-NAME"
TIP_CANARIES = ("CANARY-TIP-SEEN-4d4d", "CANARY-TIP-PHONE-6f6f")
# Image metadata other than EXIF: what a photo editor, a scanner or a phone gallery writes.
JPEG_COMMENT_CANARY = "CANARY-JPEG-COMMENT-1c1c"
PNG_TEXT_CANARIES = ("CANARY-PNG-TEXT-2d2d", "CANARY-PNG-ITXT-3e3e", "CANARY-PNG-ZTXT-4f4f")
LOGO_TEXT_CANARIES = ("CANARY-LOGO-TEXT-5a5a", "CANARY-LOGO-ITXT-6b6b", "CANARY-LOGO-ZTXT-7c7c")
ICC_CANARIES = ("CANARY-ICC-P1", "CANARY-ICC-C2", "CANARY-ICC-L3")  # as long as "sRGB built-in"


def icc_profile(description: str) -> bytes:
    """A valid sRGB ICC profile whose description (what a colour tool shows) is `description`."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    builtin = "sRGB built-in".encode("utf-16-be")
    assert len(description) == len("sRGB built-in") and builtin in profile
    profile = profile.replace(builtin, description.encode("utf-16-be"))
    parsed = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    assert ImageCms.getProfileDescription(parsed).strip() == description
    return profile


def stored_image(country, title: str, data: bytes, name: str) -> Image:
    return Image.objects.create(
        title=title, file=ImageFile(io.BytesIO(data), name=name), collection=country.collection
    )


def photo_with_exif(country) -> Image:
    """A case photo as a camera and a photo editor leave it: EXIF, a comment, an ICC profile."""
    picture = PILImage.new("RGB", (900, 1200), (180, 140, 120))
    exif = PILImage.Exif()
    exif[0x010F] = EXIF_CANARY  # camera make
    exif[0x0131] = EXIF_CANARY  # software
    buffer = io.BytesIO()
    picture.save(
        buffer,
        "JPEG",
        exif=exif.tobytes(),
        comment=JPEG_COMMENT_CANARY,
        icc_profile=icc_profile(ICC_CANARIES[0]),
    )
    assert EXIF_CANARY.encode() in buffer.getvalue()
    assert JPEG_COMMENT_CANARY.encode() in buffer.getvalue()
    return stored_image(country, "exif photo", buffer.getvalue(), "exif.jpg")


def png_with_text(country, title: str, texts: tuple[str, str, str], icc: str, mode: str) -> Image:
    """A PNG carrying a tEXt (keyed "comment", which Pillow would take for a JPEG comment), an
    iTXt and a zTXt chunk and an ICC profile."""
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("comment", texts[0])
    chunks.add_itxt("Description", texts[1])
    chunks.add_text("Author", texts[2], zip=True)
    picture = PILImage.new(mode, (300, 300), (40, 90, 160, 200)[: len(mode)])
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", pnginfo=chunks, icc_profile=icc_profile(icc))
    data = buffer.getvalue()
    assert texts[0].encode() in data and texts[1].encode() in data and b"zTXt" in data
    return stored_image(country, title, data, f"{title}.png")


def pdf_readable(name: str, data: bytes) -> dict[str, bytes]:
    """What a person's PDF tools show of a poster: its text, metadata and embedded images."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = {f"{name} (text)": pdf_text(data).encode()}
    found[f"{name} (metadata)"] = repr(dict(reader.metadata or {})).encode()
    for page in reader.pages:
        for image in page.images:
            found[f"{name} (image {image.name})"] = image.data
    return found


def poster_sources(content) -> dict[str, bytes]:
    """The HTML every poster and share image of the snapshot is laid out from."""
    from sitegen.context import case_view, site_view
    from sitegen.posters import PosterMaker
    from sitegen.snapshot import read_snapshot
    from sitegen.theme import Theme

    snapshot = read_snapshot(content)
    maker = PosterMaker(Theme(), content)
    found = {}
    for code, site_content in snapshot.sites.items():
        for locale, records in site_content.locales.items():
            site = site_view(records.site)
            for case_id, record in records.cases.items():
                case = case_view(record, site, dt.date.today())
                for kind in ("poster", "share"):
                    found[f"{code}/{locale}/{case_id} {kind}.html"] = maker.html(
                        kind, case, site
                    ).encode()
    return found


@pytest.mark.django_db
def test_no_private_value_reaches_any_public_byte(
    countries, public, publish_all, settings, mailoutbox
):
    settings.HOMEWARD_POSTERS = True
    subscribe_near(countries["MX"])  # the alert email is scanned too
    mx = countries["MX"]
    mx.logo = png_with_text(mx, "logo", LOGO_TEXT_CANARIES, ICC_CANARIES[2], "RGBA")
    mx.save()
    case = make_case(mx, given_name="Paloma", case_number="MX-P-1", **CANARIES)
    case.photos.add(CasePhoto(image=photo_with_exif(mx), age_progressed_to=12))
    companion_photo = png_with_text(mx, "companion", PNG_TEXT_CANARIES, ICC_CANARIES[1], "RGB")
    case.companions.add(Companion(name="Tío Fictional", photo=companion_photo))
    case.save_revision().publish()
    # A later draft, never published, must not leak either.
    draft = CasePage.objects.get(pk=case.pk)
    draft.clothing = DRAFT_CANARY
    draft.save_revision()
    make_case(mx, given_name=UNPUBLISHED_CANARY, case_number="MX-P-2", publish=False)
    # A tip about the case: tips (and the leads they produce) never leave the CMS.
    Tip.objects.create(
        country=mx,
        case=case,
        description=TIP_CANARIES[0],
        contact_phone=TIP_CANARIES[1],
        sender_fingerprint="x",
    )

    publish_all()

    files = {
        **output_bytes(public / "content"),
        **{f"out/{k}": v for k, v in output_bytes(public / "output").items()},
    }
    assert any(b"Paloma" in data for data in files.values()), "the case was not published"
    # Every kind of public output is among the bytes scanned: geo tiles and indexes, GeoJSON,
    # CAP messages and indexes, verification pages, the widget's pages.
    for kind in ("/geo/", ".geojson", "/cap/", "/verify/", "/near/", "/embed/"):
        assert any(kind in name and b"Paloma" in data for name, data in files.items()) or any(
            kind in name for name in files
        ), kind
    assert any("/geo/" in name and b"Paloma" in data for name, data in files.items())
    assert any("/cap/" in name and b"Paloma" in data for name, data in files.items())
    canaries = [*CANARIES.values(), EXIF_CANARY, DRAFT_CANARY, UNPUBLISHED_CANARY, *TIP_CANARIES]
    canaries += [JPEG_COMMENT_CANARY, *PNG_TEXT_CANARIES, *LOGO_TEXT_CANARIES, *ICC_CANARIES]
    # PDF text is compressed: read it back as text too, with its metadata and the images it
    # embeds; a share image is pixels, so the HTML it is drawn from is read instead.
    posters = [name for name in files if name.endswith("/poster.pdf")]
    assert posters, "no poster was made"
    readable = dict(files)
    for name in posters:
        readable.update(pdf_readable(name, files[name]))
    readable.update(poster_sources(public / "content"))
    alerts = [m for m in mailoutbox if "Paloma" in m.subject]
    assert alerts, "no alert was sent"
    for number, message in enumerate(mailoutbox):
        readable[f"email {number} to {message.to}"] = message.message().as_bytes()
    assert any("Paloma" in name or b"Paloma" in data for name, data in readable.items())
    for name, data in readable.items():
        for canary in canaries:
            # ICC descriptions are UTF-16. PNG's zTXt and iCCP chunks are compressed, so their
            # canaries never show as plain bytes: assert_no_metadata below finds those.
            for encoded in (canary.encode(), canary.encode("utf-16-be")):
                assert encoded not in data, f"{canary} leaked into {name}"
    media = [name for name in files if name.startswith("content/media/") or "/media/" in name]
    assert len({name.rsplit("/", 1)[1] for name in media}) >= 3, "photo, companion, logo"
    for name in media:
        assert_no_metadata(name, files[name])
    # Every poster shows the photo, the companion's photo and the logo.
    for name in posters:
        assert len([k for k in readable if k.startswith(f"{name} (image")]) >= 3, name


def subscribe_near(country) -> None:
    """A confirmed subscriber within 10 km of where make_case's children were last seen."""
    from django.utils import timezone

    from cms.distribution.models import Subscriber

    subscriber = Subscriber.objects.create(
        country=country,
        email="alerts@example.org",
        language="es",
        area="point",
        latitude=19.43,
        longitude=-99.13,
        radius_km=10,
        confirmed_at=timezone.now(),
    )
    subscriber.cover_area()


def assert_no_metadata(name: str, data: bytes) -> None:
    """A published image is pixels and nothing else: no comment, text, profile or XMP."""
    with PILImage.open(io.BytesIO(data)) as image:
        kept = set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
        kept -= {"progressive", "progression", "dpi"}  # how the pixels are stored, no more
        assert not kept, f"{name} keeps metadata {sorted(kept)}"
        assert not image.getexif(), f"{name} keeps EXIF"
        if image.format == "JPEG":
            assert image.info.get("jfif_density") == (1, 1), f"{name} says a resolution"
            markers = jpeg_markers(data)
            assert markers <= {0xE0, 0xDB, 0xC2, 0xC4, 0xDA, 0xDD}, (name, sorted(markers))
        else:
            chunks = {chunk for chunk, _data in png_chunks(data)}
            assert chunks <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}, (name, chunks)


def jpeg_markers(data: bytes) -> set[int]:
    """The segment markers of a JPEG up to its image data (APPn, COM, tables...)."""
    markers, at = set(), 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.add(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


def png_chunks(data: bytes):
    at = 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        yield kind, data[at + 8 : at + 8 + length]
        at += 12 + length
