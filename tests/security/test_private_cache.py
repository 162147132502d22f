import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", [reverse("profile"), "/", "/search/?query=x", reverse("password_change")]
)
def test_every_response_to_a_signed_in_member_is_private_and_not_stored(
    client, home_page, url
):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_sign_in_response_itself_is_not_stored(client):
    member = UserFactory(email="member@example.org")
    response = client.post(
        reverse("login"),
        {"username": member.email, "password": "a-long-test-password-1"},
    )
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_for_visitors_are_left_cacheable(client, home_page):
    response = client.get("/")

    assert "no-store" not in response.get("Cache-Control", "")
