"""The unread-messages count in the header, kept per member in the cache: a new
notice, one read, or any update to a member's notices shows on their next page, and
one member's count is never shown to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peer_support.spaces.models import MemberNotice, Membership, MembershipStatus
from peer_support.spaces.services.base import notify
from tests.factories import UserFactory
from tests.site_builders import finder_make, group_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(home_page):
    return group_make(finder_make(home_page), title="Tuesday Talk")


@pytest.fixture
def member(space):
    member = UserFactory(pseudonym="Quiet Heron")
    Membership.objects.create(
        space=space, member=member, status=MembershipStatus.ACTIVE
    )
    return member


def header(client) -> str:
    return client.get("/my/").content.decode().split("</header>")[0]


def notice_for(member, space, subject="Welcome"):
    return MemberNotice.objects.create(
        member=member, space=space, subject=subject, body="Hello."
    )


def test_a_new_notice_shows_in_the_header_at_once(client, member, space):
    notice_for(member, space)
    client.force_login(member)
    assert "1 unread message" in header(client)

    notify(Membership.objects.get(member=member), subject="A place is free", body="Hi.")

    assert "2 unread messages" in header(client)


def test_reading_a_notice_takes_it_off_the_count(client, member, space):
    first = notice_for(member, space)
    notice_for(member, space, subject="Second")
    client.force_login(member)
    assert "2 unread messages" in header(client)

    client.post("/spaces/notices/", {"notice": first.pk})

    assert "1 unread message" in header(client)


def test_an_update_to_many_notices_shows_at_once(client, member, space):
    notice_for(member, space)
    notice_for(member, space, subject="Second")
    client.force_login(member)
    assert "2 unread messages" in header(client)

    MemberNotice.objects.filter(member=member).update(read_at=timezone.now())

    assert "unread message" not in header(client)


def test_one_members_count_is_never_shown_to_another(client, member, space):
    notice_for(member, space)
    other = UserFactory(pseudonym="Bright Wren")
    client.force_login(member)
    assert "1 unread message" in header(client)

    client.force_login(other)
    assert "unread message" not in header(client)
    notice_for(other, space)
    notice_for(other, space, subject="Second")
    assert "2 unread messages" in header(client)

    client.force_login(member)
    assert "1 unread message" in header(client)


def test_a_second_page_does_not_count_again(client, member, space):
    notice_for(member, space)
    client.force_login(member)
    header(client)

    with CaptureQueriesContext(connection) as queries:
        assert "1 unread message" in header(client)

    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and "membernotice" in q["sql"]
    ]
    assert counts == []
