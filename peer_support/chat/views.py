"""The live chat's pages. Thin: `chat_access` guards, services decide.

Transport: the page polls `events` every CHAT_POLL_MILLISECONDS with the last
sequence number it has seen (static/js/live-chat.js); without JavaScript the same
page is a plain form and a refresh link. A poll answers from the shared cache
(`stream`), so any web process serves any reader.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peer_support.courses.models import LiveSession
from peer_support.courses.services import attendance_record
from peer_support.discussion.models import HoldReason, PostStatus
from peer_support.discussion.services import RephrasePrompt, post_submit
from peer_support.discussion.views import _held_message
from peer_support.errors import ServiceError
from peer_support.spaces.permissions import VIEW_PRIVATE_DETAILS, user_may

from . import services, stream
from .models import ChatEvent, ChatRoom
from .selectors import (
    EVENTS_PER_POLL,
    ChatWindow,
    chat_access,
    chat_events_after,
    chat_lines,
    chat_window,
    is_muted,
    lines_for,
    window_at,
)

SLOW_MODE_CHOICES = (0, 10, 30, 60)


def _session(session_id: int) -> LiveSession:
    return get_object_or_404(
        LiveSession.objects.select_related("page", "host"),
        pk=session_id,
        page__live=True,
    )


def _guard(request, session_id: int):
    """(session, access), or a response for someone who may not read this chat."""
    if not request.user.is_authenticated:
        return None, None, redirect_to_login(request.get_full_path())
    session = _session(session_id)
    access = chat_access(user=request.user, session=session)
    if not access.read:
        response = TemplateResponse(
            request,
            "chat/not_enrolled.html",
            {"session": session, "course": session.page},
            status=403,
        )
        return session, access, response
    return session, access, None


HERE_KEY = "live_chat_here"


def _here(request, *, session_id: int, on: bool, member: bool) -> None:
    """Opening the chat during the session is saying "I'm here". Remembered in the
    browser's session, so polls after the first record cost nothing."""
    here = request.session.get(HERE_KEY, [])
    if session_id in here or not on:
        return
    if member:
        try:
            attendance_record(
                session=LiveSession.objects.get(pk=session_id), member=request.user
            )
        except ServiceError:
            return
    request.session[HERE_KEY] = [*here[-20:], session_id]


def _room(session: LiveSession) -> ChatRoom:
    rooms = ChatRoom.objects.select_related("session", "thread", "pinned_post__user")
    room = rooms.filter(session=session).first()
    if room is None:
        room = rooms.get(pk=ChatRoom.objects.for_session(session).pk)
    return room


def _state(room: ChatRoom, user) -> dict:
    return {
        "window": chat_window(session=room.session, room=room),
        "started": room.started_at is not None,
        "paused": room.thread.locked,
        "slow_mode_seconds": room.thread.slow_mode_seconds,
        "muted": is_muted(room_id=room.pk, user=user),
    }


def _pinned(room: ChatRoom):
    post = room.pinned_post
    return post if post is not None and post.status == PostStatus.PUBLISHED else None


def _room_context(request, session, access, room, **extra) -> dict:
    state = _state(room, request.user)
    return {
        "session": session,
        "course": session.page,
        "access": access,
        "room": room,
        "state": state,
        "lines": chat_lines(room=room, user=request.user),
        "pinned": _pinned(room),
        "show_webcast": access.runs
        or user_may(request.user, VIEW_PRIVATE_DETAILS, session.page),
        "may_write": state["window"] == ChatWindow.OPEN
        and not state["muted"]
        and (access.runs or not state["paused"]),
        "slow_mode_choices": SLOW_MODE_CHOICES,
        "poll_ms": settings.CHAT_POLL_MILLISECONDS,
        **extra,
    }


@require_GET
def chat_room(request, session_id: int):
    session, access, refused = _guard(request, session_id)
    if refused:
        return refused
    room = _room(session)
    _here(request, session_id=session.pk, on=session.is_on(), member=access.member)
    return TemplateResponse(
        request, "chat/room.html", _room_context(request, session, access, room)
    )


def _refused_json():
    return JsonResponse({"error": _("You can't read this chat.")}, status=403)


@require_GET
def chat_events(request, session_id: int):
    """Everything after `after`, as this reader sees it; JSON for the page's script.
    Answered from the cache (`stream`) but for what only this reader sees."""
    if not request.user.is_authenticated:
        return _refused_json()
    room = stream.room_view(session_id)
    if room is None:
        raise Http404
    access = stream.reader_access(request, room)
    if not access.read:
        return _refused_json()
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = -1
    if after < 0:
        return HttpResponseBadRequest(_("after must be a sequence number."))
    _here(
        request,
        session_id=room.session_id,
        on=room.is_on(timezone.now()),
        member=access.member,
    )
    if room.last_seq <= after:  # nothing new
        return JsonResponse({"last": after, "more": False, "events": []})
    upto = min(room.last_seq, after + EVENTS_PER_POLL)
    if access.runs:
        events = _events_with_controls(request, room, access, after=after)
    else:
        events = _events_shared(request, room, after=after, upto=upto)
    state = {
        "window": window_at(
            starts_at=room.starts_at, ends_at=room.ends_at, ended_at=room.ended_at
        ),
        "started": room.started,
        "paused": room.paused,
        "slow_mode_seconds": room.slow_mode_seconds,
        "muted": access.muted,
    }
    return JsonResponse(
        {
            "last": events[-1]["seq"] if events else after,
            "more": room.last_seq > upto,
            "events": events,
            "state": state,
            "status": render_to_string("chat/includes/status.html", {"state": state}),
            "pinned": room.pinned_html,
        }
    )


def _events_shared(request, room, *, after: int, upto: int) -> list[dict]:
    """The shared renderings, but a held message for its author, rendered afresh;
    a message removed later in the same answer is not shown on the way."""
    views = stream.event_views(room=room, after=after, upto=upto)
    mine_held = [v.post_id for v in views if v.held_for == request.user.pk]
    own = {}
    if mine_held:
        chat_room, posts = stream.posts_of(room_id=room.pk, post_ids=mine_held)
        lines = lines_for(room=chat_room, posts=posts, user=request.user)
        own = {
            pk: render_to_string(
                "chat/includes/line.html", {"line": line}, request=request
            )
            for pk, line in lines.items()
        }
    last_kind = {v.post_id: v.kind for v in views if v.post_id is not None}
    events = []
    for view in views:
        html = own.get(view.post_id)
        if last_kind.get(view.post_id) == ChatEvent.Kind.REMOVED:
            html = ""
        events.append(view.as_json(html))
    return events


def _events_with_controls(request, room, access, *, after: int) -> list[dict]:
    """The host's and moderators' view: their buttons and form tokens in every
    line, so nothing of it is shared."""
    session = _session(room.session_id)
    room = _room(session)
    updates, _more = chat_events_after(room=room, user=request.user, after=after)
    posts = [u.event.post for u in updates if u.event.post_id]
    lines = lines_for(room=room, posts=posts, user=request.user)
    events = []
    for update in updates:
        event = update.event
        if event.post_id is None or event.kind == ChatEvent.Kind.PINNED:
            html = stream.notice_html(event)
        elif event.post_id in lines:
            html = render_to_string(
                "chat/includes/line.html",
                {"line": lines[event.post_id], "access": access, "session": session},
                request=request,
            )
        else:
            html = ""
        events.append(
            {"seq": event.seq, "kind": event.kind, "post": event.post_id, "html": html}
        )
    return events


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
def chat_post(request, session_id: int):
    """A message. Its guard answers from the cache like a poll's; `post_submit`
    checks who may write, from the database."""
    room = stream.room_view(session_id) if request.user.is_authenticated else None
    access = stream.reader_access(request, room) if room is not None else None
    if access is None or not access.read:
        if _wants_json(request) and request.user.is_authenticated:
            return JsonResponse(
                {"error": _("You can't write in this chat.")}, status=403
            )
        return _guard(request, session_id)[2]
    text = request.POST.get("text", "")
    try:
        if access.runs and request.POST.get("question") == "1":
            post = services.chat_question_post(
                session=_session(session_id), host=request.user, text=text
            )
        else:
            post = post_submit(
                author=request.user,
                thread_id=room.thread_id,
                text=text,
                hostile_override=request.POST.get("post_anyway") == "1",
                request=request,
            )
    except ServiceError as error:
        rephrase = isinstance(error, RephrasePrompt)
        if _wants_json(request):
            return JsonResponse(
                {"error": error.message, "rephrase": rephrase}, status=400
            )
        session, full_access, _refused = _guard(request, session_id)
        context = _room_context(
            request,
            session,
            full_access,
            _room(session),
            error=error.message,
            draft=text,
        )
        context["rephrase"] = rephrase
        return TemplateResponse(request, "chat/room.html", context, status=400)
    _here(
        request,
        session_id=session_id,
        on=room.is_on(timezone.now()),
        member=access.member,
    )
    supportive = post.hold_reason == HoldReason.SAFEGUARDING
    if _wants_json(request) and not supportive:
        return JsonResponse({"ok": True, "held": post.status == PostStatus.HELD})
    _held_message(request, post)
    back = reverse("chat:room", args=[session_id])
    if _wants_json(request):
        # The supportive words and crisis lines are on the page, not in the stream.
        return JsonResponse({"ok": True, "reload": back})
    return redirect(back)


@require_POST
def chat_act(request, session_id: int):
    """The host's and moderators' buttons: each calls one service."""
    session, access, refused = _guard(request, session_id)
    if refused:
        return refused
    action = request.POST.get("action", "")
    post_id = request.POST.get("post_id") or 0
    user = request.user
    done = {
        "remove": _("Removed for everyone. Its author has been told privately."),
        "mute": _("Muted for the rest of this session."),
        "pin": _("Pinned."),
        "pause": _("The chat is paused."),
        "resume": _("The chat is open again."),
        "slow": _("Slow mode set."),
        "start": _("Marked as started."),
        "end": _("Marked as ended: the chat is closed."),
    }
    if action not in done:
        raise Http404
    try:
        post_id = int(post_id)
        seconds = int(request.POST.get("seconds") or 0)
    except ValueError:
        return HttpResponseBadRequest(_("Numbers only."))
    try:
        if action == "remove":
            services.chat_message_remove(
                session=session,
                post_id=post_id,
                moderator=user,
                reason=request.POST.get("reason", ""),
            )
        elif action == "mute":
            services.chat_member_mute(session=session, post_id=post_id, moderator=user)
        elif action == "pin":
            services.chat_message_pin(session=session, post_id=post_id, actor=user)
        elif action in ("pause", "resume"):
            services.chat_settings_set(
                session=session, moderator=user, paused=action == "pause"
            )
        elif action == "slow":
            if seconds not in SLOW_MODE_CHOICES:
                return HttpResponseBadRequest(_("Choose a slow mode from the list."))
            services.chat_settings_set(
                session=session, moderator=user, slow_mode_seconds=seconds
            )
        else:
            services.chat_session_mark(
                session=session, actor=user, started=action == "start"
            )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("chat:room", session.pk)
    messages.success(request, done[action])
    return redirect(f"{reverse('chat:room', args=[session.pk])}#chat-lines")
