"""The live chat's pages. Thin: `chat_access` guards, services decide.

Transport: the page polls `events` every CHAT_POLL_MILLISECONDS with the last
sequence number it has seen (static/js/live-chat.js); without JavaScript the same
page is a plain form and a refresh link. Both answer from the database, so any web
process serves any reader.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from peer_support.courses.models import LiveSession
from peer_support.courses.services import attendance_record
from peer_support.discussion.models import HoldReason, PostStatus
from peer_support.discussion.services import RephrasePrompt, post_submit
from peer_support.discussion.views import _held_message
from peer_support.errors import ServiceError
from peer_support.spaces.permissions import VIEW_PRIVATE_DETAILS, user_may

from . import services
from .models import ChatEvent, ChatRoom
from .selectors import (
    ChatWindow,
    chat_access,
    chat_events_after,
    chat_lines,
    chat_window,
    is_muted,
    lines_for,
)

SLOW_MODE_CHOICES = (0, 10, 30, 60)
LINE_CACHE_SECONDS = 120


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


def _here(request, session: LiveSession, access) -> None:
    """Opening the chat during the session is saying "I'm here". Remembered in the
    browser's session, so polls after the first record cost nothing."""
    here = request.session.get(HERE_KEY, [])
    if session.pk in here or not session.is_on():
        return
    if access.member:
        try:
            attendance_record(session=session, member=request.user)
        except ServiceError:
            return
    request.session[HERE_KEY] = [*here[-20:], session.pk]


def _room(session: LiveSession) -> ChatRoom:
    rooms = ChatRoom.objects.select_related("session", "thread", "pinned_post__user")
    room = rooms.filter(session=session).first()
    if room is None:
        room = rooms.get(pk=services.chat_room_get(session=session).pk)
    return room


def _state(room: ChatRoom, user) -> dict:
    return {
        "window": chat_window(session=room.session, room=room),
        "started": room.started_at is not None,
        "paused": room.thread.locked,
        "slow_mode_seconds": room.thread.slow_mode_seconds,
        "muted": is_muted(room=room, user=user),
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
    _here(request, session, access)
    return TemplateResponse(
        request, "chat/room.html", _room_context(request, session, access, room)
    )


NOTICES = {
    ChatEvent.Kind.PAUSED: gettext_lazy("A moderator paused the chat."),
    ChatEvent.Kind.RESUMED: gettext_lazy("The chat is open again."),
    ChatEvent.Kind.STARTED: gettext_lazy("The session has started."),
    ChatEvent.Kind.ENDED: gettext_lazy(
        "The session has ended. Thank you for being here."
    ),
}


def _notice(event: ChatEvent) -> str:
    if event.kind == ChatEvent.Kind.SLOW_MODE:
        if not event.value:
            return _("Slow mode is off.")
        return _("Slow mode: one message every %(seconds)d seconds.") % {
            "seconds": event.value
        }
    if event.kind == ChatEvent.Kind.PINNED:
        return _("A message was pinned.")
    return str(NOTICES.get(event.kind, ""))


@require_GET
def chat_events(request, session_id: int):
    """Everything after `after`, as this reader sees it; JSON for the page's script."""
    session, access, refused = _guard(request, session_id)
    if refused:
        return JsonResponse({"error": _("You can't read this chat.")}, status=403)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = -1
    if after < 0:
        return HttpResponseBadRequest(_("after must be a sequence number."))
    room = _room(session)
    _here(request, session, access)
    if room.last_seq <= after:  # nothing new: most polls end here
        return JsonResponse({"last": after, "more": False, "events": []})
    updates, more = chat_events_after(room=room, user=request.user, after=after)
    rendered = _lines_rendered(request, session, access, room, updates)
    events = []
    for update in updates:
        event = update.event
        html = rendered.get(event.post_id, "")
        if event.post_id is None or event.kind == ChatEvent.Kind.PINNED:
            notice = _notice(event)
            html = render_to_string("chat/includes/notice.html", {"text": notice})
        events.append(
            {"seq": event.seq, "kind": event.kind, "post": event.post_id, "html": html}
        )
    state = _state(room, request.user)
    return JsonResponse(
        {
            "last": events[-1]["seq"] if events else after,
            "more": more,
            "events": events,
            "state": state,
            "status": render_to_string("chat/includes/status.html", {"state": state}),
            "pinned": render_to_string(
                "chat/includes/pinned.html",
                {"pinned": _pinned(room)},
            ),
        }
    )


def _line_key(post) -> str:
    """A published message looks the same to every member: rendered once per
    process, keyed on what it shows now."""
    text = hashlib.sha256(post.comment.encode()).hexdigest()[:16]
    return f"chat-line:{post.pk}:{post.status}:{text}"


def _lines_rendered(request, session, access, room, updates) -> dict[int, str]:
    """Each message in these updates as this reader sees it: {post id: html}.
    Messages only the reader sees (their own held ones) and the host's and
    moderators' (with their buttons and form tokens) are never shared."""
    posts = {u.event.post_id: u.event.post for u in updates if u.event.post_id}
    shared = {
        pk: _line_key(post)
        for pk, post in posts.items()
        if post.status == PostStatus.PUBLISHED and not access.runs
    }
    found = cache.get_many(list(shared.values()))
    rendered = {pk: found[key] for pk, key in shared.items() if key in found}
    missing = [post for pk, post in posts.items() if pk not in rendered]
    for pk, line in lines_for(room=room, posts=missing, user=request.user).items():
        rendered[pk] = render_to_string(
            "chat/includes/line.html",
            {"line": line, "access": access, "session": session},
            request=request,
        )
    cache.set_many(
        {shared[pk]: rendered[pk] for pk in shared if pk in rendered},
        timeout=LINE_CACHE_SECONDS,
    )
    return rendered


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
def chat_post(request, session_id: int):
    session, access, refused = _guard(request, session_id)
    if refused:
        if _wants_json(request):
            return JsonResponse(
                {"error": _("You can't write in this chat.")}, status=403
            )
        return refused
    room = _room(session)
    text = request.POST.get("text", "")
    question = access.runs and request.POST.get("question") == "1"
    try:
        if question:
            post = services.chat_question_post(
                session=session, host=request.user, text=text
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
        context = _room_context(
            request, session, access, room, error=error.message, draft=text
        )
        context["rephrase"] = rephrase
        return TemplateResponse(request, "chat/room.html", context, status=400)
    _here(request, session, access)
    supportive = post.hold_reason == HoldReason.SAFEGUARDING
    if _wants_json(request) and not supportive:
        return JsonResponse({"ok": True, "held": post.status == PostStatus.HELD})
    _held_message(request, post)
    back = reverse("chat:room", args=[session.pk])
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
