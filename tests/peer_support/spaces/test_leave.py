"""Leaving a space asks first, works without JavaScript, and says what coming back
would take."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus
from tests.factories import MembershipFactory, SpacePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def leave_url(space):
    return reverse("spaces:leave", args=[space.pk])


def member_of(space, **fields):
    return MembershipFactory(space=space, **fields)


def test_leave_link_opens_a_confirmation_and_changes_nothing(client, home_page):
    space = SpacePageFactory(parent=home_page)
    membership = member_of(space)
    client.force_login(membership.member)

    panel = client.get(space.url).content.decode()
    assert f'href="{leave_url(space)}"' in panel

    page = client.get(leave_url(space))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Yes, leave this space" in text
    assert 'method="post"' in text
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_confirming_leaves(client, home_page):
    space = SpacePageFactory(parent=home_page)
    membership = member_of(space)
    client.force_login(membership.member)

    response = client.post(leave_url(space))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (JoinPolicy.OPEN, "You can join again at any time"),
        (JoinPolicy.REQUEST, "a facilitator will need to approve"),
        (JoinPolicy.INVITE, "you&#x27;ll need a new invite"),
        (JoinPolicy.CLOSED, "may not be able to join again"),
    ],
)
def test_confirmation_says_what_rejoining_takes(client, home_page, policy, words):
    space = SpacePageFactory(parent=home_page, join_policy=policy)
    membership = member_of(space)
    client.force_login(membership.member)

    assert words in client.get(leave_url(space)).content.decode()


def test_confirmation_warns_the_place_goes_to_the_waiting_list(client, home_page):
    space = SpacePageFactory(parent=home_page, capacity=1)
    membership = member_of(space)
    member_of(space, status=MembershipStatus.WAITLISTED, waitlisted_at=timezone.now())
    client.force_login(membership.member)

    text = client.get(leave_url(space)).content.decode()

    assert "offered to the next person on the waiting list" in text
    assert "You can join again at any time" not in text


def test_withdrawing_a_request_asks_first(client, home_page):
    space = SpacePageFactory(parent=home_page, join_policy=JoinPolicy.REQUEST)
    membership = member_of(space, status=MembershipStatus.REQUESTED)
    client.force_login(membership.member)

    text = client.get(leave_url(space)).content.decode()

    assert "Withdraw my request" in text
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REQUESTED
    client.post(leave_url(space))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT


def test_leaving_the_waiting_list_says_the_queue_place_is_lost(client, home_page):
    space = SpacePageFactory(parent=home_page, capacity=1)
    member_of(space)
    waiting = member_of(
        space, status=MembershipStatus.WAITLISTED, waitlisted_at=timezone.now()
    )
    client.force_login(waiting.member)

    text = client.get(leave_url(space)).content.decode()

    assert "start at the back" in text


def test_someone_not_in_the_space_cannot_leave_it(client, home_page):
    space = SpacePageFactory(parent=home_page)
    other = member_of(space)
    outsider = UserFactory()
    past = member_of(space, member=UserFactory(), status=MembershipStatus.LEFT)
    for user in (outsider, past.member):
        client.force_login(user)
        for response in (client.get(leave_url(space)), client.post(leave_url(space))):
            assert response.status_code == 302
            assert response["Location"] == space.url
    other.refresh_from_db()
    assert other.status == MembershipStatus.ACTIVE
    assert Membership.objects.filter(member=outsider).count() == 0


def test_signed_out_visitor_is_sent_to_sign_in(client, home_page):
    space = SpacePageFactory(parent=home_page)
    membership = member_of(space)

    response = client.post(leave_url(space))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_leaving_a_course_after_enrolment_closed_says_there_is_no_way_back(
    client, home_page
):
    from tests.factories import CourseIndexPageFactory, CoursePageFactory

    now = timezone.now()
    course = CoursePageFactory(
        parent=CourseIndexPageFactory(parent=home_page),
        enrolment_opens_at=now - timedelta(days=10),
        enrolment_closes_at=now - timedelta(days=1),
        starts_on=timezone.localdate(now),
    )
    membership = member_of(course)
    client.force_login(membership.member)

    text = client.get(leave_url(course)).content.decode()

    assert "You won&#x27;t be able to join again." in text
