"""A member's own page: memberships, requests, waiting-list places and offers,
withdrawing, what meets next and messages; and the links staff need in the header."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peer_support.courses.models import CourseIndexPage
from peer_support.spaces.models import (
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
)
from tests.factories import (
    PeerWorkerFactory,
    SafeguardingLeadFactory,
    UserFactory,
)
from tests.site_builders import course_build, finder_make, group_make

pytestmark = pytest.mark.django_db


def hold(space, member, status=MembershipStatus.ACTIVE, **fields):
    return Membership.objects.create(
        space=space, member=member, status=status, **fields
    )


@pytest.fixture
def finder(home_page):
    return finder_make(home_page)


@pytest.fixture
def member_with_everything(finder, home_page):
    member = UserFactory(pseudonym="Quiet Heron")
    weekday = (timezone.localdate() + timedelta(days=2)).weekday()
    active = group_make(
        finder, title="Tuesday Talk", weekday=weekday, join_policy=JoinPolicy.OPEN
    )
    asked = group_make(finder, title="Asked Circle", join_policy=JoinPolicy.REQUEST)
    waiting = group_make(finder, title="Waiting Circle")
    offered = group_make(finder, title="Offered Circle")
    group_make(finder, title="Other Circle")
    courses = home_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    soon = timezone.localdate() + timedelta(days=3)
    course = course_build(
        courses,
        title="Learning Together",
        starts_on=soon,
        enrolment_opens_at=timezone.now() - timedelta(days=1),
        enrolment_closes_at=timezone.now() + timedelta(days=2),
    )
    hold(active, member)
    hold(course, member)
    hold(asked, member, MembershipStatus.REQUESTED)
    hold(waiting, member, MembershipStatus.WAITLISTED, waitlisted_at=timezone.now())
    deadline = timezone.now() + timedelta(days=2)
    hold(
        offered,
        member,
        MembershipStatus.WAITLISTED,
        waitlisted_at=timezone.now(),
        offer_expires_at=deadline,
    )
    MemberNotice.objects.create(
        member=member, space=active, subject="Welcome to Tuesday Talk", body="Hello."
    )
    MemberNotice.objects.create(
        member=member, space=offered, subject="A place is free", body="Accept soon."
    )
    MemberNotice.objects.create(
        member=member,
        space=active,
        subject="Old news",
        body="Read already.",
        read_at=timezone.now(),
    )
    return {
        "member": member,
        "active": active,
        "course": course,
        "asked": asked,
        "waiting": waiting,
        "offered": offered,
        "deadline": deadline,
    }


def test_my_page_shows_every_kind_of_place_meetings_and_messages(
    client, member_with_everything
):
    data = member_with_everything
    client.force_login(data["member"])
    page = client.get("/my/").content.decode()

    for title in (
        "Tuesday Talk",
        "Learning Together",
        "Asked Circle",
        "Waiting Circle",
        "Offered Circle",
    ):
        assert title in page
    assert "Other Circle" not in page
    offers = page.split('id="offers-heading"')[1].split("</section>")[0]
    deadline = timezone.localtime(data["deadline"])
    assert "Offered Circle" in offers
    assert deadline.strftime("%H:%M") in offers and str(deadline.day) in offers
    assert f'href="/spaces/{data["offered"].pk}/join/"' in offers
    assert "Accept your place" in offers

    meetings = page.split('id="meetings-heading"')[1].split("</section>")[0]
    assert "Tuesday Talk" in meetings
    assert "Live session 1" in meetings

    messages = page.split('id="messages-heading"')[1].split("</section>")[0]
    assert "Welcome to Tuesday Talk" in messages and "Old news" in messages
    assert f'href="{data["active"].url}"' in messages
    assert "2 unread" in messages

    header = page.split("</header>")[0]
    assert "My groups and courses" in header
    assert "2 unread messages" in header

    for membership in Membership.objects.filter(member=data["member"]):
        assert f'href="/my/withdraw/{membership.pk}/"' in page


def test_sign_in_needed(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "key, done",
    [
        ("active", "You've left"),
        ("asked", "Your request has been withdrawn"),
        ("waiting", "You've left the waiting list"),
        ("offered", "You've left the waiting list"),
    ],
)
def test_withdraw_asks_first_then_leaves_with_a_record(
    client, member_with_everything, key, done
):
    data = member_with_everything
    membership = Membership.objects.get(member=data["member"], space=data[key])
    client.force_login(data["member"])

    confirm = client.get(f"/my/withdraw/{membership.pk}/")
    assert confirm.status_code == 200
    membership.refresh_from_db()
    assert membership.status != MembershipStatus.LEFT

    response = client.post(f"/my/withdraw/{membership.pk}/", follow=True)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT
    assert MembershipEvent.objects.filter(
        membership=membership, to_status=MembershipStatus.LEFT
    ).exists()
    assert done in html.unescape(response.content.decode())


def test_confirm_page_says_rejoining_needs_approval_for_request_spaces(
    client, member_with_everything
):
    data = member_with_everything
    asked = Membership.objects.get(member=data["member"], space=data["asked"])
    active = Membership.objects.get(member=data["member"], space=data["active"])
    client.force_login(data["member"])
    asked_page = client.get(f"/my/withdraw/{asked.pk}/").content.decode()
    assert "ask again" in asked_page
    assert "a facilitator will read your new request" in asked_page
    assert "ask again" not in (
        client.get(f"/my/withdraw/{active.pk}/").content.decode()
    )


def test_nobody_withdraws_someone_else(client, member_with_everything):
    data = member_with_everything
    theirs = Membership.objects.get(member=data["member"], space=data["active"])
    client.force_login(UserFactory())
    assert client.get(f"/my/withdraw/{theirs.pk}/").status_code == 404
    assert client.post(f"/my/withdraw/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == MembershipStatus.ACTIVE


def test_withdrawing_twice_or_a_missing_place_is_not_found(
    client, member_with_everything
):
    data = member_with_everything
    membership = Membership.objects.get(member=data["member"], space=data["waiting"])
    client.force_login(data["member"])
    client.post(f"/my/withdraw/{membership.pk}/")
    assert client.post(f"/my/withdraw/{membership.pk}/").status_code == 404
    assert client.post("/my/withdraw/999999/").status_code == 404
    assert client.post("/my/withdraw/abc/").status_code == 404


def my_page_queries(client, member) -> int:
    client.force_login(member)
    client.get("/my/")  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my/").status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_memberships(client, finder):
    few, many = UserFactory(), UserFactory()
    weekday = timezone.localdate().weekday()
    for number in range(10):
        group = group_make(finder, title=f"Group {number}", weekday=weekday)
        if number < 2:
            hold(group, few)
        hold(group, many)
        for member in (few, many):
            MemberNotice.objects.create(
                member=member, space=group, subject=f"Notice {number}", body="."
            )
    assert my_page_queries(client, few) == my_page_queries(client, many)


def test_peer_worker_sees_shifts_and_facilitated_groups_in_the_header(
    client, home_page, roles
):
    client.force_login(PeerWorkerFactory())
    header = client.get("/").content.decode().split("</header>")[0]
    assert 'href="/rota/"' in header and "My shifts" in header
    assert 'href="/spaces/facilitate/"' in header and "Groups I facilitate" in header


def test_member_sees_no_staff_links(client, home_page, roles):
    client.force_login(UserFactory())
    header = client.get("/").content.decode().split("</header>")[0]
    assert "My shifts" not in header and "Groups I facilitate" not in header
    assert "My groups and courses" in header


@pytest.mark.parametrize(
    "factory, expected, absent",
    [
        (PeerWorkerFactory, ["My shifts", "Groups I facilitate"], []),
        (SafeguardingLeadFactory, ["My shifts", "Groups I facilitate"], []),
    ],
)
def test_staff_roles_reach_their_tools_from_the_admin_menu(
    client, home_page, roles, factory, expected, absent
):
    client.force_login(factory())
    admin = client.get("/admin/")
    assert admin.status_code == 200
    page = admin.content.decode()
    for label in expected:
        assert label in page
    for label in absent:
        assert label not in page


def test_editor_admin_menu_has_no_rota_links(client, home_page, roles):
    from tests.factories import EditorFactory

    client.force_login(EditorFactory())
    page = client.get("/admin/").content.decode()
    assert "My shifts" not in page and "Groups I facilitate" not in page


def test_leaving_from_the_space_page_asks_first(client, member_with_everything):
    data = member_with_everything
    membership = Membership.objects.get(member=data["member"], space=data["active"])
    client.force_login(data["member"])
    page = client.get(data["active"].url).content.decode()
    # The space page's own confirmation, which says what rejoining would take.
    assert f'href="/spaces/{data["active"].pk}/leave/"' in page
    assert "Leave this space" in page
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
