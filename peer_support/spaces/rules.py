"""Read-only rules about places in a space: how many are left for each role, why a
person cannot have one now, and whether the ground rules are accepted.

Services ask these while holding the space row lock; selectors and pages ask them to
show the same numbers. Nothing here writes, so both may import it.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import (
    PLACE_HOLDING_STATUSES,
    Membership,
    MembershipStatus,
    SpacePage,
    SpaceRole,
)


@dataclass(frozen=True)
class SpaceBalance:
    """Members holding a place in a space and how many more may join, by role.

    Places offered to the waiting list are held for the person offered, so they count
    as taken until the offer is accepted or expires. `places_left` is how many more
    people of any role may join now, so it never promises more than the two role
    counts allow together.
    """

    active: int
    professionals: int
    places_left: int | None  # None: no limit
    professional_places_left: int | None
    waiting: int = 0
    offered: int = 0
    requested: int = 0
    service_user_places_left: int | None = None

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

    def places_for(self, role: str) -> int | None:
        if role == SpaceRole.PROFESSIONAL:
            return self.professional_places_left
        return self.service_user_places_left


def service_user_cap(space: SpacePage) -> int | None:
    """The page type's own cap on members who are not professionals (a course has
    one); None for no cap."""
    return space.specific.service_user_cap()


def _smallest(*limits: int | None) -> int | None:
    known = [limit for limit in limits if limit is not None]
    return max(min(known), 0) if known else None


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
    taken_professionals = professionals + counts["offered_professionals"]
    capacity_left = _smallest(
        None if space.capacity is None else space.capacity - taken
    )
    professionals_left = professional_places_left(
        space=space, active=taken, professionals=taken_professionals
    )
    cap = service_user_cap(space)
    service_users_left = _smallest(
        None if cap is None else cap - (taken - taken_professionals), capacity_left
    )
    if service_users_left is None or professionals_left is None:
        places_left = capacity_left
    else:
        places_left = _smallest(capacity_left, service_users_left + professionals_left)
    return SpaceBalance(
        active=active,
        professionals=professionals,
        places_left=places_left,
        professional_places_left=professionals_left,
        waiting=counts["waiting"] - offered,
        offered=offered,
        requested=counts["requested"],
        service_user_places_left=service_users_left,
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


def room_for(space: SpacePage, role: str, balance: SpaceBalance | None = None):
    """None when there is a place for this role now; otherwise why not, in words for
    the person."""
    balance = balance or space_balance(space=space)
    if balance.places_left == 0:
        return _("This space is full at the moment.")
    if balance.places_for(role) == 0:
        if role == SpaceRole.PROFESSIONAL:
            return _(
                "To keep the balance of voices, this space has as many "
                "professionals as it can take right now."
            )
        return _(
            "To keep the balance of voices, this space has as many service users as "
            "it can take right now."
        )
    return None


def join_refusal(space: SpacePage, role: str) -> str | None:
    """Ask the page type (a course, say) whether it takes anyone just now."""
    if space.specific_class is SpacePage:
        return None
    return space.specific.join_refusal(role=role)


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
