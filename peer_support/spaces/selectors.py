from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Membership, MembershipStatus, SpacePage, SpaceRole


@dataclass(frozen=True)
class SpaceBalance:
    """Active members of a space and how many more may join, by role."""

    active: int
    professionals: int
    places_left: int | None  # None: no limit
    professional_places_left: int | None

    @property
    def full(self) -> bool:
        return self.places_left == 0


def space_balance(*, space: SpacePage) -> SpaceBalance:
    counts = Membership.objects.filter(
        space=space, status=MembershipStatus.ACTIVE
    ).aggregate(
        active=Count("pk"),
        professionals=Count("pk", filter=Q(role=SpaceRole.PROFESSIONAL)),
    )
    active, professionals = counts["active"], counts["professionals"]
    places_left = None if space.capacity is None else max(space.capacity - active, 0)
    return SpaceBalance(
        active=active,
        professionals=professionals,
        places_left=places_left,
        professional_places_left=professional_places_left(
            space=space, active=active, professionals=professionals
        ),
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
