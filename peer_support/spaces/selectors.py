"""Reads about spaces and memberships; every list that shows members goes through here,
so the visibility rule exists once."""

from django.db.models import Prefetch, QuerySet

from .models import (
    PLACE_HOLDING_STATUSES,
    EligibilityAnswer,
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpacePage,
)
from .permissions import MANAGE_MEMBERS, space_policy

# The place rules are read-only and shared with the services; callers that read a
# space's numbers may keep importing them from here.
from .rules import (  # noqa: F401
    SpaceBalance,
    current_rules_revision_id,
    professional_places_left,
    rules_accepted,
    space_balance,
)


def membership_for(*, user, space: SpacePage) -> Membership | None:
    if not user.is_authenticated or space.pk is None:  # an unsaved page in preview
        return None
    return Membership.objects.filter(space=space, member=user).first()


def may_post(*, user, space: SpacePage) -> tuple[bool, str]:
    """For the discussion: may this member post now, and if not, which step is
    missing ("join", "suspended", "rules")."""
    membership = membership_for(user=user, space=space)
    if membership is None or membership.status not in PLACE_HOLDING_STATUSES:
        return False, "join"
    if membership.status == MembershipStatus.SUSPENDED:
        return False, "suspended"
    if not rules_accepted(membership=membership, space=space):
        return False, "rules"
    return True, ""


def spaces_listed_publicly(queryset: QuerySet | None = None) -> QuerySet:
    """Spaces that may appear in the finder and site search: live, public, not invite
    only. Pass a queryset of a SpacePage subclass (GroupPage...) to filter it."""
    queryset = SpacePage.objects.all() if queryset is None else queryset
    return queryset.live().public().exclude(join_policy=JoinPolicy.INVITE)


def unlisted_space_ids() -> QuerySet:
    """Ids of pages that must stay out of site search (invite-only spaces)."""
    return SpacePage.objects.filter(join_policy=JoinPolicy.INVITE).values("pk")


def spaces_managed_by(*, user) -> QuerySet:
    """The spaces whose members this user looks after: the policy's one query."""
    return space_policy.instances_user_has_permission_for(user, MANAGE_MEMBERS)


def _with_member(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("member").prefetch_related(
        Prefetch("member__groups")
    )


def space_members(*, space: SpacePage) -> QuerySet:
    """People holding a place (active or suspended), for facilitators only."""
    return _with_member(
        Membership.objects.filter(space=space, status__in=PLACE_HOLDING_STATUSES)
    ).order_by("joined_at", "pk")


def space_requests(*, space: SpacePage) -> QuerySet:
    return (
        Membership.objects.filter(space=space, status=MembershipStatus.REQUESTED)
        .select_related("member")
        .prefetch_related(
            Prefetch("answers", queryset=EligibilityAnswer.objects.order_by("pk"))
        )
        .order_by("updated_at", "pk")
    )


def space_waiting_list(*, space: SpacePage) -> QuerySet:
    return (
        Membership.objects.filter(space=space, status=MembershipStatus.WAITLISTED)
        .select_related("member")
        .order_by("waitlisted_at", "pk")
    )


def space_past_members(*, space: SpacePage) -> QuerySet:
    return (
        Membership.objects.filter(
            space=space,
            status__in=[
                MembershipStatus.LEFT,
                MembershipStatus.REMOVED,
                MembershipStatus.BANNED,
                MembershipStatus.DECLINED,
            ],
        )
        .select_related("member")
        .order_by("-updated_at", "-pk")
    )


def membership_history(*, membership: Membership) -> QuerySet:
    return MembershipEvent.objects.filter(membership=membership).select_related("actor")


def member_notices(*, user) -> QuerySet:
    return MemberNotice.objects.filter(member=user).select_related("space")
