"""Reads for course pages and certificates."""

from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peer_support.spaces.models import Membership, MembershipStatus, SpaceRole
from peer_support.spaces.permissions import (
    MARK_ATTENDANCE,
    VIEW_PRIVATE_DETAILS,
    user_may,
)
from peer_support.spaces.selectors import space_balance_shown

from .models import CoursePage, LiveSessionAttendance


def course_page_details(*, course: CoursePage, user) -> dict:
    """Everything the course page shows; a fixed number of queries whatever the
    number of topics, sessions and facilitators."""
    from peer_support.chat.selectors import ChatWindow, chat_window

    facilitators = list(
        course.facilitators.select_related("worker").order_by("sort_order", "pk")
    )
    # By week here, in their editors' order within it (a stable sort of the
    # relation's own order), so topics kept with a page routed from cache cost no query.
    topics = sorted(course.topics.all(), key=lambda topic: topic.week)
    sessions = list(course.live_sessions.select_related("host").order_by("starts_at"))
    balance = space_balance_shown(space=course)
    may_view_private = user_may(user, VIEW_PRIVATE_DETAILS, course)
    membership = None
    attended_ids = set()
    if user.is_authenticated:
        membership = Membership.objects.filter(space=course, member=user).first()
        attended_ids = set(
            LiveSessionAttendance.objects.filter(
                member=user, session__page=course
            ).values_list("session_id", flat=True)
        )
    now = timezone.now()
    return {
        "topics_by_week": [
            (week, list(items))
            for week, items in groupby(topics, key=lambda topic: topic.week)
        ],
        "live_sessions": [
            {
                "session": session,
                "on_now": session.is_on(now),
                "started": session.starts_at <= now,
                "attended": session.pk in attended_ids,
                "chat_open": chat_window(session=session, room=None, now=now)
                == ChatWindow.OPEN,
                "hosting": user.is_authenticated and session.host_id == user.pk,
            }
            for session in sessions
        ],
        "balance": balance,
        "service_user_places_left": balance.service_user_places_left,
        "facilitators": facilitators,
        "may_view_private": may_view_private,
        "is_moderator": user_may(user, MARK_ATTENDANCE, course),
        "membership": membership,
        "is_active_member": membership is not None
        and membership.status == MembershipStatus.ACTIVE,
        "enrolment_state": course.enrolment_state(now),
        "course_ended": course.has_ended(now),
    }


@dataclass(frozen=True)
class CertificateEligibility:
    eligible: bool
    reason: str
    sessions_attended: int
    sessions_required: int


def certificate_eligibility(
    *, course: CoursePage, member, at=None
) -> CertificateEligibility:
    """Whether this member has earned a certificate of participation, and if not, why
    (in words they can act on).

    Live sessions attended and posts published in the course discussion both count.
    """
    required = course.certificate_min_live_sessions

    def answer(eligible, reason, attended=0):
        return CertificateEligibility(eligible, reason, attended, required)

    if not member.is_authenticated:
        return answer(False, _("Sign in to see your certificate."))
    is_professional_member = Membership.objects.filter(
        space=course,
        member=member,
        status=MembershipStatus.ACTIVE,
        role=SpaceRole.PROFESSIONAL,
    ).exists()
    if not is_professional_member:
        return answer(
            False,
            _(
                "Certificates of participation are for professionals who took part "
                "in this course."
            ),
        )
    if not course.has_ended(at):
        return answer(
            False, _("Your certificate will be ready once the course has ended.")
        )
    attended = LiveSessionAttendance.objects.filter(
        member=member, session__page=course
    ).count()
    if attended < required:
        return answer(
            False,
            _(
                "A certificate needs %(required)s live sessions; we have a record "
                "of %(attended)s. If you were there, ask a moderator to mark it."
            )
            % {"required": required, "attended": attended},
            attended,
        )
    from peer_support.discussion.selectors import published_posts_count

    posts = published_posts_count(space=course, member=member)
    if posts < course.certificate_min_posts:
        return answer(
            False,
            _(
                "A certificate needs %(required)s posts in the course discussion; "
                "%(posts)s of yours are showing so far."
            )
            % {"required": course.certificate_min_posts, "posts": posts},
            attended,
        )
    return answer(True, "", attended)


def session_attendance_sheet(*, session) -> list[dict]:
    """Active members of the session's course, each with whether they were recorded
    at it; for the moderators' attendance sheet."""
    recorded = set(
        LiveSessionAttendance.objects.filter(session=session).values_list(
            "member_id", flat=True
        )
    )
    memberships = (
        Membership.objects.filter(
            space_id=session.page_id, status=MembershipStatus.ACTIVE
        )
        .exclude(role=SpaceRole.FACILITATOR)
        .select_related("member")
        .order_by("member__pseudonym")
    )
    return [
        {"membership": item, "recorded": item.member_id in recorded}
        for item in memberships
    ]
