"""Reads about spaces and memberships; every list that shows members goes through here,
so the visibility rule exists once."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from peer_site.page_cache import content_cached
from peer_site.public_pages import public

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
from .permissions import MANAGE_MEMBERS, space_policy

# The place rules are read-only and shared with the services; callers that read a
# space's numbers may keep importing them from here.
from .rules import (  # noqa: F401
    SpaceBalance,
    current_rules_revision_id,
    join_refusal,
    professional_places_left,
    room_for,
    rules_accepted,
    space_balance,
)
from .unread_notices import unread_count_cached


def space_balance_shown(*, space: SpacePage) -> SpaceBalance:
    """`space_balance` as a space's page shows it, kept until the next content purge:
    every membership change purges (`peer_site.page_cache`), and so does editing the
    page's caps. Only for showing: the services count under the space row lock."""
    return content_cached(
        f"space-balance:{space.pk}", lambda: space_balance(space=space)
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
    return public(queryset.live()).exclude(join_policy=JoinPolicy.INVITE)


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


def unread_notice_count(*, user) -> int:
    """The number the header shows beside a member's messages (`unread_notices`)."""
    if not user.is_authenticated:
        return 0
    # The query is only built when the count is not kept: building it costs more
    # than reading the kept count, on every page a member opens.
    return unread_count_cached(
        user.pk,
        lambda: MemberNotice.objects.filter(member=user, read_at__isnull=True).count(),
    )


def member_notices(*, user) -> QuerySet:
    return MemberNotice.objects.filter(member=user).select_related("space")


class JoinState(models.TextChoices):
    """What a space's join box says to the person looking at it. The first group is
    the person's own standing; the rest is what the space offers someone new. Choices
    rather than a plain enum so templates can compare against `states.MEMBER`."""

    PREVIEW = "preview"  # a page not yet saved: nothing to join
    MEMBER = "member"
    SUSPENDED = "suspended"
    OFFERED = "offered"
    WAITLISTED = "waitlisted"
    REQUESTED = "requested"
    BANNED = "banned"
    ENDED = "ended"  # a course that has finished
    NOT_YET_OPEN = "not_yet_open"  # a course whose enrolment hasn't opened
    NOT_TAKING = "not_taking"  # closed to new members, or enrolment closed
    SIGN_IN = "sign_in"
    INVITE_ONLY = "invite_only"
    WAITING_LIST = "waiting_list"  # no place for this person now: they may wait
    REQUEST = "request"
    OPEN = "open"


# States in which the box shows how many places are left.
_SHOWS_PLACES = {
    JoinState.SIGN_IN,
    JoinState.INVITE_ONLY,
    JoinState.WAITING_LIST,
    JoinState.REQUEST,
    JoinState.OPEN,
}
_STANDING = {
    MembershipStatus.ACTIVE: JoinState.MEMBER,
    MembershipStatus.SUSPENDED: JoinState.SUSPENDED,
    MembershipStatus.REQUESTED: JoinState.REQUESTED,
    MembershipStatus.BANNED: JoinState.BANNED,
}


@dataclass(frozen=True)
class JoinBox:
    """The one answer behind a space's join box: its state, the reason when the
    space can't take this person now, and the numbers to show (None: don't show).

    For a space with role caps (a course) the box shows places for service users and
    for professionals, never a third, larger total the two caps can't honour."""

    state: JoinState
    membership: Membership | None
    balance: SpaceBalance
    reason: str | None = None
    places_left: int | None = None
    service_user_places_left: int | None = None
    professional_places_left: int | None = None
    waiting: int = 0

    @property
    def shows_places(self) -> bool:
        return self.state in _SHOWS_PLACES

    @property
    def by_role(self) -> bool:
        return self.professional_places_left is not None or (
            self.service_user_places_left is not None
            and self.service_user_places_left != self.places_left
        )

    @property
    def may_leave(self) -> bool:
        return self.state in (
            JoinState.MEMBER,
            JoinState.SUSPENDED,
            JoinState.WAITLISTED,
            JoinState.OFFERED,
            JoinState.REQUESTED,
        )

    @property
    def joins_via_form(self) -> bool:
        """The states whose button leads to the join page."""
        return self.state in (
            JoinState.OFFERED,
            JoinState.INVITE_ONLY,
            JoinState.WAITING_LIST,
            JoinState.REQUEST,
            JoinState.OPEN,
        )


def _role_of(user) -> str:
    from peer_support.accounts.roles import PROFESSIONAL, has_role

    if user is not None and user.is_authenticated and has_role(user, PROFESSIONAL):
        return SpaceRole.PROFESSIONAL
    return SpaceRole.MEMBER


def _space_state(space: SpacePage, role: str) -> tuple[JoinState, str | None] | None:
    """Why the space takes no one new at all just now, whoever asks."""
    specific = space.specific
    has_ended = getattr(specific, "has_ended", None)
    if has_ended is not None and has_ended():
        return JoinState.ENDED, _("This course has finished.")
    if space.join_policy == JoinPolicy.CLOSED:
        return JoinState.NOT_TAKING, _("This space isn't taking new members just now.")
    refusal = join_refusal(space, role)
    if refusal:
        enrolment_state = getattr(specific, "enrolment_state", None)
        if enrolment_state is not None and enrolment_state() == "not_yet_open":
            return JoinState.NOT_YET_OPEN, refusal
        return JoinState.NOT_TAKING, refusal
    return None


def join_box(
    *,
    user,
    space: SpacePage,
    membership: Membership | None | bool = False,
    balance: SpaceBalance | None = None,
) -> JoinBox:
    """What the join box of a group or a course says to `user`. Built on the same
    rules the membership services enforce (`join_refusal`, `room_for`), so the box
    never offers what the join page would refuse. Pass `membership` (None for "has
    none") and `balance` when the page already looked them up."""
    if space.pk is None:  # an unsaved page in preview
        empty = SpaceBalance(
            active=0, professionals=0, places_left=None, professional_places_left=None
        )
        return JoinBox(state=JoinState.PREVIEW, membership=None, balance=empty)
    balance = balance or space_balance(space=space)
    if membership is False:
        membership = membership_for(user=user, space=space) if user else None
    role = _role_of(user)
    numbers = {
        "places_left": balance.places_left,
        "service_user_places_left": balance.service_user_places_left,
        "professional_places_left": balance.professional_places_left,
        "waiting": balance.waiting,
    }

    def box(state, reason=None):
        return JoinBox(
            state=state,
            membership=membership,
            balance=balance,
            reason=reason,
            **numbers,
        )

    status = membership.status if membership else None
    if status == MembershipStatus.WAITLISTED:
        if membership.offer_expires_at:
            return box(JoinState.OFFERED)
        return box(JoinState.WAITLISTED)
    if status in _STANDING:
        return box(_STANDING[status])
    closed = _space_state(space, role)
    if closed is not None:
        return box(*closed)
    if user is None or not user.is_authenticated:
        return box(JoinState.SIGN_IN)
    if space.join_policy == JoinPolicy.INVITE:
        return box(JoinState.INVITE_ONLY)
    no_room = room_for(space, role, balance)
    if no_room:
        return box(JoinState.WAITING_LIST, no_room)
    if space.join_policy == JoinPolicy.REQUEST:
        return box(JoinState.REQUEST)
    return box(JoinState.OPEN)


def leave_consequences(*, space: SpacePage, membership: Membership) -> list[str]:
    """What leaving means for coming back, in words for the person, read from the
    same rules as the join box: approval again, an invite, a closed space or course,
    or the waiting list."""
    status = membership.status
    if status == MembershipStatus.REQUESTED:
        return [
            _(
                "If you change your mind, you can ask again; a facilitator will read "
                "your new request."
            )
        ]
    if status == MembershipStatus.WAITLISTED:
        if membership.offer_expires_at:
            return [_("The place kept for you will be offered to the next person.")]
        return [
            _(
                "You'll lose your place in the queue. If you join the waiting list "
                "again, you'll start at the back."
            )
        ]
    notes = []
    refusal = join_refusal(space, membership.role)
    if refusal:
        notes.append(
            _("%(reason)s You won't be able to join again.") % {"reason": refusal}
        )
    elif space.join_policy == JoinPolicy.CLOSED:
        notes.append(
            _(
                "This space isn't taking new members just now, so you may not be "
                "able to join again."
            )
        )
    elif space.join_policy == JoinPolicy.INVITE:
        notes.append(
            _("This space is invite only: to come back you'll need a new invite.")
        )
    elif space.join_policy == JoinPolicy.REQUEST:
        notes.append(
            _(
                "To come back you'll need to ask again, and a facilitator will need "
                "to approve your request."
            )
        )
    balance = space_balance(space=space)
    if balance.waiting:
        notes.append(
            _(
                "Your place will be offered to the next person on the waiting list. "
                "To come back you'd join the waiting list."
            )
        )
    if not notes:
        notes.append(_("You can join again at any time while there's room."))
    return notes
