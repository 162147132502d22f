"""Reads about spaces and memberships; every list that shows members goes through here,
so the visibility rule exists once."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    PLACE_HOLDING_STATUSES,
    EligibilityAnswer,
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpacePage,
    SpaceRole,
)


@dataclass(frozen=True)
class SpaceBalance:
    """Members holding a place in a space and how many more may join, by role.

    Places offered to the waiting list are held for the person offered, so they count
    as taken until the offer is accepted or expires.
    """

    active: int
    professionals: int
    places_left: int | None  # None: no limit
    professional_places_left: int | None
    waiting: int = 0
    offered: int = 0
    requested: int = 0

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def members(self) -> int:
        return self.active - self.professionals

    @property
    def professional_share(self) -> int:
        """Professionals as a whole-number percentage of members holding a place."""
        return round(100 * self.professionals / self.active) if self.active else 0


def space_balance(*, space: SpacePage) -> SpaceBalance:
    offered_q = Q(status=MembershipStatus.WAITLISTED, offer_expires_at__isnull=False)
    professional_q = Q(role=SpaceRole.PROFESSIONAL)
    counts = Membership.objects.filter(space_id=space.pk).aggregate(
        active=Count("pk", filter=Q(status__in=PLACE_HOLDING_STATUSES)),
        professionals=Count(
            "pk", filter=Q(status__in=PLACE_HOLDING_STATUSES) & professional_q
        ),
        offered=Count("pk", filter=offered_q),
        offered_professionals=Count("pk", filter=offered_q & professional_q),
        waiting=Count("pk", filter=Q(status=MembershipStatus.WAITLISTED)),
        requested=Count("pk", filter=Q(status=MembershipStatus.REQUESTED)),
    )
    active, professionals = counts["active"], counts["professionals"]
    offered = counts["offered"]
    taken = active + offered
    places_left = None if space.capacity is None else max(space.capacity - taken, 0)
    return SpaceBalance(
        active=active,
        professionals=professionals,
        places_left=places_left,
        professional_places_left=professional_places_left(
            space=space,
            active=taken,
            professionals=professionals + counts["offered_professionals"],
        ),
        waiting=counts["waiting"] - offered,
        offered=offered,
        requested=counts["requested"],
    )


def professional_places_left(
    *, space: SpacePage, active: int, professionals: int
) -> int | None:
    """How many more professionals may join now without breaking either cap.

    The share cap counts the newcomer: (professionals + n) / (active + n) must stay at
    or under the share.
    """
    limits = []
    if space.max_professionals is not None:
        limits.append(space.max_professionals - professionals)
    share = space.max_professional_share
    if share is not None and share < 100:
        # Largest n with 100 * (p + n) <= share * (a + n).
        limits.append((share * active - 100 * professionals) // (100 - share))
    if space.capacity is not None:
        limits.append(space.capacity - active)
    if not limits:
        return None
    return max(min(limits), 0)


def membership_for(*, user, space: SpacePage) -> Membership | None:
    if not user.is_authenticated or space.pk is None:  # an unsaved page in preview
        return None
    return Membership.objects.filter(space=space, member=user).first()


def current_rules_revision_id(*, space: SpacePage) -> int | None:
    """The live revision of the space's ground rules; None when there is nothing to
    accept (no rules, or rules not published)."""
    rules = space.ground_rules
    if rules is None or not rules.live:
        return None
    return rules.live_revision_id


def rules_accepted(*, membership: Membership, space: SpacePage | None = None) -> bool:
    """Has this member accepted the space's current ground rules? False after the
    rules change, until they accept again."""
    current = current_rules_revision_id(space=space or membership.space)
    return current is None or membership.rules_revision_id == current


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
    if not user.is_authenticated:
        return SpacePage.objects.none()
    if user.is_superuser or user.has_perm("spaces.manage_any_space_members"):
        return SpacePage.objects.all()
    return SpacePage.objects.filter(facilitators__worker=user)


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
