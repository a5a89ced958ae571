"""Time zones are the IANA database's: a zone file of the server's that is not a zone
("localtime", "Factory") is neither offered nor accepted.

"localtime" is a link to the server's own zone: it means nothing on another machine, and
browsers refuse it (Wagtail's account page stopped localizing its zone list on it)."""

import pytest
from django.core.exceptions import ValidationError

from cms.countries.models import validate_timezone
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_an_editors_account_offers_real_time_zones_only(client, staff):
    assert client.login(username=staff["UA"]["editor"].username, password=PASSWORD)
    page = client.get("/admin/account/").content.decode()
    assert 'value="Europe/Kyiv"' in page and 'value="America/Mexico_City"' in page
    assert 'value="localtime"' not in page and 'value="Factory"' not in page


@pytest.mark.parametrize("zone", ["localtime", "Factory", "Mars/Olympus"])
def test_a_country_zone_that_is_no_zone_is_refused(zone):
    with pytest.raises(ValidationError):
        validate_timezone(zone)


def test_a_real_zone_is_accepted():
    validate_timezone("Africa/Casablanca")
