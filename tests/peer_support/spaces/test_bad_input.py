"""Garbage posted to any form of spaces and courses gets a clear answer (never a
server error) and changes nothing."""

import pytest

from peer_support.courses.models import LiveSessionAttendance
from peer_support.spaces import services
from peer_support.spaces.models import (
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    SpaceInvite,
)
from tests.factories import (
    CoursePageFactory,
    FacilitatedSpaceFactory,
    MembershipFactory,
    SpaceFacilitatorFactory,
    UserFactory,
)

from .boundaries import question_add

pytestmark = pytest.mark.django_db


def space_create(home_page, **fields):
    return FacilitatedSpaceFactory(parent=home_page, **fields)


GARBAGE = ["abc", "-1", "0", "1e9", "99999999999999999999", "", "\x00", "<script>"]


def _state():
    return (
        list(Membership.objects.order_by("pk").values()),
        MembershipEvent.objects.count(),
        list(MemberNotice.objects.order_by("pk").values("pk", "read_at")),
        SpaceInvite.objects.count(),
        LiveSessionAttendance.objects.count(),
    )


@pytest.fixture
def world(home_page, roles, client):
    space = space_create(home_page, join_policy=JoinPolicy.REQUEST)
    facilitator = space.facilitators.get().worker
    member = UserFactory()
    requester = services.membership_request(
        space_id=space.pk, member=UserFactory(), answers={}
    )
    question_add(space)
    held = Membership.objects.create(space=space, member=member, status="active")
    MemberNotice.objects.create(member=member, space=space, subject="s", body="b")
    return {
        "space": space,
        "facilitator": facilitator,
        "member": member,
        "requester": requester,
        "held": held,
    }


@pytest.mark.parametrize("value", GARBAGE)
def test_notices_reject_a_bad_notice_value(client, world, value):
    client.force_login(world["member"])
    before = _state()

    response = client.post("/spaces/notices/", {"notice": value}, follow=True)

    assert response.status_code < 500
    assert "couldn&#x27;t tell which notice" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("value", GARBAGE)
def test_join_rejects_garbage(client, world, value):
    client.force_login(UserFactory())
    before = _state()
    space = world["space"]

    response = client.post(
        f"/spaces/{space.pk}/join/",
        {"waitlist": value, "question_abc": value, "as_professional": value},
    )

    assert response.status_code < 500
    assert _state() == before


@pytest.mark.parametrize("value", GARBAGE)
def test_suspension_with_bad_days_changes_nothing(client, world, value):
    client.force_login(world["facilitator"])
    before = _state()
    space, target = world["space"], world["held"]

    response = client.post(
        f"/spaces/{space.pk}/manage/{target.pk}/suspend/",
        {"days": value, "reason": "Please take a break."},
        follow=True,
    )

    assert response.status_code < 500
    page = response.content.decode()
    assert (
        "Please check the reason and the number of days." in page
        or "A suspension lasts between 1 and 365 days." in page
    )
    assert _state() == before


@pytest.mark.parametrize("value", GARBAGE)
def test_invites_reject_garbage(client, home_page, roles, value):
    space = space_create(home_page, join_policy=JoinPolicy.INVITE)
    client.force_login(space.facilitators.get().worker)

    response = client.post(
        f"/spaces/{space.pk}/manage/invites/", {"days_valid": value}, follow=True
    )

    assert response.status_code < 500
    assert "An invite lasts between 1 and 90 days." in response.content.decode()
    assert not SpaceInvite.objects.exists()


@pytest.mark.parametrize("value", GARBAGE)
def test_rules_and_leave_reject_garbage(client, world, value):
    client.force_login(world["member"])
    space = world["space"]

    rules = client.post(f"/spaces/{space.pk}/rules/", {"accept_rules": value})
    assert rules.status_code < 500
    leave = client.post(f"/spaces/{space.pk}/leave/", {"anything": value})
    assert leave.status_code < 500


@pytest.mark.parametrize("value", GARBAGE)
def test_course_forms_reject_garbage(client, home_page, roles, value):
    from peer_support.courses.models import CourseIndexPage
    from tests.factories import PeerWorkerFactory

    index = home_page.add_child(instance=CourseIndexPage(title="Courses"))
    course = CoursePageFactory(parent=index)
    moderator, member = PeerWorkerFactory(), UserFactory()
    SpaceFacilitatorFactory(page=course, worker=moderator)
    MembershipFactory(space=course, member=member)
    session = course.live_sessions.first()
    before = _state()

    client.force_login(moderator)
    sheet = client.post(
        f"{course.url}sessions/{session.pk}/attendance/", {"member": [value]}
    )
    assert sheet.status_code == 400
    client.force_login(member)
    here = client.post(f"{course.url}sessions/{value or 0}/join/")
    assert here.status_code < 500
    assert _state() == before
