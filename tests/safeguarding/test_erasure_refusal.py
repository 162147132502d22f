"""A member with safeguarding records can't erase their account yet, and is told why
in plain words; nothing is removed."""

import pytest
from django.urls import reverse

from peer_support.accounts.models import User
from peer_support.accounts.services import ErasureRefused, member_delete
from safeguarding import services
from safeguarding.models import Concern, ConcernSource
from safeguarding.severity import Severity
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(member, space):
    return services.concern_raise(
        member=member,
        severity=Severity.MEDIUM,
        source=ConcernSource.SCREENING,
        content="I can't go on like this.",
        space=space,
    )


def test_erasure_with_a_concern_is_refused_saying_why(member, concern):
    with pytest.raises(ErasureRefused) as refused:
        member_delete(user=member)

    message = str(refused.value.message)
    assert "safeguarding" in message
    assert "wellbeing" in message
    assert "rota" not in message
    assert User.objects.filter(pk=member.pk).exists()
    assert Concern.objects.filter(pk=concern.pk, member=member).exists()


def test_the_account_page_shows_the_reason(client, member, concern):
    client.force_login(member)

    response = client.post(reverse("delete_account"), {"password": PASSWORD})

    page = response.content.decode()
    assert "our safeguarding team keeps a record" in page
    assert "rota shifts" not in page
    assert User.objects.filter(pk=member.pk).exists()


def test_a_member_without_concerns_can_still_erase(member):
    member_delete(user=member)
    assert not User.objects.filter(pk=member.pk).exists()
