"""Rules for recording participation in a course."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import Membership, MembershipStatus, SpaceRole
from peer_support.spaces.permissions import MARK_ATTENDANCE, user_may

from .models import AttendanceHow, LiveSession, LiveSessionAttendance


class AttendanceError(ServiceError):
    """Attendance that cannot be recorded; `message` is for the person."""


@transaction.atomic
def attendance_record(
    *, session: LiveSession, member, marked_by=None, at: datetime | None = None
) -> LiveSessionAttendance:
    """Record that `member` was at a live session.

    Members record themselves only while the session is on; a moderator (a
    facilitator of the course) may mark them once it has started. Either way the
    member needs an active membership of the course. Recording twice keeps the first
    record.
    """
    at = at or timezone.now()
    course = session.page
    if marked_by is not None and not user_may(marked_by, MARK_ATTENDANCE, course):
        raise NotAllowed(_("Only the course's moderators can mark attendance."))
    # Lock the membership so a removal cannot interleave with the record.
    membership = (
        Membership.objects.select_for_update()
        .filter(space=course, member=member)
        .first()
    )
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise AttendanceError(
            _("Only members enrolled on this course can be recorded at its sessions.")
        )
    if marked_by is None and not session.is_on(at):
        raise AttendanceError(
            _(
                "You can only say you're here while the live session is on. If you "
                "were there, a moderator can mark it."
            )
        )
    if marked_by is not None and at < session.starts_at:
        raise AttendanceError(
            _("Attendance can be marked once the session has started.")
        )
    attendance, _created = LiveSessionAttendance.objects.get_or_create(
        session=session,
        member=member,
        defaults={
            "recorded_at": at,
            "how": AttendanceHow.MARKED if marked_by else AttendanceHow.SELF_JOINED,
            "marked_by": marked_by,
        },
    )
    return attendance


@transaction.atomic
def attendance_mark(
    *,
    session: LiveSession,
    member_ids: list[int],
    marked_by,
    at: datetime | None = None,
) -> int:
    """A moderator marks several members as at a session: all of them or none.

    Every id must be an enrolled member of the course (not a facilitator); members
    already recorded are left as they are. Returns how many were newly marked.
    """
    at = at or timezone.now()
    course = session.page
    if not user_may(marked_by, MARK_ATTENDANCE, course):
        raise NotAllowed(_("Only the course's moderators can mark attendance."))
    wanted = set(member_ids)
    memberships = {
        membership.member_id: membership
        for membership in Membership.objects.filter(
            space=course, member_id__in=wanted, status=MembershipStatus.ACTIVE
        )
        .exclude(role=SpaceRole.FACILITATOR)
        .select_related("member")
    }
    if wanted - set(memberships):
        raise AttendanceError(
            _(
                "Some of the people ticked are not enrolled on this course any more; "
                "nobody was marked. Please look at the sheet again."
            )
        )
    recorded = set(
        LiveSessionAttendance.objects.filter(
            session=session, member_id__in=wanted
        ).values_list("member_id", flat=True)
    )
    marked = 0
    for member_id in sorted(wanted - recorded):
        attendance_record(
            session=session,
            member=memberships[member_id].member,
            marked_by=marked_by,
            at=at,
        )
        marked += 1
    return marked
