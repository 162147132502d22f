"""What a space's join box says, as a table of states, for a group and for a course;
and that the pages and the join page say the same."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from peer_support.spaces.models import (
    JoinPolicy,
    Membership,
    MembershipStatus,
    SpaceRole,
)
from peer_support.spaces.selectors import JoinState, join_box
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    GroupIndexPageFactory,
    GroupPageFactory,
    ProfessionalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GROUP, COURSE = "group", "course"


def make_space(kind, home_page, **fields):
    fields.setdefault("join_policy", JoinPolicy.OPEN)
    fields.setdefault("capacity", 10)
    if kind == GROUP:
        return GroupPageFactory(
            parent=GroupIndexPageFactory(parent=home_page), title="Evening", **fields
        )
    now = timezone.now()
    fields.setdefault("enrolment_opens_at", now - timedelta(days=1))
    fields.setdefault("enrolment_closes_at", now + timedelta(days=1))
    fields.setdefault("starts_on", timezone.localdate(now) + timedelta(days=2))
    fields.setdefault("ends_on", fields["starts_on"] + timedelta(days=7))
    fields.setdefault("max_service_users", None)
    fields.setdefault("max_professionals", None)
    fields.setdefault("max_professional_share", None)
    return CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), **fields)


def hold(space, member=None, role=SpaceRole.MEMBER, **fields):
    member = member or UserFactory()
    fields.setdefault("status", MembershipStatus.ACTIVE)
    Membership.objects.create(space=space, member=member, role=role, **fields)
    return member


def soon():
    return timezone.now() + timedelta(days=2)


# name: (space fields, viewer ("anonymous", "member", "professional"), set-up, state)
CASES = {
    "anonymous": ({}, "anonymous", None, JoinState.SIGN_IN),
    "open with room": ({}, "member", None, JoinState.OPEN),
    "full: waiting list": (
        {"capacity": 1},
        "member",
        lambda space, viewer: hold(space),
        JoinState.WAITING_LIST,
    ),
    "request policy": (
        {"join_policy": JoinPolicy.REQUEST},
        "member",
        None,
        JoinState.REQUEST,
    ),
    "invite only": (
        {"join_policy": JoinPolicy.INVITE},
        "member",
        None,
        JoinState.INVITE_ONLY,
    ),
    "closed": (
        {"join_policy": JoinPolicy.CLOSED},
        "member",
        None,
        JoinState.NOT_TAKING,
    ),
    "closed, anonymous": (
        {"join_policy": JoinPolicy.CLOSED},
        "anonymous",
        None,
        JoinState.NOT_TAKING,
    ),
    "already member": (
        {},
        "member",
        lambda space, viewer: hold(space, viewer),
        JoinState.MEMBER,
    ),
    "member of a closed space": (
        {"join_policy": JoinPolicy.CLOSED},
        "member",
        lambda space, viewer: hold(space, viewer),
        JoinState.MEMBER,
    ),
    "requested": (
        {"join_policy": JoinPolicy.REQUEST},
        "member",
        lambda space, viewer: hold(space, viewer, status=MembershipStatus.REQUESTED),
        JoinState.REQUESTED,
    ),
    "wait-listed": (
        {"capacity": 1},
        "member",
        lambda space, viewer: (
            hold(space),
            hold(
                space,
                viewer,
                status=MembershipStatus.WAITLISTED,
                waitlisted_at=timezone.now(),
            ),
        ),
        JoinState.WAITLISTED,
    ),
    "offered": (
        {"capacity": 2},
        "member",
        lambda space, viewer: hold(
            space,
            viewer,
            status=MembershipStatus.WAITLISTED,
            waitlisted_at=timezone.now(),
            offer_expires_at=soon(),
        ),
        JoinState.OFFERED,
    ),
    "suspended": (
        {},
        "member",
        lambda space, viewer: hold(
            space, viewer, status=MembershipStatus.SUSPENDED, suspended_until=soon()
        ),
        JoinState.SUSPENDED,
    ),
    "banned": (
        {},
        "member",
        lambda space, viewer: hold(space, viewer, status=MembershipStatus.BANNED),
        JoinState.BANNED,
    ),
    "left earlier": (
        {},
        "member",
        lambda space, viewer: hold(space, viewer, status=MembershipStatus.LEFT),
        JoinState.OPEN,
    ),
    "professional cap reached, for a professional": (
        {"max_professionals": 1},
        "professional",
        lambda space, viewer: hold(
            space, ProfessionalFactory(), role=SpaceRole.PROFESSIONAL
        ),
        JoinState.WAITING_LIST,
    ),
    "professional cap reached, for a service user": (
        {"max_professionals": 1},
        "member",
        lambda space, viewer: hold(
            space, ProfessionalFactory(), role=SpaceRole.PROFESSIONAL
        ),
        JoinState.OPEN,
    ),
}


def _today():
    return timezone.localdate()


COURSE_CASES = {
    "ended course": (
        {
            "enrolment_opens_at": timezone.now() - timedelta(days=60),
            "enrolment_closes_at": timezone.now() - timedelta(days=40),
            "starts_on": _today() - timedelta(days=30),
            "ends_on": _today() - timedelta(days=2),
        },
        "member",
        None,
        JoinState.ENDED,
    ),
    "ended course, anonymous": (
        {
            "starts_on": _today() - timedelta(days=30),
            "ends_on": _today() - timedelta(days=2),
        },
        "anonymous",
        None,
        JoinState.ENDED,
    ),
    "enrolment not open yet": (
        {
            "enrolment_opens_at": timezone.now() + timedelta(days=1),
            "enrolment_closes_at": timezone.now() + timedelta(days=5),
            "starts_on": _today() + timedelta(days=6),
        },
        "member",
        None,
        JoinState.NOT_YET_OPEN,
    ),
    "enrolment closed, course running": (
        {
            "enrolment_opens_at": timezone.now() - timedelta(days=10),
            "enrolment_closes_at": timezone.now() - timedelta(days=1),
            "starts_on": _today() - timedelta(days=1),
        },
        "member",
        None,
        JoinState.NOT_TAKING,
    ),
    "service user cap reached": (
        {"max_service_users": 1},
        "member",
        lambda space, viewer: hold(space),
        JoinState.WAITING_LIST,
    ),
}


def viewer_for(kind):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "professional":
        return ProfessionalFactory()
    return UserFactory()


TABLE = [
    pytest.param(space_kind, *case, id=f"{space_kind}: {name}")
    for space_kind in (GROUP, COURSE)
    for name, case in CASES.items()
] + [
    pytest.param(COURSE, *case, id=f"course: {name}")
    for name, case in COURSE_CASES.items()
]


@pytest.mark.parametrize(("space_kind", "fields", "viewer", "setup", "state"), TABLE)
def test_join_box_state(home_page, space_kind, fields, viewer, setup, state):
    space = make_space(space_kind, home_page, **fields)
    user = viewer_for(viewer)
    if setup:
        setup(space, user)

    box = join_box(user=user, space=space)

    assert box.state == state
    joinable = state in (
        JoinState.SIGN_IN,
        JoinState.INVITE_ONLY,
        JoinState.WAITING_LIST,
        JoinState.REQUEST,
        JoinState.OPEN,
    )
    assert box.shows_places is joinable
    if state == JoinState.WAITING_LIST:
        assert box.reason  # says why there is no place for this person


@pytest.mark.parametrize("space_kind", [GROUP, COURSE])
def test_the_page_shows_the_join_box_state(client, home_page, space_kind):
    space = make_space(space_kind, home_page, join_policy=JoinPolicy.REQUEST)
    client.force_login(UserFactory())

    page = client.get(space.url).content.decode()

    assert f'data-join-state="{JoinState.REQUEST}"' in page
    assert "Ask to join" in page


def test_a_closed_group_shows_no_places_left(client, home_page):
    group = make_space(GROUP, home_page, join_policy=JoinPolicy.CLOSED, capacity=12)

    page = client.get(group.url).content.decode()

    assert "places left" not in page.lower()
    assert "isn&#x27;t taking new members" in page or "isn't taking new" in page


def test_an_ended_course_offers_no_join(client, home_page):
    course = make_space(
        COURSE,
        home_page,
        starts_on=_today() - timedelta(days=30),
        ends_on=_today() - timedelta(days=2),
    )
    member = UserFactory()
    client.force_login(member)

    page = client.get(course.url).content.decode()

    assert "This course has finished." in page
    assert "Open: join at once" not in page
    assert reverse("spaces:join", args=[course.pk]) not in page
    assert "places left" not in page.lower()

    # The join page says so at once, before any consent is asked for.
    response = client.get(reverse("spaces:join", args=[course.pk]), follow=True)
    assert response.redirect_chain[0][0] == course.url
    assert "This course has finished." in response.content.decode()
    assert 'name="consent"' not in response.content.decode()
    assert not Membership.objects.filter(space=course, member=member).exists()


def test_a_course_shows_place_counts_that_agree(client, home_page):
    course = make_space(
        COURSE,
        home_page,
        capacity=32,
        max_service_users=20,
        max_professional_share=50,
    )
    hold(course)

    page = client.get(course.url).content.decode()

    # 19 service users and 1 professional (1 of 2 is 50%): 20 in all, not 31.
    assert 'data-places="service-users">19<' in page
    assert 'data-places="professionals">1<' in page
    assert "20 places left." in page
    assert "31" not in page.split('data-join-state="', 1)[1].split("</section>")[0]
