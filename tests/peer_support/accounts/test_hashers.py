"""Password storage on the production hashers (the test settings use a fast one)."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from peer_site.settings import base
from peer_support.accounts.hashers import PeerArgon2PasswordHasher
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("production_hashers"),
]
PASSWORD = "a long enough passphrase"


@pytest.fixture
def production_hashers():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        yield


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_a_new_password_is_stored_with_argon2id_at_its_full_cost():
    encoded = make_password(PASSWORD)

    assert encoded.startswith("argon2$argon2id$")
    params = identify_hasher(encoded).decode(encoded)
    assert params["memory_cost"] == 32 * 1024
    assert params["time_cost"] == 2
    assert params["parallelism"] == 1
    assert PASSWORD not in encoded


def test_an_old_pbkdf2_password_still_signs_in_and_is_rewritten_with_argon2id(client):
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    member = UserFactory(email="old-hash@example.org", password=PASSWORD)
    type(member).objects.filter(pk=member.pk).update(password=old)

    sign_in(client, member.email, PASSWORD)

    assert client.session["_auth_user_id"] == str(member.pk)
    member.refresh_from_db()
    assert isinstance(identify_hasher(member.password), PeerArgon2PasswordHasher)
    assert member.check_password(PASSWORD)


def test_a_weaker_argon2_hash_is_rewritten_at_the_next_sign_in(client):
    member = UserFactory(email="cheap-hash@example.org")
    weak = PeerArgon2PasswordHasher()
    weak.memory_cost = 1024
    type(member).objects.filter(pk=member.pk).update(
        password=weak.encode(PASSWORD, weak.salt())
    )

    sign_in(client, member.email, PASSWORD)

    member.refresh_from_db()
    stored = identify_hasher(member.password).decode(member.password)
    assert stored["memory_cost"] == 32 * 1024


def test_an_argon2_hash_with_eight_lanes_is_rewritten_with_one(client):
    member = UserFactory(email="many-lanes@example.org")
    laned = PeerArgon2PasswordHasher()
    laned.parallelism = 8
    type(member).objects.filter(pk=member.pk).update(
        password=laned.encode(PASSWORD, laned.salt())
    )

    sign_in(client, member.email, PASSWORD)

    assert client.session["_auth_user_id"] == str(member.pk)
    member.refresh_from_db()
    stored = identify_hasher(member.password).decode(member.password)
    assert stored["parallelism"] == 1
    assert member.check_password(PASSWORD)


def test_a_wrong_password_is_refused_and_repeated_ones_still_lock_out(client):
    member = UserFactory(email="argon-target@example.org")
    member.set_password(PASSWORD)
    member.save()

    answer = sign_in(client, member.email, "not the passphrase")
    assert "Please enter a correct" in answer.content.decode()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, member.email, "not the passphrase")
    locked = sign_in(client, member.email, PASSWORD)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
