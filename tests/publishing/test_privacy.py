"""Nothing private ever reaches a public file.

Plants a unique canary in every private field of a case (and in its photo's EXIF, in an
unpublished draft, and in an unpublished case), exports and builds, and scans every byte of the
snapshot and of the generated sites for any canary.
"""

import datetime as dt
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from cms.cases.models import CasePage, CasePhoto
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


def photo_with_exif(country) -> Image:
    picture = PILImage.new("RGB", (900, 1200), (180, 140, 120))
    exif = PILImage.Exif()
    exif[0x010F] = EXIF_CANARY  # camera make
    exif[0x0131] = EXIF_CANARY  # software
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    assert EXIF_CANARY.encode() in buffer.getvalue()
    return Image.objects.create(
        title="exif photo",
        file=ImageFile(buffer, name="exif.jpg"),
        collection=country.collection,
    )


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
def test_no_private_value_reaches_any_public_byte(countries, public, publish_all, settings):
    settings.HOMEWARD_POSTERS = True
    mx = countries["MX"]
    case = make_case(mx, given_name="Paloma", case_number="MX-P-1", **CANARIES)
    case.photos.add(CasePhoto(image=photo_with_exif(mx), age_progressed_to=12))
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
    canaries = [*CANARIES.values(), EXIF_CANARY, DRAFT_CANARY, UNPUBLISHED_CANARY, *TIP_CANARIES]
    # PDF text is compressed: read it back as text too; a share image is pixels, so the HTML it
    # is drawn from is read instead.
    posters = [name for name in files if name.endswith("/poster.pdf")]
    assert posters, "no poster was made"
    readable = {**files, **{f"{n} (text)": pdf_text(files[n]).encode() for n in posters}}
    readable.update(poster_sources(public / "content"))
    assert any("Paloma" in name or b"Paloma" in data for name, data in readable.items())
    for name, data in readable.items():
        for canary in canaries:
            assert canary.encode() not in data, f"{canary} leaked into {name}"
    media = [name for name in files if name.startswith("content/media/") or "/media/" in name]
    assert media, "no photo was exported"
