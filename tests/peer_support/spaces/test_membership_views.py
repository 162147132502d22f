import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from peer_support.spaces import services
from peer_support.spaces.models import (
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpaceFacilitator,
)
from peer_support.spaces.selectors import spaces_listed_publicly
from tests.factories import (
    FacilitatedSpaceFactory,
    PeerWorkerFactory,
    ProfessionalFactory,
    UserFactory,
)

from .boundaries import question_add, rules_publish

pytestmark = pytest.mark.django_db

Status = MembershipStatus


@pytest.fixture
def two_spaces(home_page):
    here = FacilitatedSpaceFactory(
        parent=home_page, title="Here", join_policy=JoinPolicy.REQUEST
    )
    there = FacilitatedSpaceFactory(
        parent=home_page, title="There", join_policy=JoinPolicy.REQUEST
    )
    return here, there


def request_in(space, member=None):
    return services.membership_request(
        space_id=space.pk, member=member or UserFactory(), answers={}
    )


def active_in(space):
    membership = request_in(space)
    services.membership_approve(
        membership_id=membership.pk, actor=space.facilitators.first().worker
    )
    membership.refresh_from_db()
    return membership


def decide(client, membership, action, **data):
    data.setdefault("reason", "A reason")
    data.setdefault("days", 3)
    return client.post(
        reverse(
            "spaces:decide",
            args=[membership.space_id, membership.pk, action],
        ),
        data,
    )


ACTIONS = [
    ("approve", request_in, Status.ACTIVE),
    ("decline", request_in, Status.DECLINED),
    ("waitlist", request_in, Status.WAITLISTED),
    ("suspend", active_in, Status.SUSPENDED),
    ("remove", active_in, Status.REMOVED),
    ("ban", active_in, Status.BANNED),
]


@pytest.mark.parametrize(("action", "make", "expected"), ACTIONS)
def test_facilitator_acts_on_own_space_but_not_on_another(
    client, two_spaces, action, make, expected, django_capture_on_commit_callbacks
):
    here, there = two_spaces
    facilitator = here.facilitators.get().worker
    mine, theirs = make(here), make(there)
    before = theirs.status
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, mine, action)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == expected
    assert mine.events.filter(actor=facilitator).exists()

    events = MembershipEvent.objects.count()
    assert decide(client, theirs, action).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == before
    assert MembershipEvent.objects.count() == events


@pytest.mark.parametrize(("action", "make", "expected"), ACTIONS)
def test_members_and_other_peer_workers_cannot_act(
    client, two_spaces, action, make, expected
):
    here, _there = two_spaces
    target = make(here)
    for outsider in (
        active_in(here).member,
        PeerWorkerFactory(),
        ProfessionalFactory(),
    ):
        client.force_login(outsider)
        assert decide(client, target, action).status_code == 403
    target.refresh_from_db()
    assert target.status != expected or expected == target.status == Status.ACTIVE


def test_staff_with_global_permission_manage_every_space(client, two_spaces):
    here, there = two_spaces
    staff = PeerWorkerFactory()
    staff.user_permissions.add(
        Permission.objects.get(codename="manage_any_space_members")
    )
    client.force_login(staff)
    for space in (here, there):
        assert client.get(reverse("spaces:manage", args=[space.pk])).status_code == 200
    membership = request_in(there)
    assert decide(client, membership, "approve").status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_members_cannot_see_who_else_is_in_a_space(client, two_spaces):
    here, _ = two_spaces
    member = active_in(here).member
    other = active_in(here).member
    client.force_login(member)
    assert client.get(reverse("spaces:manage", args=[here.pk])).status_code == 403
    page = client.get(here.url).content.decode()
    assert other.pseudonym not in page
    assert "Manage members" not in page


def test_manage_page_shows_balance_answers_and_no_emails(client, home_page):
    space = FacilitatedSpaceFactory(
        parent=home_page, join_policy=JoinPolicy.REQUEST, max_professionals=3
    )
    question = question_add(space, "What would help you most?")
    requester = UserFactory(pseudonym="Shy Robin")
    services.membership_request(
        space_id=space.pk,
        member=requester,
        answers={question.pk: "Company in the evenings"},
    )
    client.force_login(space.facilitators.get().worker)
    html = client.get(reverse("spaces:manage", args=[space.pk])).content.decode()
    assert "Shy Robin" in html
    assert "Company in the evenings" in html
    assert "Balance of voices" in html
    assert requester.email not in html


def members_add(space, n):
    for _ in range(n):
        active_in(space)
        request_in(space)
        services.membership_join(
            space_id=space.pk, member=UserFactory(), waitlist=True
        ) if space.join_policy == JoinPolicy.OPEN else None


def test_manage_page_query_count_does_not_grow_with_members(
    client, home_page, query_count
):
    small = FacilitatedSpaceFactory(
        parent=home_page, title="Small", join_policy=JoinPolicy.REQUEST
    )
    large = FacilitatedSpaceFactory(
        parent=home_page, title="Large", join_policy=JoinPolicy.REQUEST
    )
    worker = PeerWorkerFactory()
    for space in (small, large):
        SpaceFacilitator.objects.create(page_id=space.pk, worker=worker)
    client.force_login(worker)
    members_add(small, 5)
    members_add(large, 50)

    query_count.assert_same(
        reverse("spaces:manage", args=[small.pk]),
        reverse("spaces:manage", args=[large.pk]),
    )


def test_join_page_open_space_with_rules(client, home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    rules_publish(space)
    member = UserFactory()
    client.force_login(member)
    url = reverse("spaces:join", args=[space.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert not Membership.objects.filter(member=member).exists()
    response = client.post(url, {"accept_rules": "on"})
    assert response.status_code == 302
    assert Membership.objects.get(member=member).status == Status.ACTIVE


def test_professional_refused_by_cap_is_offered_the_waiting_list(client, home_page):
    space = FacilitatedSpaceFactory(parent=home_page, max_professionals=0)
    professional = ProfessionalFactory()
    client.force_login(professional)
    url = reverse("spaces:join", args=[space.pk])
    response = client.post(url, {"as_professional": "on"})
    html = response.content.decode()
    assert "balance of voices" in html
    assert "Join the waiting list" in html
    assert not Membership.objects.filter(member=professional).exists()
    response = client.post(url, {"as_professional": "on", "waitlist": "1"})
    assert response.status_code == 302
    assert Membership.objects.get(member=professional).status == Status.WAITLISTED


def test_invite_code_form_reports_bad_code_and_changes_nothing(client, home_page):
    space = FacilitatedSpaceFactory(parent=home_page, join_policy=JoinPolicy.INVITE)
    member = UserFactory()
    client.force_login(member)
    response = client.post(
        reverse("spaces:join", args=[space.pk]), {"invite_code": "not-a-code"}
    )
    assert "isn&#x27;t valid" in response.content.decode()
    assert not Membership.objects.filter(member=member).exists()


def test_notices_are_private_to_their_member(
    client, two_spaces, django_capture_on_commit_callbacks
):
    here, _ = two_spaces
    membership = request_in(here)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(
            membership_id=membership.pk,
            actor=here.facilitators.get().worker,
            reason="The group is full of carers",
        )
    client.force_login(membership.member)
    assert (
        "The group is full of carers"
        in client.get(reverse("spaces:notices")).content.decode()
    )
    assert "1 new message" in client.get(reverse("profile")).content.decode()
    client.force_login(UserFactory())
    assert (
        "The group is full of carers"
        not in client.get(reverse("spaces:notices")).content.decode()
    )
    assert MemberNotice.objects.count() == 1


def test_invite_only_spaces_stay_out_of_search_and_finder(client, home_page):
    FacilitatedSpaceFactory(
        parent=home_page, title="Hidden harbour", join_policy=JoinPolicy.INVITE
    )
    FacilitatedSpaceFactory(
        parent=home_page, title="Open harbour", join_policy=JoinPolicy.OPEN
    )
    html = client.get(reverse("search"), {"query": "harbour"}).content.decode()
    assert "Open harbour" in html
    assert "Hidden harbour" not in html
    assert list(spaces_listed_publicly().values_list("title", flat=True)) == [
        "Open harbour"
    ]


def test_rules_reaccept_page(client, home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    rules = rules_publish(space)
    member = UserFactory()
    services.membership_join(space_id=space.pk, member=member, rules_accepted=True)
    rules_publish(rules=rules, body="<p>New rule</p>")
    client.force_login(member)
    assert "ground rules have changed" in client.get(space.url).content.decode()
    client.post(reverse("spaces:rules_accept", args=[space.pk]), {"accept_rules": "on"})
    assert "ground rules have changed" not in client.get(space.url).content.decode()


def test_facilitator_of_one_space_cannot_open_another_spaces_tools(client, two_spaces):
    here, there = two_spaces
    theirs = request_in(there)
    client.force_login(here.facilitators.get().worker)
    assert client.get(reverse("spaces:manage", args=[here.pk])).status_code == 200
    assert client.get(reverse("spaces:manage", args=[there.pk])).status_code == 403
    assert (
        client.get(reverse("spaces:history", args=[there.pk, theirs.pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("spaces:invite_new", args=[there.pk]), {"days_valid": 5}
        ).status_code
        == 403
    )
    # A membership of another space addressed through this space's URL is not found.
    assert decide(client, theirs, "approve").status_code == 403
    response = client.post(
        reverse("spaces:decide", args=[here.pk, theirs.pk, "approve"]), {"reason": ""}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.REQUESTED


def test_history_reads_back_in_order(client, two_spaces):
    here, _ = two_spaces
    facilitator = here.facilitators.get().worker
    membership = active_in(here)
    services.membership_suspend(
        membership_id=membership.pk, actor=facilitator, reason="Pause", days=2
    )
    client.force_login(facilitator)
    html = client.get(
        reverse("spaces:history", args=[here.pk, membership.pk])
    ).content.decode()
    positions = [
        html.index(word) for word in ("Asked to join", "Request approved", "Suspended")
    ]
    assert positions == sorted(positions)
    assert "Pause (2 days)" in html
