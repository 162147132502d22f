"""One policy decides who may do what in a space: the single-space check, the
"every space where" query, the admin, the templates and the views agree."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from peer_support.rotas.models import AssignmentStatus, Duty, Shift, ShiftAssignment
from peer_support.spaces import services
from peer_support.spaces.models import Membership, MembershipStatus, SpaceFacilitator
from peer_support.spaces.permissions import (
    MANAGE_MEMBERS,
    MARK_ATTENDANCE,
    VIEW_PRIVATE_DETAILS,
    SpacePermissionPolicy,
    space_policy,
    user_may,
)
from peer_support.spaces.selectors import spaces_managed_by
from tests.factories import (
    FacilitatedSpaceFactory,
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    SafeguardingLeadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def space_create(home_page, **fields):
    return FacilitatedSpaceFactory(parent=home_page, **fields)


def _shift_for(space, worker, *, starts_in, status=AssignmentStatus.ACTIVE):
    start = timezone.now() + starts_in
    shift = Shift.objects.create(
        duty=Duty.SPACE_COVER, space=space, start=start, end=start + timedelta(hours=2)
    )
    ShiftAssignment.objects.create(shift=shift, worker=worker, status=status)
    return shift


def test_policy_is_a_wagtail_permission_policy_over_spaces():
    from wagtail.permission_policies.base import BasePermissionPolicy

    assert isinstance(space_policy, SpacePermissionPolicy)
    assert isinstance(space_policy, BasePermissionPolicy)


def test_facilitator_who_is_not_staff_manages_and_sees_the_link(
    client, home_page, roles
):
    facilitator = UserFactory(is_staff=False)
    space = space_create(home_page, facilitator=facilitator)
    client.force_login(facilitator)

    assert user_may(facilitator, MANAGE_MEMBERS, space)
    assert list(spaces_managed_by(user=facilitator)) == [space]
    assert client.get(f"/spaces/{space.pk}/manage/").status_code == 200
    assert f"/spaces/{space.pk}/manage/" in client.get(space.url).content.decode()


def test_member_neither_manages_nor_sees_the_link(client, home_page, roles):
    space = space_create(home_page)
    member = UserFactory()
    services.membership_join(space_id=space.pk, member=member)
    client.force_login(member)

    assert not user_may(member, MANAGE_MEMBERS, space)
    assert not spaces_managed_by(user=member).exists()
    assert client.get(f"/spaces/{space.pk}/manage/").status_code == 403
    assert f"/spaces/{space.pk}/manage/" not in client.get(space.url).content.decode()


def test_facilitator_of_another_space_does_not_manage_this_one(
    client, home_page, roles
):
    space = space_create(home_page)
    other = space_create(home_page, title="Morning group")
    stranger = other.facilitators.get().worker

    assert not user_may(stranger, MANAGE_MEMBERS, space)
    assert list(spaces_managed_by(user=stranger)) == [other]
    client.force_login(stranger)
    assert client.get(f"/spaces/{space.pk}/manage/").status_code == 403


def test_staff_granted_every_space_manage_all_of_them(home_page, roles):
    space = space_create(home_page)
    other = space_create(home_page, title="Morning group")
    staff = PeerWorkerFactory()
    staff.user_permissions.add(
        Permission.objects.get(codename="manage_any_space_members")
    )
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache

    assert user_may(staff, MANAGE_MEMBERS, space)
    assert set(spaces_managed_by(user=staff)) == {space, other}


def test_instance_checks_and_the_query_agree_for_every_action(home_page, roles):
    spaces = [space_create(home_page, title=f"Group {n}") for n in range(3)]
    worker = spaces[0].facilitators.get().worker
    SpaceFacilitator.objects.create(page=spaces[1], worker=worker)
    Membership.objects.create(
        space=spaces[2], member=worker, status=MembershipStatus.ACTIVE
    )
    for action in (VIEW_PRIVATE_DETAILS, MANAGE_MEMBERS, MARK_ATTENDANCE):
        allowed = set(space_policy.instances_user_has_permission_for(worker, action))
        for space in spaces:
            assert (space in allowed) == space_policy.user_has_permission_for_instance(
                worker, action, space
            ), (action, space)
    assert set(
        space_policy.instances_user_has_permission_for(worker, VIEW_PRIVATE_DETAILS)
    ) == set(spaces)
    assert set(
        space_policy.instances_user_has_permission_for(worker, MANAGE_MEMBERS)
    ) == set(spaces[:2])


def test_an_unknown_action_is_refused(home_page, roles):
    space = space_create(home_page)
    assert not user_may(space.facilitators.get().worker, "launch_rockets", space)


# --- private details (exact address, meeting link): least privilege --------------


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("active member", True),
        ("facilitator", True),
        ("peer worker on an upcoming shift here", True),
        ("peer worker on shift here now", True),
        ("anonymous", False),
        ("requester", False),
        ("suspended member", False),
        ("former member", False),
        ("peer worker without a shift here", False),
        ("peer worker whose shift here is over", False),
        ("peer worker released from a shift here", False),
        ("peer worker on shift for another space", False),
        ("facilitator of another space", False),
        ("rota coordinator", False),
        ("safeguarding lead", False),
    ],
)
def test_private_details_are_for_members_facilitators_and_workers_on_shift(
    home_page, roles, who, allowed
):
    from django.contrib.auth.models import AnonymousUser

    space = space_create(home_page)
    other = space_create(home_page, title="Morning group")
    hour = timedelta(hours=1)
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "facilitator":
        user = space.facilitators.get().worker
    elif who == "facilitator of another space":
        user = other.facilitators.get().worker
    elif who == "rota coordinator":
        user = RotaCoordinatorFactory()
    elif who == "safeguarding lead":
        user = SafeguardingLeadFactory()
    elif who.startswith("peer worker"):
        user = PeerWorkerFactory()
        shifts = {
            "peer worker on an upcoming shift here": (space, 24 * hour, "active"),
            "peer worker on shift here now": (space, -hour, "active"),
            "peer worker whose shift here is over": (space, -5 * hour, "active"),
            "peer worker released from a shift here": (space, hour, "released"),
            "peer worker on shift for another space": (other, hour, "active"),
        }
        if who in shifts:
            where, starts_in, status = shifts[who]
            _shift_for(where, user, starts_in=starts_in, status=status)
    else:
        user = UserFactory()
        status = {
            "active member": MembershipStatus.ACTIVE,
            "requester": MembershipStatus.REQUESTED,
            "suspended member": MembershipStatus.SUSPENDED,
            "former member": MembershipStatus.LEFT,
        }[who]
        Membership.objects.create(space=space, member=user, status=status)

    assert user_may(user, VIEW_PRIVATE_DETAILS, space) is allowed
    assert (
        space
        in space_policy.instances_user_has_permission_for(user, VIEW_PRIVATE_DETAILS)
    ) is allowed


# --- the admin listing follows the same query ---------------------------------------


def test_admin_membership_listing_shows_only_spaces_the_user_manages(
    client, home_page, roles
):
    mine = space_create(home_page, title="Evening group")
    theirs = space_create(home_page, title="Morning group")
    services.membership_join(
        space_id=mine.pk, member=UserFactory(pseudonym="Mine Moth")
    )
    other = services.membership_join(
        space_id=theirs.pk, member=UserFactory(pseudonym="Other Owl")
    )
    facilitator = mine.facilitators.get().worker  # a peer worker: admin access
    client.force_login(facilitator)

    html = client.get("/admin/memberships/").content.decode()
    assert "Mine Moth" in html
    assert "Other Owl" not in html
    assert client.get(f"/admin/memberships/inspect/{other.pk}/").status_code == 404
    events = client.get("/admin/membership-events/").content.decode()
    assert "Mine Moth" in events
    assert "Other Owl" not in events
