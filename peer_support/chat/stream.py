"""What a poll reads from the cache, so that a hundred readers polling every second
and a half cost the database and the templates almost nothing.

Three things are cached (Redis in production, the default cache):

- the room as every reader sees it (`RoomView`): whether it is paused, started or
  ended, its slow mode and its pinned message, dropped when an event that changes
  them commits; and apart, its last sequence number, dropped when any event commits
  (ten times a second in a busy chat), so a poll with nothing new answers at once;
- each event as a reader sees it (`EventView`): a published message's line and a
  notice are the same for everyone, so they are rendered once. A held message keeps
  only its author's id here (its author's poll renders it afresh, nobody else sees
  it), and the host's and moderators' polls, whose lines carry their buttons and form
  tokens, never come from here. Dropped when the message is approved, removed or
  edited;
- one reader's access to one session's chat (`ReaderAccess`), keyed on a hash of
  their browser session, their account and the live session, under the person's
  access token (`spaces.standing`): briefly, and dropped for that person whenever
  their membership, facilitator role, shifts or mute changes (`receivers`).

Both are dropped at once and again after commit, yet a poll that read the database
just before a commit may put back the older one; so they live only ROOM_SECONDS.
That can delay a message by at most that long, never lose or repeat one: the cursor
is the reader's, and every event is fetched by its number.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from peer_support.courses.models import LiveSession
from peer_support.discussion.models import Post, PostStatus
from peer_support.spaces import standing
from peer_support.transactions import now_and_on_commit

from .models import ChatEvent, ChatRoom
from .selectors import chat_access, is_muted, lines_for, notice_text

ROOM_SECONDS = 2
EVENT_SECONDS = 120


@dataclass(frozen=True)
class RoomView:
    pk: int
    session_id: int
    page_id: int
    host_id: int | None
    thread_id: int
    last_seq: int
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    started: bool
    paused: bool
    slow_mode_seconds: int
    pinned_html: str

    def is_on(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


def _room_key(session_id: int, language: str) -> str:
    return f"chat-room:{session_id}:{language}"


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _drop(keys: list[str]) -> None:
    now_and_on_commit(lambda: cache.delete_many(keys))


def _room_build(session_id: int) -> RoomView | None:
    session = LiveSession.objects.select_related("page").filter(pk=session_id).first()
    if session is None or not session.page.live:
        return None
    room = ChatRoom.objects.for_session(session)
    room = ChatRoom.objects.select_related("thread", "pinned_post__user").get(
        pk=room.pk
    )
    pinned = room.pinned_post
    if pinned is not None and pinned.status != PostStatus.PUBLISHED:
        pinned = None
    return RoomView(
        pk=room.pk,
        session_id=session.pk,
        page_id=session.page_id,
        host_id=session.host_id,
        thread_id=room.thread_id,
        last_seq=room.last_seq,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        ended_at=room.ended_at,
        started=room.started_at is not None,
        paused=room.thread.locked,
        slow_mode_seconds=room.thread.slow_mode_seconds,
        pinned_html=render_to_string("chat/includes/pinned.html", {"pinned": pinned}),
    )


def _last_key(session_id: int) -> str:
    return f"chat-last:{session_id}"


def room_view(session_id: int) -> RoomView | None:
    """The room as every reader sees it now; None when there is no such session, or
    its course is not published. Its last number is kept apart, as a message
    changes only that."""
    key, last_key = _room_key(session_id, get_language()), _last_key(session_id)
    found = cache.get_many([key, last_key])
    view, last = found.get(key), found.get(last_key)
    if view is None:
        view = _room_build(session_id)
        if view is None:
            return None
        cache.add(key, view, timeout=ROOM_SECONDS)
        cache.add(last_key, view.last_seq, timeout=ROOM_SECONDS)
        return view
    if last is None:
        last = ChatRoom.objects.values_list("last_seq", flat=True).get(pk=view.pk)
        cache.add(last_key, last, timeout=ROOM_SECONDS)
    return replace(view, last_seq=last)


def room_changed(*, session_id: int, state: bool) -> None:
    """An event joined the stream; `state`: one that changes the room's state (a
    pause, a pin...), not only its last number."""
    keys = [_last_key(session_id)]
    if state:
        keys += [_room_key(session_id, language) for language in _languages()]
    _drop(keys)


# --- events --------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    seq: int
    kind: str
    post_id: int | None
    html: str  # what every reader but the message's author sees
    held_for: int | None = None  # a held message: its author's id

    def as_json(self, html: str | None = None) -> dict:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "post": self.post_id,
            "html": self.html if html is None else html,
        }


def _event_key(room_id: int, seq: int, language: str) -> str:
    return f"chat-event:{room_id}:{seq}:{language}"


def notice_html(event: ChatEvent) -> str:
    return render_to_string("chat/includes/notice.html", {"text": notice_text(event)})


def _event_views(room: ChatRoom, events: list[ChatEvent]) -> list[EventView]:
    """Events rendered as a reader who does not run the chat sees them."""
    posts = [e.post for e in events if e.post is not None]
    published = [post for post in posts if post.status == PostStatus.PUBLISHED]
    lines = lines_for(room=room, posts=published, user=None)
    views = []
    for event in events:
        post = event.post
        if event.post_id is None or event.kind == ChatEvent.Kind.PINNED:
            views.append(
                EventView(event.seq, event.kind, event.post_id, notice_html(event))
            )
        elif post.pk in lines:
            html = render_to_string(
                "chat/includes/line.html",
                {"line": lines[post.pk], "access": None, "session": room.session},
            )
            views.append(EventView(event.seq, event.kind, post.pk, html))
        elif post.status == PostStatus.HELD and post.user_id is not None:
            views.append(
                EventView(event.seq, event.kind, post.pk, "", held_for=post.user_id)
            )
        else:
            views.append(EventView(event.seq, event.kind, post.pk, ""))
    return views


def posts_of(*, room_id: int, post_ids: list[int]) -> tuple[ChatRoom, list[Post]]:
    room = ChatRoom.objects.select_related("session__page").get(pk=room_id)
    posts = Post.objects.filter(pk__in=post_ids, thread_ref_id=room.thread_id)
    return room, list(posts.select_related("user"))


def events_from_database(
    *, room_id: int, after: int, upto: int
) -> tuple[ChatRoom, list[ChatEvent]]:
    room = ChatRoom.objects.select_related("session__page").get(pk=room_id)
    events = list(
        ChatEvent.objects.filter(room_id=room_id, seq__gt=after, seq__lte=upto)
        .select_related("post", "post__user")
        .order_by("seq")
    )
    return room, events


def event_views(*, room: RoomView, after: int, upto: int) -> list[EventView]:
    """Events after..upto, as readers who don't run the chat see them, oldest first;
    rendered once and shared."""
    language = get_language()
    keys = {
        seq: _event_key(room.pk, seq, language) for seq in range(after + 1, upto + 1)
    }
    found = cache.get_many(list(keys.values()))
    views = {seq: found[key] for seq, key in keys.items() if key in found}
    missing = [seq for seq in keys if seq not in views]
    if missing:
        chat_room, events = events_from_database(
            room_id=room.pk, after=min(missing) - 1, upto=max(missing)
        )
        fresh = {view.seq: view for view in _event_views(chat_room, events)}
        cache.set_many(
            {keys[seq]: view for seq, view in fresh.items() if seq not in views},
            timeout=EVENT_SECONDS,
        )
        views.update(fresh)
    return [views[seq] for seq in sorted(views)]


def post_views_changed(*, room_id: int, post_id: int) -> None:
    """A message was approved, removed or edited: every event showing it is
    rendered afresh."""
    seqs = ChatEvent.objects.filter(room_id=room_id, post_id=post_id).values_list(
        "seq", flat=True
    )
    _drop(
        [
            _event_key(room_id, seq, language)
            for seq in seqs
            for language in _languages()
        ]
    )


# --- one reader's access -----------------------------------------------------------


@dataclass(frozen=True)
class ReaderAccess:
    """`ChatAccess`'s answers, with whether the reader is muted, as one value."""

    read: bool
    moderate: bool
    member: bool
    host: bool
    muted: bool
    token: str

    @property
    def runs(self) -> bool:
        return self.host or self.moderate


def _access_key(request, session_id: int) -> str:
    seed = f"{request.session.session_key}:{request.user.pk}:{session_id}"
    return "chat-access:" + hashlib.sha256(seed.encode()).hexdigest()


def reader_access(request, room: RoomView) -> ReaderAccess:
    """What this signed-in reader may do in this chat, from the cache when nothing
    about them changed since it was decided."""
    user = request.user
    key = _access_key(request, room.session_id)
    found = cache.get_many([key, standing.token_key(user.pk)])
    token = standing.token_in_force(user.pk, found)
    access = found.get(key)
    if access is not None and access.token == token:
        return access
    session = LiveSession.objects.select_related("page").get(pk=room.session_id)
    decided = chat_access(user=user, session=session)
    access = ReaderAccess(
        read=decided.read,
        moderate=decided.moderate,
        member=decided.member,
        host=decided.host,
        muted=is_muted(room_id=room.pk, user=user),
        token=token,
    )
    cache.set(key, access, timeout=standing.ACCESS_SECONDS)
    return access
