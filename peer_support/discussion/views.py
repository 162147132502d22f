"""Member pages for a space's discussion. Thin: `user_may` guards, forms gather input,
`services.post_submit` decides, selectors read.

A draft survives a refusal for changed ground rules: it is kept in the session, the
member accepts the rules, and the thread opens with the draft in the box again.
"""

from functools import lru_cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peer_support.errors import ServiceError
from peer_support.spaces import services as space_services
from peer_support.spaces.forms import RulesAcceptForm
from peer_support.spaces.models import SpacePage
from peer_support.spaces.permissions import MODERATE, READ_DISCUSSION, user_may
from peer_support.spaces.selectors import membership_for, rules_accepted
from peer_support.spaces.standing import DiscussionStanding, discussion_standing

from . import (
    member_controls,
    notifications,
    selectors,
    services,
    thread_cache,
    thread_frame,
)
from .forms import (
    BreakForm,
    FlagForm,
    MutedWordForm,
    PostForm,
    ThreadForm,
    ThreadSettingsForm,
)
from .models import FollowLevel, HoldReason, Post, PostStatus, Thread
from .text import quote
from .versions import PageVersions, page_versions

DRAFT_KEY = "discussion_draft"


def _space(space_id: int) -> SpacePage:
    return get_object_or_404(SpacePage.objects.live().public(), pk=space_id)


def _standing(request, space: SpacePage) -> DiscussionStanding:
    """The reader's standing, worked out once a request: a page reads it from the
    cache, a form sent decides afresh (`spaces.standing`)."""
    kept = getattr(request, "discussion_standing", None)
    if kept is None or kept[0] != space.pk:
        fresh = request.method not in ("GET", "HEAD")
        kept = (space.pk, discussion_standing(request.user, space, fresh=fresh))
        request.discussion_standing = kept
    return kept[1]


def _may_read(request, space: SpacePage) -> bool:
    if request.method in ("GET", "HEAD"):
        return _standing(request, space).read
    return user_may(request.user, READ_DISCUSSION, space)


def _readable_space(request, space_id: int) -> SpacePage:
    space = _space(space_id)
    if not _may_read(request, space):
        raise PermissionDenied
    return space


def _thread(request, thread_id: int, *, versions: PageVersions | None = None) -> Thread:
    thread = None
    if request.method in ("GET", "HEAD"):
        thread = selectors.thread_shown_to_all(thread_id, versions=versions)
    if thread is None:
        thread = get_object_or_404(
            Thread.objects.select_related("space", "topic").filter(
                selectors.threads_visible_q(request.user)
            ),
            pk=thread_id,
            space__live=True,
        )
    if not _may_read(request, thread.space):
        raise PermissionDenied
    return thread


def _posting_context(
    request, space: SpacePage, *, versions: PageVersions | None = None
) -> dict:
    standing = _standing(request, space)
    return {
        "space": space,
        "may_post": standing.post,
        "missing": standing.missing,
        "is_moderator": standing.moderate,
        "duty": selectors.duty_state_shown(space=space, versions=versions),
    }


def _draft_keep(request, *, key: str, **draft) -> None:
    request.session[DRAFT_KEY] = {"key": key, **draft}


def _draft_take(request, key: str) -> dict:
    draft = request.session.get(DRAFT_KEY)
    if draft and draft.get("key") == key:
        del request.session[DRAFT_KEY]
        return draft
    return {}


SUPPORT_TAG = "support"


def _held_message(request, post: Post) -> None:
    if post.status == PostStatus.HELD and post.hold_reason == HoldReason.SAFEGUARDING:
        # Safe-messaging: warm, never punitive; the crisis lines follow in the page.
        messages.info(
            request,
            _(
                "Thank you for sharing this. It sounds like things are really hard "
                "right now, and you don't have to face them alone. A peer worker "
                "will read what you wrote and reach out to you soon; your post will "
                "show once they have. If you'd like to talk to someone now, these "
                "people are there for you, any time:"
            ),
            extra_tags=SUPPORT_TAG,
        )
        return
    if post.status == PostStatus.HELD:
        messages.info(
            request,
            _(
                "Thank you. Your post is waiting for a peer worker and will appear "
                "once they have read it."
            )
            + (f" {post.hold_detail}" if post.hold_detail else ""),
        )
    else:
        messages.success(request, _("Posted."))


def _post_anyway(request) -> bool:
    """The member saw the prompt to rephrase and chose to post as it is."""
    return request.POST.get("post_anyway") == "1"


def _rephrase(form) -> bool:
    return bool(getattr(form, "rephrase", False))


def _refused(request, error: ServiceError, *, space, back: str, **draft):
    """Show a refusal; changed ground rules keep the draft and ask for acceptance."""
    if isinstance(error, services.RulesNotAccepted):
        _draft_keep(request, key=back, **draft)
        messages.info(request, error.message)
        return redirect(
            reverse("discussion:rules_accept", args=[space.pk]) + f"?next={back}"
        )
    return None


def _on_break(request, space: SpacePage, *, until=None):
    """The gentle page a member on a break from this space sees instead of it;
    `until`: the day the break ends, when known already."""
    until = until or member_controls.space_break_until(member=request.user, space=space)
    if until is None:
        return None
    return render(
        request, "discussion/space_break.html", {"space": space, "until": until}
    )


@login_required
def thread_list(request, space_id: int):
    space = _readable_space(request, space_id)
    away = _on_break(request, space)
    if away is not None:
        return away
    threads = selectors.space_threads(space=space, user=request.user)
    from django.core.paginator import Paginator

    page = Paginator(threads, 30).get_page(request.GET.get("page"))
    back = reverse("discussion:threads", args=[space.pk])
    draft = _draft_take(request, back)
    return render(
        request,
        "discussion/thread_list.html",
        {
            **_posting_context(request, space),
            "page_obj": page,
            "threads": selectors.threads_folded(page.object_list, user=request.user),
            "form": ThreadForm(initial=draft or None),
            "break_form": BreakForm(),
        },
    )


@login_required
@require_POST
def thread_new(request, space_id: int):
    space = _readable_space(request, space_id)
    form = ThreadForm(request.POST)
    back = reverse("discussion:threads", args=[space.pk])
    if form.is_valid():
        try:
            post = services.post_submit(
                author=request.user,
                space_id=space.pk,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                hostile_override=_post_anyway(request),
                request=request,
            )
        except ServiceError as error:
            response = _refused(
                request, error, space=space, back=back, **form.cleaned_data
            )
            if response:
                return response
            form.add_error(None, error.message)
            form.rephrase = isinstance(error, services.RephrasePrompt)
        else:
            _held_message(request, post)
            return redirect("discussion:thread", post.thread_ref_id)
    threads = selectors.threads_folded(
        selectors.space_threads(space=space, user=request.user)[:30], user=request.user
    )
    return render(
        request,
        "discussion/thread_list.html",
        {
            **_posting_context(request, space),
            "threads": threads,
            "form": form,
            "rephrase": _rephrase(form),
        },
        status=400,
    )


@lru_cache(maxsize=len(settings.LANGUAGES))
def _blank_reply_form(language: str) -> str:
    """The reply box as every reader first sees it, rendered once per language and
    process (as the template loader keeps templates): it holds nothing of the
    reader's, and its CSRF token sits outside it."""
    return as_crispy_form(PostForm())


def _thread_page(
    request,
    thread: Thread,
    form=None,
    status=200,
    choices=None,
    versions: PageVersions | None = None,
):
    """The thread page; from the reader's kept frame (`thread_frame`) when it is the
    plain page and its posts come from `thread_cache`. `versions`, read when the
    request started, before anything the page shows, allow the frame."""
    blank_form = None
    posting = _posting_context(request, thread.space, versions=versions)
    may_reply = posting["may_post"] and not thread.locked
    page_number = request.GET.get("page")
    view = thread_cache.thread_page(
        thread=thread,
        user=request.user,
        page_number=page_number,
        may_reply=may_reply,
        is_moderator=posting["is_moderator"],
        versions=versions,
    ) or selectors.thread_view(
        thread=thread, user=request.user, page_number=page_number
    )
    back = reverse("discussion:thread", args=[thread.pk])
    if form is None:
        initial = _draft_take(request, back)
        quoting = request.GET.get("quote")
        if quoting and quoting.isdigit() and not initial:
            quoted = (
                Post.objects.filter(
                    pk=quoting, thread_ref=thread, status=PostStatus.PUBLISHED
                )
                .values_list("comment", flat=True)
                .first()
            )
            if quoted:
                initial = {"text": quote(quoted) + "\n\n", "parent": quoting}
        reply_to = request.GET.get("reply_to")
        if reply_to and reply_to.isdigit():
            initial.setdefault("parent", reply_to)
        blank_form = None if initial else _blank_reply_form(get_language())
        form = PostForm(initial=initial) if initial else None
    context = {
        **posting,
        "thread": thread,
        "view": view,
        "may_reply": may_reply,
        "thread_url": back,
        "page_obj": view.page,
        "form": form,
        "blank_form": blank_form,
        "rephrase": _rephrase(form),
        "follow_level": (
            choices
            or thread_cache.reader_choices(
                thread=thread, user=request.user, versions=versions
            )
        ).follow_level,
        "follow_levels": FollowLevel.choices,
        "settings_form": posting["is_moderator"]
        and ThreadSettingsForm(
            initial={
                "locked": thread.locked,
                "pinned": thread.pinned,
                "label": thread.label,
                "slow_mode_seconds": thread.slow_mode_seconds,
            }
        ),
    }
    if blank_form is not None and isinstance(view, thread_cache.CachedThreadView):
        key = thread_frame.frame_key(request, versions=versions, context=context)
        if key is not None:
            return thread_frame.frame_response(request, key=key, context=context)
    return render(
        request,
        "discussion/thread.html",
        {**context, "csrf_input": csrf_input(request)},
        status=status,
    )


@login_required
@require_POST
def thread_follow(request, thread_id: int):
    thread = _thread(request, thread_id)
    try:
        level = notifications.thread_follow_set(
            thread_id=thread.pk, member=request.user, level=request.POST.get("level")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            {
                FollowLevel.ALL: _("We'll email you a link when there's a new post."),
                FollowLevel.MENTIONS: _(
                    "We'll email you a link when someone replies to you or "
                    "mentions you here."
                ),
                FollowLevel.NONE: _("You'll get no emails about this conversation."),
            }[level],
        )
    return redirect("discussion:thread", thread.pk)


@login_required
def post_link(request, post_id: int):
    """A post's lasting address (the one emails use): its thread, at its page."""
    post = get_object_or_404(Post, pk=post_id)
    thread = _thread(request, post.thread_ref_id)
    page = selectors.post_page_number(post=post, user=request.user)
    query = f"?page={page}" if page > 1 else ""
    return redirect(
        reverse("discussion:thread", args=[thread.pk]) + f"{query}#post-{post.pk}"
    )


@login_required
@require_POST
def thread_settings(request, thread_id: int):
    thread = _thread(request, thread_id)
    if not user_may(request.user, MODERATE, thread.space):
        raise PermissionDenied
    form = ThreadSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.thread_settings_set(
                thread_id=thread.pk, moderator=request.user, **form.cleaned_data
            )
            messages.success(request, _("Conversation settings saved."))
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Slow mode is between 0 seconds and a day."))
    return redirect("discussion:thread", thread.pk)


@login_required
def thread_detail(request, thread_id: int):
    versions = page_versions(thread_id, reader_id=request.user.pk)
    thread = _thread(request, thread_id, versions=versions)
    choices = thread_cache.reader_choices(
        thread=thread, user=request.user, versions=versions
    )
    if choices.break_until is not None:
        return _on_break(request, thread.space, until=choices.break_until)
    return _thread_page(request, thread, choices=choices, versions=versions)


# --- a member's own protections --------------------------------------------------


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _muted_change(request, form) -> str | None:
    """Apply one change from the muted page; the success message, or None when the
    form is invalid. Refusals raise ServiceError."""
    if "remove" in request.POST:
        member_controls.muted_word_remove(
            member=request.user, word_id=_id(request.POST["remove"])
        )
        return _("That word shows again.")
    if "unmute" in request.POST:
        member_controls.member_mute_set(
            member=request.user, muted_id=_id(request.POST["unmute"]), mute=False
        )
        return _("Their posts show again.")
    if not form.is_valid():
        return None
    member_controls.muted_word_add(member=request.user, word=form.cleaned_data["word"])
    return _("Posts with that word will fold away for you.")


def _id(value: str) -> int:
    return int(value) if value.isdigit() else 0


@login_required
@require_http_methods(["GET", "POST"])
def muted(request):
    """The member's muted words and muted members, on one page."""
    adding = request.method == "POST" and "word" in request.POST
    form = MutedWordForm(request.POST if adding else None)
    if request.method == "POST":
        try:
            done = _muted_change(request, form)
        except ServiceError as error:
            messages.error(request, error.message)
            done = None
        if done:
            messages.success(request, done)
            return redirect("discussion:muted")
        return render(
            request, "discussion/muted.html", _muted_context(request, form), status=400
        )
    return render(request, "discussion/muted.html", _muted_context(request, form))


def _muted_context(request, form) -> dict:
    from .models import MutedWord

    return {
        "form": form,
        "words": MutedWord.objects.filter(member=request.user),
        "muted_members": member_controls.muted_members(member=request.user),
    }


@login_required
@require_POST
def mute_member(request, user_id: int):
    mute = request.POST.get("mute") == "1"
    try:
        member_controls.member_mute_set(
            member=request.user, muted_id=user_id, mute=mute
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Their posts will fold away for you. They won't be told.")
            if mute
            else _("Their posts show again."),
        )
    return redirect(_next_or(request, reverse("discussion:muted")))


@login_required
@require_POST
def space_break(request, space_id: int):
    space = _readable_space(request, space_id)
    back = reverse("discussion:threads", args=[space.pk])
    if request.POST.get("end") == "1":
        member_controls.space_break_end(member=request.user, space=space)
        messages.success(request, _("Welcome back."))
        return redirect(back)
    form = BreakForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day after today to come back."))
        return redirect(back)
    try:
        member_controls.space_break_take(
            member=request.user, space=space, until=form.cleaned_data["until"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(back)


@login_required
@require_POST
def post_reply(request, thread_id: int):
    thread = _thread(request, thread_id)
    form = PostForm(request.POST)
    back = reverse("discussion:thread", args=[thread.pk])
    if form.is_valid():
        try:
            post = services.post_submit(
                author=request.user,
                thread_id=thread.pk,
                parent_id=form.cleaned_data.get("parent"),
                text=form.cleaned_data["text"],
                hostile_override=_post_anyway(request),
                request=request,
            )
        except ServiceError as error:
            response = _refused(
                request,
                error,
                space=thread.space,
                back=back,
                text=form.cleaned_data["text"],
                parent=form.cleaned_data.get("parent"),
            )
            if response:
                return response
            form.add_error(None, error.message)
            form.rephrase = isinstance(error, services.RephrasePrompt)
        else:
            _held_message(request, post)
            return redirect(f"{back}#post-{post.pk}")
    return _thread_page(request, thread, form=form, status=400)


def _own_post(request, post_id: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("thread_ref__space"), pk=post_id
    )
    if not user_may(request.user, READ_DISCUSSION, post.thread_ref.space):
        raise PermissionDenied
    return post


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, post_id: int):
    post = _own_post(request, post_id)
    if post.user_id != request.user.pk:
        raise PermissionDenied
    form = PostForm(request.POST or None, initial={"text": post.comment})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_submit(
                author=request.user,
                post_id=post.pk,
                text=form.cleaned_data["text"],
                hostile_override=_post_anyway(request),
                request=request,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            form.rephrase = isinstance(error, services.RephrasePrompt)
        else:
            _held_message(request, post)
            return redirect(
                reverse("discussion:thread", args=[post.thread_ref_id])
                + f"#post-{post.pk}"
            )
    return render(
        request,
        "discussion/post_edit.html",
        {
            "post": post,
            "form": form,
            "thread": post.thread_ref,
            "rephrase": _rephrase(form),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def post_delete(request, post_id: int):
    post = _own_post(request, post_id)
    try:
        services.post_delete(post_id=post.pk, member=request.user)
        messages.success(request, _("Your post has been deleted."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(reverse("discussion:thread", args=[post.thread_ref_id]))


@login_required
@require_POST
def post_helped(request, post_id: int):
    post = _own_post(request, post_id)
    try:
        services.post_helped_set(
            post_id=post.pk,
            member=request.user,
            helped=request.POST.get("helped") != "0",
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(
        reverse("discussion:thread", args=[post.thread_ref_id]) + f"#post-{post.pk}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, post_id: int):
    post = _own_post(request, post_id)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_flag(
                post_id=post.pk,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            form.rephrase = isinstance(error, services.RephrasePrompt)
        else:
            messages.success(
                request,
                _(
                    "Thank you for telling us. A peer worker will look at this post; "
                    "nobody else will know you flagged it."
                ),
            )
            return redirect(
                reverse("discussion:thread", args=[post.thread_ref_id])
                + f"#post-{post.pk}"
            )
    return render(
        request,
        "discussion/post_flag.html",
        {"post": post, "form": form, "thread": post.thread_ref},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules_accept(request, space_id: int):
    """Accept changed ground rules, then go back to the draft."""
    space = _space(space_id)
    membership = membership_for(user=request.user, space=space)
    if membership is None:
        raise Http404
    next_url = request.GET.get("next") or space.url
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = reverse("discussion:threads", args=[space.pk])
    form = RulesAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space_services.membership_rules_accept(
                membership_id=membership.pk, member=request.user
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Thank you for accepting the ground rules. Your draft is here."),
            )
            return redirect(next_url)
    return render(
        request,
        "spaces/rules_accept.html",
        {
            "space": space,
            "form": form,
            "already": rules_accepted(membership=membership),
        },
    )


@login_required
def my_sanctions(request):
    """Decisions about the member, each with its appeal (or a link to write one)."""
    from .sanctions import member_sanctions

    return render(
        request,
        "discussion/my_sanctions.html",
        {"sanctions": member_sanctions(member=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, sanction_id: int):
    from .forms import AppealForm
    from .models import Sanction
    from .sanctions import appeal_submit

    sanction = get_object_or_404(
        Sanction.objects.select_related("space"), pk=sanction_id, member=request.user
    )
    if hasattr(sanction, "appeal"):
        messages.info(request, _("You have already appealed this decision."))
        return redirect("discussion:my_sanctions")
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_submit(
                sanction_id=sanction.pk,
                member=request.user,
                text=form.cleaned_data["text"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Your appeal has been sent. A different peer worker will read "
                    "it, and you'll find their answer in your messages."
                ),
            )
            return redirect("discussion:my_sanctions")
    return render(
        request,
        "discussion/appeal.html",
        {"sanction": sanction, "form": form},
        status=400 if form.errors else 200,
    )
