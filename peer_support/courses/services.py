"""Rules for recording participation in a course."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peer_support.spaces.models import Membership, MembershipStatus
from peer_support.spaces.permissions import is_facilitator

from .models import AttendanceHow, LiveSession, LiveSessionAttendance


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
    if marked_by is not None and not is_facilitator(marked_by, course):
        raise ValidationError(
            _("Only the course's moderators can mark attendance."), code="not_moderator"
        )
    # Lock the membership so a removal cannot interleave with the record.
    membership = (
        Membership.objects.select_for_update()
        .filter(space=course, member=member)
        .first()
    )
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(
            _("Only members enrolled on this course can be recorded at its sessions."),
            code="not_member",
        )
    if marked_by is None and not session.is_on(at):
        raise ValidationError(
            _(
                "You can only say you're here while the live session is on. If you "
                "were there, a moderator can mark it."
            ),
            code="not_on",
        )
    if marked_by is not None and at < session.starts_at:
        raise ValidationError(
            _("Attendance can be marked once the session has started."),
            code="not_started",
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
