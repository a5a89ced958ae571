"""Sign-in throttling (django-axes): wrong passwords lock an account out at one address, with
a clear page in the person's language, until the time runs out or a network admin unlocks it.

django-axes is off in the other tests (the test client signs in without a request); here it is
on with every other setting as production has it.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, make_user

LOGIN = "/admin/login/"
LOCKS = "/admin/locked_sign_ins/"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


def sign_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client) -> bool:
    return client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.fixture
def investigator(countries):
    return make_user("mx-investigator", countries["MX"].investigators_group)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, investigator):
    codes = [sign_in(client, "mx-investigator", f"guess-{i}").status_code for i in range(30)]
    assert codes[:4] == [200] * 4  # the sign-in form again, with its error
    assert set(codes[4:]) == {429}
    response = sign_in(client, "mx-investigator", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many wrong passwords were tried for this account from your connection." in page
    assert "Try again in 30 minutes, or ask a network administrator to unlock it." in page
    assert not signed_in(client)


def test_the_lockout_page_speaks_the_persons_language(client, investigator):
    for i in range(5):
        sign_in(client, "mx-investigator", f"guess-{i}")
    page = sign_in(client, "mx-investigator", PASSWORD, HTTP_ACCEPT_LANGUAGE="es").content
    assert "Demasiadas contraseñas incorrectas".encode() in page


def test_the_same_account_from_another_address_is_not_locked(client, investigator):
    for i in range(5):
        sign_in(client, "mx-investigator", f"guess-{i}")
    # One person's typos (or an attacker) must not lock an investigator out everywhere.
    assert sign_in(client, "mx-investigator", PASSWORD, address="198.51.100.9").status_code == 302
    assert signed_in(client)


@override_settings(HOMEWARD_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_lock_is_on_the_clients_address(client, investigator):
    proxy = {"address": "10.0.0.5"}
    for i in range(5):
        sign_in(client, "mx-investigator", f"g{i}", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (
        sign_in(
            client, "mx-investigator", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
        ).status_code
        == 429
    )
    assert (
        sign_in(
            client, "mx-investigator", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy
        ).status_code
        == 302
    )


def test_the_lock_ends_when_the_time_runs_out(client, investigator):
    for i in range(5):
        sign_in(client, "mx-investigator", f"guess-{i}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert sign_in(client, "mx-investigator", PASSWORD).status_code == 302


def test_a_network_admin_unlocks_an_account(client, investigator):
    for i in range(5):
        sign_in(client, "mx-investigator", f"guess-{i}")
    make_user("network-admin", is_superuser=True)
    admin = type(client)()
    assert sign_in(admin, "network-admin", PASSWORD, address="192.0.2.50").status_code == 302
    listing = admin.get(LOCKS).content.decode()
    assert "mx-investigator" in listing and "203.0.113.7" in listing
    attempt = AccessAttempt.objects.get(username="mx-investigator")
    unlock = f"{LOCKS}delete/{attempt.pk}/"
    assert f'href="{unlock}"' in listing  # the Unlock button
    assert (
        "Let mx-investigator sign in again from 203.0.113.7?" in admin.get(unlock).content.decode()
    )
    assert admin.post(unlock).status_code == 302
    assert "203.0.113.7" not in admin.get(LOCKS).content.decode()
    assert sign_in(client, "mx-investigator", PASSWORD).status_code == 302


def test_only_network_admins_see_who_is_locked_out(client, investigator, countries):
    for i in range(5):
        sign_in(client, "mx-investigator", f"guess-{i}")
    make_user("ua-editor", countries["UA"].editors_group)
    editor = type(client)()
    assert sign_in(editor, "ua-editor", PASSWORD, address="192.0.2.60").status_code == 302
    attempt = AccessAttempt.objects.get(username="mx-investigator")
    for url in (LOCKS, f"{LOCKS}delete/{attempt.pk}/"):
        response = editor.get(url)
        assert response.status_code in (302, 403)
        assert "mx-investigator" not in response.content.decode()
    assert editor.post(f"{LOCKS}delete/{attempt.pk}/").status_code in (302, 403)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
