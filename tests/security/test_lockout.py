"""Login lock-out: one account at one address, a looser cap for an address, and the
client's address read through exactly the configured number of proxies."""

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from peer_support.accounts.lockout import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def sign_in(client, email, password, forwarded_for=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        reverse("login"), {"username": email, "password": password}, **extra
    )


def signed_in_as(client, member) -> bool:
    return client.session.get("_auth_user_id") == str(member.pk)


def fail(client, email, times, forwarded_for=None):
    for _attempt in range(times):
        sign_in(client, email, "wrong-password", forwarded_for)


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client):
    member = UserFactory(email="member@example.org")
    fail(client, "member@example.org", settings.AXES_FAILURE_LIMIT, "203.0.113.5")

    locked = sign_in(client, "member@example.org", PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    sign_in(client, "member@example.org", PASSWORD, "198.51.100.7")
    assert signed_in_as(client, member)


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_a_forged_forwarded_address_does_not_escape_the_lock(client):
    UserFactory(email="member@example.org")
    for index in range(settings.AXES_FAILURE_LIMIT):
        # The client writes a new address each time; the proxy appends the real one.
        sign_in(client, "member@example.org", "wrong", f"192.0.2.{index}, 203.0.113.5")

    locked = sign_in(client, "member@example.org", PASSWORD, "192.0.2.99, 203.0.113.5")
    assert locked.status_code == 429


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.5", PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "", PROXY),
    ],
)
def test_client_address_trusts_exactly_the_configured_proxy_hops(
    hops, forwarded, expected
):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        assert client_address(request) == expected


def test_one_persons_typos_on_a_shared_computer_do_not_lock_out_others(client):
    UserFactory(email="typo@example.org")
    other = UserFactory(email="other@example.org")
    fail(client, "typo@example.org", settings.AXES_FAILURE_LIMIT)

    assert sign_in(client, "typo@example.org", PASSWORD).status_code == 429
    sign_in(client, "other@example.org", PASSWORD)
    assert signed_in_as(client, other)


@override_settings(AXES_ADDRESS_FAILURE_LIMIT=8)
def test_an_address_trying_many_accounts_is_locked_at_its_own_looser_cap(client):
    last = UserFactory(email="last@example.org")
    for index in range(4):
        fail(client, f"guess{index}@example.org", 2)

    response = sign_in(client, "last@example.org", PASSWORD)
    assert response.status_code == 429
    assert not signed_in_as(client, last)


def test_warns_before_the_last_try(client):
    UserFactory(email="member@example.org")
    fail(client, "member@example.org", settings.AXES_FAILURE_LIMIT - 3)
    two_left = sign_in(client, "member@example.org", "wrong").content.decode()
    assert "One more try" not in two_left

    one_left = sign_in(client, "member@example.org", "wrong").content.decode()
    assert "One more try" in one_left
    assert sign_in(client, "member@example.org", PASSWORD).status_code == 302


def test_early_tries_carry_no_warning(client):
    UserFactory(email="member@example.org")
    first = sign_in(client, "member@example.org", "wrong").content.decode()
    assert "One more try" not in first


def test_a_success_resets_that_accounts_count_at_that_address_only(client):
    member = UserFactory(email="member@example.org")
    UserFactory(email="other@example.org")
    fail(client, "member@example.org", settings.AXES_FAILURE_LIMIT - 1)
    fail(client, "other@example.org", settings.AXES_FAILURE_LIMIT - 1)

    sign_in(client, "member@example.org", PASSWORD)
    assert signed_in_as(client, member)
    client.post(reverse("logout"))

    # The member has all their tries again ...
    fail(client, "member@example.org", settings.AXES_FAILURE_LIMIT - 1)
    sign_in(client, "member@example.org", PASSWORD)
    assert signed_in_as(client, member)
    client.post(reverse("logout"))
    # ... but the other account's count at this address is untouched.
    fail(client, "other@example.org", 1)
    assert sign_in(client, "other@example.org", PASSWORD).status_code == 429


def test_email_sign_in_ignores_case(client):
    member = UserFactory(email="member@example.org")

    sign_in(client, "Member@Example.ORG", PASSWORD)

    assert signed_in_as(client, member)


def test_failures_in_any_case_count_against_the_same_account(client):
    UserFactory(email="member@example.org")
    for index in range(settings.AXES_FAILURE_LIMIT):
        email = "member@example.org" if index % 2 else "MEMBER@example.org"
        sign_in(client, email, "wrong")

    assert sign_in(client, "member@example.org", PASSWORD).status_code == 429
