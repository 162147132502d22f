"""A live session on now in the demo course, with a few messages and the host's
question pinned, so the chat can be tried as soon as `make run` starts."""

from datetime import timedelta

from django.utils import timezone

from peer_support.courses.models import CoursePage, LiveSession
from peer_support.discussion import services as discussion
from peer_support.discussion.models import Post, PostStatus
from peer_support.spaces.models import Membership, MembershipStatus, SpaceRole

from . import services
from .models import ChatRoom

TITLE = "Drop-in webcast: what helps online"
QUESTION = "Welcome! To start us off: what has helped you most online this week?"
MESSAGES = [
    "Hello everyone, first time in one of these.",
    "A forum where nobody knew my real name. It made it easier to say things.",
    "Same here. Reading other people's posts at night helped a lot.",
]


def _session(course: CoursePage) -> LiveSession:
    """The demo session, moved so it started ten minutes ago and runs two hours."""
    starts_at = timezone.now() - timedelta(minutes=10)
    session = course.live_sessions.filter(title=TITLE).first()
    if session is None:
        session = LiveSession.objects.create(
            page=course,
            title=TITLE,
            starts_at=starts_at,
            duration=timedelta(hours=2),
            webcast_url="https://webcast.example.org/drop-in",
            host=course.facilitators.first().worker,
            sort_order=course.live_sessions.count(),
        )
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=starts_at, duration=timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def load() -> list[str]:
    course = CoursePage.objects.filter(
        slug="internet-in-mental-health-practice"
    ).first()
    if course is None or not course.facilitators.exists():
        return []
    session = _session(course)
    room = ChatRoom.objects.for_session(session)
    if room.ended_at is not None:  # ended in an earlier run: open it again
        type(room).objects.filter(pk=room.pk).update(ended_at=None, started_at=None)
    if not Post.objects.filter(thread_ref_id=room.thread_id).exists():
        services.chat_session_mark(session=session, actor=session.host, started=True)
        services.chat_question_post(session=session, host=session.host, text=QUESTION)
        members = (
            Membership.objects.filter(space=course, status=MembershipStatus.ACTIVE)
            .exclude(role=SpaceRole.FACILITATOR)
            .exclude(member=session.host)
            .select_related("member")
            .order_by("pk")[: len(MESSAGES)]
        )
        for membership, text in zip(members, MESSAGES, strict=False):
            post = discussion.post_submit(
                author=membership.member, thread_id=room.thread_id, text=text
            )
            if post.status == PostStatus.HELD:
                discussion.post_moderate(
                    post_id=post.pk, moderator=session.host, decision="approve"
                )
    return [
        "",
        f"Live chat on now: /live/{session.pk}/ (member@demo.invalid, "
        "peer@demo.invalid hosts and moderates)",
        "  Transcripts and summaries: admin, Live session transcripts",
    ]
