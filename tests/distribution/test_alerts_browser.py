"""A visitor signs up for alerts on the Mexican site in a real browser (no script needed),
confirms from the email a real SMTP server received, gets the alert of a child who goes missing
5 km away, the retraction when she is found, and stops the alerts with one click; a subscriber
700 km away gets nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from cms.cases.models import CaseStatus
from cms.distribution.models import Subscriber
from cms.publishing.tasks import export_and_build
from tests.browser import chromium, needs_chromium, serve_directory
from tests.conftest import make_case
from tests.distribution.conftest import text_of
from tests.distribution.test_alerts import MONTERREY, confirm_from_email, sign_up

pytestmark = needs_chromium()
VISITOR = "visitante@example.org"


def link_in(text: str, kind: str) -> str:
    return re.search(rf"https?://\S+/alerts/{kind}/\S+/", text).group(0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the CMS serves the browser
def test_sign_up_confirm_alert_retraction_and_stop_in_a_browser(
    live_server, client, countries, smtp, settings, tmp_path: Path
):
    mx = countries["MX"]
    mx.hotline_number, mx.hotline_label = "+52 800 000 0000", "Línea nacional"
    mx.save()
    output = tmp_path / "output"
    output.mkdir()
    with serve_directory(output) as public:
        settings.HOMEWARD_PUBLIC_URL = public
        settings.CORS_ALLOWED_ORIGINS = [public]
        settings.WAGTAILADMIN_BASE_URL = live_server.url
        settings.HOMEWARD_ALERTS_URL = f"{live_server.url}/api/alerts/"
        settings.HOMEWARD_CONTENT_DIR = tmp_path / "content"
        settings.HOMEWARD_OUTPUT_DIR = output
        settings.HOMEWARD_POSTERS = True
        make_case(
            mx, given_name="Ximena", case_number="MX-B-1", last_seen_region="Ciudad de México"
        )
        export_and_build("mx")  # the ORM before the browser: its event loop forbids it inside

        with chromium() as browser:  # on a phone, in Spanish, with no script
            page = browser.new_page(
                viewport={"width": 360, "height": 800}, java_script_enabled=False
            )
            page.goto(f"{public}/mx/es/")
            page.get_by_role("link", name="Alertas por correo").click()
            page.fill("input[name=email]", VISITOR)
            page.select_option("select[name=at]", label="Ciudad de México")
            page.select_option("select[name=radius]", "10")
            page.get_by_role("button", name="Suscribirme").click()
            page.wait_for_url(f"{public}/mx/es/alerts/#alerts-sent")
            assert page.locator("#alerts-sent").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

        (confirmation,) = smtp.to(VISITOR)
        subject = confirmation["Subject"].strip()
        assert subject == "Confirme sus alertas sobre niñas y niños desaparecidos"
        with chromium() as browser:
            page = browser.new_page()
            page.goto(link_in(text_of(confirmation), "confirm"))
            page.get_by_role("button", name="Confirmar mis alertas").click()
            assert "sus alertas están confirmadas" in page.locator("main").inner_text()
        visitor = Subscriber.objects.get(email=VISITOR)
        assert visitor.confirmed_at and visitor.radius_km == 10
        assert (visitor.latitude, visitor.longitude) == (Decimal("19.43"), Decimal("-99.13"))
        assert sign_up(client, "lejos@example.org", at=MONTERREY).status_code == 201
        confirm_from_email(client, smtp, "lejos@example.org")
        smtp.clear()

        # Lucía goes missing about 5 km north: the visitor is alerted, in Spanish; nobody else.
        lucia = make_case(
            mx,
            given_name="Lucía",
            case_number="MX-B-2",
            last_seen_latitude=Decimal("19.475"),
            last_seen_longitude=Decimal("-99.12"),
        )
        export_and_build("mx")
        (alert,) = smtp.messages
        assert alert["To"] == VISITOR
        assert alert["Subject"].strip() == "Niña o niño desaparecido: Lucía Fictional"
        assert "Línea nacional (+52 800 000 0000)" in text_of(alert)

        # Found: the retraction names no one.
        smtp.clear()
        lucia.refresh_from_db()
        lucia.status = CaseStatus.FOUND
        lucia.save_revision().publish()
        export_and_build("mx")
        (retraction,) = smtp.messages
        assert retraction["To"] == VISITOR and "Lucía" not in retraction.as_string()

        stop = link_in(text_of(retraction), "stop")
        with chromium() as browser:
            page = browser.new_page()
            page.goto(stop)
            page.get_by_role("button", name="Dejar de recibir estas alertas").click()
            assert "no recibirá más alertas" in page.locator("main").inner_text()
        assert not Subscriber.objects.filter(email=VISITOR).exists()
