"""Reads for the chat: who may do what in it, whether it is open, and what one reader
sees of its messages and events."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from peer_support.courses.models import LiveSession
from peer_support.discussion.models import Post, PostStatus
from peer_support.discussion.selectors import badges_for
from peer_support.spaces.permissions import (
    MODERATE,
    READ_LIVE_CHAT,
    active_membership,
    user_may,
)

from .models import ChatEvent, ChatMute, ChatRoom

EVENTS_PER_POLL = 200


class ChatWindow:
    BEFORE = "before"
    OPEN = "open"
    ENDED = "ended"


def chat_window(
    *, session: LiveSession, room: ChatRoom | None, now: datetime | None = None
) -> str:
    return window_at(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        ended_at=room.ended_at if room is not None else None,
        now=now,
    )


def window_at(
    *,
    starts_at: datetime,
    ends_at: datetime,
    ended_at: datetime | None,
    now: datetime | None = None,
) -> str:
    """Open from a few minutes before the session until it ends, or until the host
    marks it ended (`ended_at`), whichever is sooner."""
    now = now or timezone.now()
    if ended_at is not None or now >= ends_at:
        return ChatWindow.ENDED
    opens = starts_at - timedelta(minutes=settings.CHAT_OPENS_BEFORE_MINUTES)
    return ChatWindow.BEFORE if now < opens else ChatWindow.OPEN


class ChatAccess:
    """What one person may do in one session's chat. Each answer is asked of the
    permission rules only when first needed, so an empty poll costs one check."""

    def __init__(self, *, user, session: LiveSession):
        self.user, self.session = user, session
        self.host = user.is_authenticated and session.host_id == user.pk

    @cached_property
    def moderate(self) -> bool:
        return user_may(self.user, MODERATE, self.session.page)

    @cached_property
    def read(self) -> bool:
        return self.host or user_may(self.user, READ_LIVE_CHAT, self.session.page)

    @cached_property
    def member(self) -> bool:
        """An active member: their visit counts as attendance."""
        return active_membership(self.user, self.session.page) is not None

    @property
    def runs(self) -> bool:
        return self.host or self.moderate


def chat_access(*, user, session: LiveSession) -> ChatAccess:
    return ChatAccess(user=user, session=session)


def is_muted(*, room_id: int, user) -> bool:
    return (
        user.is_authenticated
        and ChatMute.objects.filter(room_id=room_id, member_id=user.pk).exists()
    )


@dataclass
class ChatLine:
    post: Post
    badges: tuple[str, ...]
    mine: bool
    host: bool


def _visible(post: Post | None, user) -> bool:
    """Published messages show to everyone; a held one to its author only."""
    if post is None:
        return False
    if post.status == PostStatus.PUBLISHED:
        return True
    return (
        post.status == PostStatus.HELD and user is not None and post.user_id == user.pk
    )


def _lines(room: ChatRoom, posts, user) -> dict[int, ChatLine]:
    posts = [post for post in posts if _visible(post, user)]
    badges = badges_for(
        space=room.session.page, user_ids={post.user_id for post in posts}
    )
    return {
        post.pk: ChatLine(
            post=post,
            badges=badges.get(post.user_id, ()),
            mine=user is not None and post.user_id == user.pk,
            host=post.user_id == room.session.host_id,
        )
        for post in posts
    }


def lines_for(*, room: ChatRoom, posts, user) -> dict[int, ChatLine]:
    """{post id: line} for the given messages this reader may see; `user` None
    for what every reader sees."""
    return _lines(room, posts, user)


def chat_lines(*, room: ChatRoom, user) -> list[ChatLine]:
    """Every message this reader sees now, oldest first (the page without
    JavaScript, and the start of the stream with it)."""
    posts = (
        Post.objects.filter(thread_ref_id=room.thread_id)
        .filter(status__in=(PostStatus.PUBLISHED, PostStatus.HELD))
        .select_related("user")
        .order_by("submit_date", "pk")
    )
    return list(_lines(room, posts, user).values())


NOTICES = {
    ChatEvent.Kind.PAUSED: gettext_lazy("A moderator paused the chat."),
    ChatEvent.Kind.RESUMED: gettext_lazy("The chat is open again."),
    ChatEvent.Kind.STARTED: gettext_lazy("The session has started."),
    ChatEvent.Kind.ENDED: gettext_lazy(
        "The session has ended. Thank you for being here."
    ),
}


def notice_text(event: ChatEvent) -> str:
    """What the stream says of an event that is not a message."""
    if event.kind == ChatEvent.Kind.SLOW_MODE:
        if not event.value:
            return gettext("Slow mode is off.")
        return gettext("Slow mode: one message every %(seconds)d seconds.") % {
            "seconds": event.value
        }
    if event.kind == ChatEvent.Kind.PINNED:
        return gettext("A message was pinned.")
    return str(NOTICES.get(event.kind, ""))


@dataclass
class ChatUpdate:
    event: ChatEvent

    @property
    def visible(self) -> bool:
        """A message event whose message this reader sees now (else: take it away)."""
        return _visible(self.event.post, self.user)

    user: object = None


def chat_events_after(
    *, room: ChatRoom, user, after: int
) -> tuple[list[ChatUpdate], bool]:
    """Events after sequence number `after`, with their messages as they are now;
    and whether more are waiting. `lines_for` renders what this reader sees."""
    events = list(
        ChatEvent.objects.filter(room=room, seq__gt=after)
        .select_related("post", "post__user")
        .order_by("seq")[: EVENTS_PER_POLL + 1]
    )
    more = len(events) > EVENTS_PER_POLL
    return [ChatUpdate(event, user) for event in events[:EVENTS_PER_POLL]], more


def chat_transcript(*, room: ChatRoom) -> list[Post]:
    """What was said, for moderators: published messages only (removed ones stay
    out)."""
    return list(
        Post.objects.filter(thread_ref_id=room.thread_id, status=PostStatus.PUBLISHED)
        .select_related("user")
        .order_by("submit_date", "pk")
    )


def transcript_text(*, room: ChatRoom) -> str:
    """The transcript as plain lines, the starting point of a summary."""
    return "\n".join(
        f"{timezone.localtime(post.submit_date):%H:%M} "
        f"{post.user.pseudonym if post.user else '?'}: {post.comment}"
        for post in chat_transcript(room=room)
    )


def rooms_moderated_by(*, user):
    """Chat rooms of the courses this person moderates, latest session first."""
    from peer_support.spaces.permissions import spaces_where

    return (
        ChatRoom.objects.filter(
            session__page__in=spaces_where(user, MODERATE).values("pk")
        )
        .select_related("session", "session__page", "summary_thread")
        .order_by("-session__starts_at")
    )
