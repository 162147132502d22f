"""Reads for a member's own page, "My groups and courses": every space they hold or
wait for a place in, what meets next, and their messages.

A fixed number of queries whatever the number of memberships: memberships with their
spaces in one, groups' meeting patterns in two, live sessions in one, messages in two.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from peer_support.accounts.roles import PEER_WORKER, SAFEGUARDING_LEAD, role_names
from peer_support.courses.models import LiveSession
from peer_support.groups.models import GroupPage
from peer_support.spaces.models import MemberNotice, Membership, MembershipStatus
from peer_support.spaces.selectors import unread_notice_count

SHOWN_STATUSES = (
    MembershipStatus.ACTIVE,
    MembershipStatus.SUSPENDED,
    MembershipStatus.REQUESTED,
    MembershipStatus.WAITLISTED,
)
MEETINGS_AHEAD = timedelta(days=28)
NOTICES_SHOWN = 10


@dataclass(frozen=True)
class MemberLinks:
    """The signed-in person's own links in the header: their messages with the
    unread count, and for peer workers their shifts and the groups they facilitate."""

    unread: int = 0
    rota_worker: bool = False
    facilitator: bool = False


def member_links(*, user) -> MemberLinks:
    """Worked out once per user object, as `role_names` is: a request has a user
    object of its own, and a page kept under these links (`discussion.thread_frame`)
    shows the very ones its key was made of."""
    if not user.is_authenticated:
        return MemberLinks()
    links = getattr(user, "_member_links", None)
    if links is None:
        roles = role_names(user) if user.is_staff else frozenset()
        links = MemberLinks(
            unread=unread_notice_count(user=user),
            rota_worker=bool(roles & {PEER_WORKER, SAFEGUARDING_LEAD}),
            facilitator=PEER_WORKER in roles,
        )
        user._member_links = links
    return links


@dataclass(frozen=True)
class Meeting:
    space: object
    starts_at: datetime
    ends_at: datetime
    kind: str  # "group" or "live_session"
    title: str = ""


@dataclass
class MemberOverview:
    active: list = field(default_factory=list)
    requested: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    unread: int = 0

    @property
    def empty(self) -> bool:
        return not (self.active or self.requested or self.waiting or self.offers)


def member_overview(*, user, at: datetime | None = None) -> MemberOverview:
    at = at or timezone.now()
    overview = MemberOverview()
    memberships = (
        Membership.objects.filter(member=user, status__in=SHOWN_STATUSES)
        .select_related("space")
        .order_by("space__title", "pk")
    )
    for membership in memberships:
        if membership.status == MembershipStatus.REQUESTED:
            overview.requested.append(membership)
        elif membership.status == MembershipStatus.WAITLISTED:
            if membership.offer_expires_at:
                overview.offers.append(membership)
            else:
                overview.waiting.append(membership)
        else:
            overview.active.append(membership)
    overview.offers.sort(key=lambda membership: membership.offer_expires_at)
    overview.meetings = _meetings(
        spaces={m.space_id: m.space for m in overview.active}, at=at
    )
    overview.notices = list(
        MemberNotice.objects.filter(member=user)
        .select_related("space")
        .order_by("-created_at", "-pk")[:NOTICES_SHOWN]
    )
    overview.unread = unread_notice_count(user=user)
    return overview


def _meetings(*, spaces: dict, at: datetime) -> list[Meeting]:
    """Group meetings and course live sessions in the next four weeks, soonest first;
    a live session on now is included."""
    if not spaces:
        return []
    until = at + MEETINGS_AHEAD
    meetings = []
    groups = GroupPage.objects.filter(pk__in=spaces).prefetch_related("cancelled_dates")
    for group in groups:
        for starts, ends in group.sessions_between(at, until):
            meetings.append(
                Meeting(
                    space=spaces[group.pk], starts_at=starts, ends_at=ends, kind="group"
                )
            )
    sessions = LiveSession.objects.filter(
        page_id__in=spaces, starts_at__lt=until, starts_at__gte=at - timedelta(days=1)
    ).order_by("starts_at")
    for session in sessions:
        if session.ends_at > at:
            meetings.append(
                Meeting(
                    space=spaces[session.page_id],
                    starts_at=session.starts_at,
                    ends_at=session.ends_at,
                    kind="live_session",
                    title=session.title,
                )
            )
    meetings.sort(key=lambda meeting: meeting.starts_at)
    return meetings
