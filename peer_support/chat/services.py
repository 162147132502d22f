"""Rules for a live session's chat.

Messages go through `discussion.services.post_submit` like every post; it asks
`chat_post_check` for the chat's own rules (open, not paused, not muted) and calls
`event_add` once the message is saved. Everything that changes what readers see is
appended to the room's event stream by `event_add`, under the room's row lock.

Locks are taken in one order everywhere: the chat's thread, then its post (when
there is one), then the room. A new message takes only the room's lock, after its
post is written (a top-level post needs no thread lock to be numbered), so messages
queue for each other only for the end of their transaction.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.audit import audit_record
from peer_support.courses.models import LiveSession
from peer_support.discussion import services as discussion
from peer_support.discussion.models import (
    Label,
    ModerationAction,
    Post,
    PostStatus,
    Thread,
)
from peer_support.errors import NotAllowed
from peer_support.spaces.permissions import MODERATE, user_may

from . import stream
from .models import ChatEvent, ChatMute, ChatRoom
from .selectors import ChatWindow, chat_window

Kind = ChatEvent.Kind
Action = ModerationAction.Kind


class ChatError(discussion.DiscussionError):
    """A chat message or action refused; `message` is for the person."""


def room_locked(thread: Thread) -> ChatRoom | None:
    """The room of a chat thread, locked; None for an ordinary conversation."""
    return (
        ChatRoom.objects.select_for_update(of=("self",))
        .select_related("session")
        .filter(thread_id=thread.pk)
        .first()
    )


def event_add(
    *, room: ChatRoom, kind: str, post: Post | None = None, value: int = 0
) -> ChatEvent:
    """Append to the stream. The caller holds the room's lock until commit, so no
    reader can see event N+1 before event N."""
    seq = room.last_seq + 1
    event = ChatEvent.objects.create(
        room=room, seq=seq, kind=kind, post=post, value=value
    )
    ChatRoom.objects.filter(pk=room.pk).update(last_seq=seq)
    room.last_seq = seq
    stream.room_changed(session_id=room.session_id, state=kind != Kind.MESSAGE)
    return event


def room_of(thread_id: int) -> ChatRoom | None:
    """The room whose thread this is, unlocked; None for an ordinary conversation."""
    return (
        ChatRoom.objects.select_related("session", "thread", "thread__space")
        .filter(thread_id=thread_id)
        .first()
    )


def message_added(*, room: ChatRoom, post: Post) -> None:
    """A new message, shown to everyone or (held) to its author only, joins the
    stream. The room is locked here, last, so messages wait for each other only for
    the end of their transaction; an end marked meanwhile still refuses it."""
    room = ChatRoom.objects.select_for_update().get(pk=room.pk)
    if room.ended_at is not None:
        raise ChatError(_("This live session has ended, so the chat is closed."))
    event_add(room=room, kind=Kind.MESSAGE, post=post)


def is_host(user, session: LiveSession) -> bool:
    return user.is_authenticated and session.host_id == user.pk


def chat_post_check(
    *, room: ChatRoom, thread: Thread, author, runs_chat: bool, now: datetime
) -> None:
    """The chat's own step in post_submit: open now, not paused, author not muted.
    The host and moderators may write while it is paused."""
    window = chat_window(session=room.session, room=room, now=now)
    if window == ChatWindow.ENDED:
        raise ChatError(_("This live session has ended, so the chat is closed."))
    if window == ChatWindow.BEFORE:
        raise ChatError(
            _("The chat opens %(minutes)d minutes before the session starts.")
            % {"minutes": settings.CHAT_OPENS_BEFORE_MINUTES}
        )
    if runs_chat:
        return
    if thread.locked:
        raise ChatError(
            _("A moderator has paused the chat for a moment. Your words are kept.")
        )
    if ChatMute.objects.filter(room=room, member=author).exists():
        raise NotAllowed(
            _("A moderator has muted you in this chat for the rest of the session.")
        )


def post_changed(*, thread_id: int, post_id: int) -> None:
    """Tell the chat a message's standing changed (approved, removed, edited)."""
    thread = Thread.objects.select_for_update(of=("self",)).get(pk=thread_id)
    room = room_locked(thread)
    if room is None:
        return
    post = Post.objects.get(pk=post_id)
    kind = Kind.MESSAGE if post.status == PostStatus.PUBLISHED else Kind.REMOVED
    if kind == Kind.REMOVED and room.pinned_post_id == post.pk:
        ChatRoom.objects.filter(pk=room.pk).update(pinned_post=None)
    stream.post_views_changed(room_id=room.pk, post_id=post.pk)
    event_add(room=room, kind=kind, post=post)


# --- the host's and moderators' actions --------------------------------------------


def _locked(session: LiveSession, actor, *, moderators_only: bool):
    """The session's thread and room, locked in order, for someone who runs it."""
    room = ChatRoom.objects.for_session(session)
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("space")
        .get(pk=room.thread_id)
    )
    room = room_locked(thread)
    moderator = user_may(actor, MODERATE, thread.space)
    if not (moderator or (not moderators_only and is_host(actor, session))):
        raise NotAllowed(
            _("Only the course's moderators can do that.")
            if moderators_only
            else _("Only the session's host and moderators can do that.")
        )
    return thread, room


def _chat_post(room: ChatRoom, post_id) -> Post:
    post = Post.objects.filter(pk=post_id, thread_ref_id=room.thread_id).first()
    if post is None:
        raise ChatError(_("That message isn't in this chat."))
    return post


@transaction.atomic
def chat_message_remove(
    *, session: LiveSession, post_id: int, moderator, reason: str = ""
) -> Post:
    """Remove a message for everyone; its author is told privately, as in the
    discussion."""
    room = ChatRoom.objects.for_session(session)
    _chat_post(room, post_id)
    return discussion.post_moderate(
        post_id=post_id,
        moderator=moderator,
        decision=discussion.Decision.REMOVE,
        reason=reason.strip() or _("Removed from the live chat by a moderator."),
    )


@transaction.atomic
def chat_member_mute(
    *, session: LiveSession, post_id: int, moderator, reason: str = ""
) -> ChatMute:
    """Mute a message's author for the rest of this session."""
    thread, room = _locked(session, moderator, moderators_only=True)
    post = _chat_post(room, post_id)
    if post.user_id is None or post.user_id == moderator.pk:
        raise ChatError(_("That member can't be muted."))
    if user_may(post.user, MODERATE, thread.space) or is_host(post.user, session):
        raise ChatError(_("The host and moderators can't be muted."))
    mute, created = ChatMute.objects.get_or_create(
        room=room, member_id=post.user_id, defaults={"muted_by": moderator}
    )
    if created:
        audit_record(
            ModerationAction,
            thread=thread,
            post=post,
            actor=moderator,
            kind=Action.CHAT_MUTED,
            reason=reason.strip(),
        )
    return mute


@transaction.atomic
def chat_settings_set(
    *,
    session: LiveSession,
    moderator,
    paused: bool | None = None,
    slow_mode_seconds: int | None = None,
) -> ChatRoom:
    """Pause or resume the chat, or set its slow mode; recorded as the
    conversation's lock and slow mode are."""
    thread, room = _locked(session, moderator, moderators_only=True)
    paused = thread.locked if paused is None else paused
    seconds = (
        thread.slow_mode_seconds if slow_mode_seconds is None else slow_mode_seconds
    )
    discussion.thread_settings_set(
        thread_id=thread.pk,
        moderator=moderator,
        locked=paused,
        slow_mode_seconds=seconds,
    )
    if paused != thread.locked:
        event_add(room=room, kind=Kind.PAUSED if paused else Kind.RESUMED)
    if seconds != thread.slow_mode_seconds:
        event_add(room=room, kind=Kind.SLOW_MODE, value=seconds)
    return room


@transaction.atomic
def chat_message_pin(*, session: LiveSession, post_id: int, actor) -> ChatRoom:
    """Pin a published message (the host's question) above the chat."""
    thread, room = _locked(session, actor, moderators_only=False)
    post = _chat_post(room, post_id)
    if post.status != PostStatus.PUBLISHED:
        raise ChatError(_("Only a message everyone can see can be pinned."))
    if room.pinned_post_id != post.pk:
        ChatRoom.objects.filter(pk=room.pk).update(pinned_post=post)
        room.pinned_post = post
        audit_record(
            ModerationAction,
            thread=thread,
            post=post,
            actor=actor,
            kind=Action.CHAT_PINNED,
        )
        event_add(room=room, kind=Kind.PINNED, post=post)
    return room


@transaction.atomic
def chat_question_post(*, session: LiveSession, host, text: str) -> Post:
    """The host asks the chat a question: a message, pinned."""
    room = ChatRoom.objects.for_session(session)
    post = discussion.post_submit(author=host, thread_id=room.thread_id, text=text)
    chat_message_pin(session=session, post_id=post.pk, actor=host)
    return post


@transaction.atomic
def chat_session_mark(
    *, session: LiveSession, actor, started: bool, now: datetime | None = None
) -> ChatRoom:
    """The host marks the session as started, or as ended (the chat then closes)."""
    now = now or timezone.now()
    thread, room = _locked(session, actor, moderators_only=False)
    if room.ended_at is not None:
        raise ChatError(_("This session has already ended."))
    if started:
        if room.started_at is None:
            ChatRoom.objects.filter(pk=room.pk).update(started_at=now)
            room.started_at = now
            audit_record(
                ModerationAction,
                thread=thread,
                actor=actor,
                kind=Action.SESSION_STARTED,
            )
            event_add(room=room, kind=Kind.STARTED)
        return room
    ChatRoom.objects.filter(pk=room.pk).update(ended_at=now)
    room.ended_at = now
    audit_record(
        ModerationAction, thread=thread, actor=actor, kind=Action.SESSION_ENDED
    )
    event_add(room=room, kind=Kind.ENDED)
    return room


# --- after the session --------------------------------------------------------------


@transaction.atomic
def chat_summary_publish(*, room_id: int, moderator, title: str, text: str) -> Thread:
    """Publish an edited summary of the session as a pinned "session summary"
    conversation in the course discussion."""
    room = ChatRoom.objects.select_related("session", "thread").get(pk=room_id)
    if not user_may(moderator, MODERATE, room.thread.space):
        raise NotAllowed(_("Only the course's moderators publish summaries."))
    post = discussion.post_submit(
        author=moderator, space_id=room.thread.space_id, title=title, text=text
    )
    summary = discussion.thread_settings_set(
        thread_id=post.thread_ref_id,
        moderator=moderator,
        locked=False,
        slow_mode_seconds=0,
        pinned=True,
        label=Label.SUMMARY,
    )
    ChatRoom.objects.filter(pk=room.pk).update(summary_thread=summary)
    audit_record(
        ModerationAction,
        thread=room.thread,
        actor=moderator,
        kind=Action.SUMMARY_PUBLISHED,
        reason=summary.title,
    )
    return summary


@transaction.atomic
def chat_transcripts_purge(*, now: datetime | None = None) -> int:
    """Erase the text of transcripts older than the retention setting. The
    moderation history and any safeguarding concern keep their own records."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CHAT_TRANSCRIPT_RETENTION_DAYS)
    rooms = [
        room
        for room in ChatRoom.objects.select_related("session").filter(
            purged_at__isnull=True, session__starts_at__lt=cutoff
        )
        if (room.ended_at or room.session.ends_at) < cutoff
    ]
    for room in rooms:
        Post.objects.filter(thread_ref_id=room.thread_id).update(comment="")
        ChatEvent.objects.filter(room=room).delete()
        ChatRoom.objects.filter(pk=room.pk).update(purged_at=now, pinned_post=None)
    return len(rooms)
