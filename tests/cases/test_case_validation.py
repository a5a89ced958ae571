"""Bad input in a case gets a clear message in the form, and loses nothing."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.cases.models import CasePage
from cms.countries.models import Country
from cms.publishing import records


def case_form(**overrides):
    data = {
        "case_number": "MX-V-1",
        "case_type": "unknown",
        "status": "missing",
        "given_name": "Lucía",
        "family_name": "Fictional",
        "sex": "female",
        "date_of_birth": "2016-02-10",
        "height_unit": "cm",
        "weight_unit": "kg",
        "missing_since": "2026-06-01 18:30",
        "missing_since_timezone": "America/Mexico_City",
        "last_seen_place": "Mercado municipal",
        "last_seen_region": "Jalisco",
        "agency_name": "Fiscalía Ficticia",
        "agency_phone": "+52 33 0000 0000",
        "last_seen_latitude": "20.6597",
        "last_seen_longitude": "-103.3496",
        "slug": "",
        "photos": inline_formset([]),
        "companions": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.mark.django_db
def test_valid_case_is_created_with_local_time_and_derived_fields(editor_client, add_url):
    response = editor_client.post(add_url, case_form())
    assert response.status_code == 302, response.context["form"].errors
    case = CasePage.objects.get(case_number="MX-V-1")
    assert case.title == "Lucía Fictional"
    assert case.slug == "mx-v-1"  # the address carries the case number, never the name
    assert case.age_when_missing == 10
    # 18:30 in Mexico City (UTC-6) is 00:30 UTC the next day.
    assert case.missing_since == dt.datetime(2026, 6, 2, 0, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_place_known_by_name_only_is_published_without_a_point(editor_client, add_url):
    form = case_form(last_seen_latitude="", last_seen_longitude="", **{"action-publish": "1"})
    response = editor_client.post(add_url, form)
    assert response.status_code == 302, response.context["form"].errors
    case = CasePage.objects.get(case_number="MX-V-1")
    assert case.live and case.last_seen_latitude is None and case.last_seen_longitude is None
    record = records.case_record(case, lambda image: {}, Country.objects.get(code="MX"))
    assert record["last_seen"]["lat"] is None and record["last_seen"]["lon"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"missing_since": (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")},
            "missing_since",
            "cannot be in the future",
        ),
        ({"last_seen_latitude": "91"}, "last_seen_latitude", "less than or equal to 90"),
        ({"last_seen_longitude": "-181"}, "last_seen_longitude", "greater than or equal to -180"),
        ({"last_seen_longitude": ""}, "last_seen_longitude", "the latitude and the longitude"),
        ({"last_seen_latitude": ""}, "last_seen_latitude", "the latitude and the longitude"),
        ({"date_of_birth": "2026-06-05"}, "date_of_birth", "after the date the child went missing"),
        ({"date_of_birth": ""}, "date_of_birth", "estimated age"),
        ({"age_when_missing": "3"}, "age_when_missing", "gives an age of 10"),
        ({"missing_since_timezone": "Mars/Olympus"}, "missing_since_timezone", "not a known"),
        ({"agency_phone": "call me"}, "agency_phone", "phone number"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    editor_client, add_url, overrides, field, message
):
    # Wagtail saves drafts with required fields still empty; publishing checks everything.
    response = editor_client.post(add_url, case_form(**overrides, **{"action-publish": "1"}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    # The editor's other input is still in the form, ready to correct.
    assert response.context["form"]["given_name"].value() == "Lucía"
    assert not CasePage.objects.filter(case_number="MX-V-1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        # Year 1 east of UTC was a server error (OverflowError): it cannot be stored.
        (
            {"missing_since": "0001-01-01 00:30", "missing_since_timezone": "Europe/Kyiv"},
            "missing_since",
        ),
        ({"missing_since": "1899-12-31 23:00"}, "missing_since"),
        ({"date_of_birth": "0001-01-01"}, "date_of_birth"),
    ],
)
@pytest.mark.parametrize("action", ["action-publish", "action-save-draft"])
def test_impossible_dates_are_refused_even_in_a_draft(
    editor_client, add_url, overrides, field, action
):
    response = editor_client.post(add_url, case_form(**overrides, **{action: "1"}))
    assert response.status_code == 200
    assert "Give a date from 1900 on." in response.context["form"].errors[field]
    assert not CasePage.objects.filter(case_number="MX-V-1").exists()


@pytest.mark.django_db
def test_non_image_upload_is_refused_with_a_message(editor_client, countries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("poster.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Not a photo", "file": fake, "collection": countries["MX"].collection.pk},
    )
    assert response.status_code == 200
    assert "Upload a valid image" in " ".join(response.context["form"].errors["file"])


@pytest.mark.django_db
@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1024)
def test_oversized_image_upload_is_refused_with_a_message(editor_client, countries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    noisy = io.BytesIO()
    from PIL import Image

    Image.effect_noise((300, 300), 80).convert("RGB").save(noisy, "PNG")
    upload = SimpleUploadedFile("big.png", noisy.getvalue(), content_type="image/png")
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Too big", "file": upload, "collection": countries["MX"].collection.pk},
    )
    assert response.status_code == 200
    assert "too big" in " ".join(response.context["form"].errors["file"])
