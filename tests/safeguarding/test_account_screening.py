import pytest
from django.urls import reverse

from peer_support.accounts.models import User
from safeguarding.models import Concern
from safeguarding.severity import Severity

pytestmark = pytest.mark.django_db


def test_registration_refuses_a_risky_pseudonym_warmly(client, home_page, roles):
    response = client.post(
        reverse("register"),
        {
            "pseudonym": "Want To Die",
            "email": "new@example.org",
            "password1": "a-long-password-123",
            "password2": "a-long-password-123",
            "consent": "on",
        },
    )
    body = response.content.decode()
    assert "crisis lines" in body
    assert "blocked" not in body.lower()
    assert not User.objects.filter(email="new@example.org").exists()


def test_profile_change_to_a_risky_pseudonym_is_refused_and_raises_a_concern(
    client, member, space, worker
):
    client.force_login(member)
    response = client.post(reverse("profile"), {"pseudonym": "Suicidal Sam"})
    assert "crisis lines" in response.content.decode()
    member.refresh_from_db()
    assert member.pseudonym == "Quiet Heron"
    concern = Concern.objects.get(member=member)
    assert concern.severity == Severity.HIGH
    assert concern.content_ref == "pseudonym"


def test_a_harmless_pseudonym_change_raises_nothing(client, member):
    client.force_login(member)
    client.post(reverse("profile"), {"pseudonym": "Bright Meadow"})
    member.refresh_from_db()
    assert member.pseudonym == "Bright Meadow"
    assert not Concern.objects.exists()
