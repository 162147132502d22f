"""Rules for writing in a space's discussion.

Every post, every edit and every live-chat message goes through `post_submit`,
which runs its checks in one order, visible below: may post, rate limit, watched
words, safeguarding screening, moderation mode. A live session's chat is a hidden
thread; for it the chat's own rules (`chat.services.chat_post_check`) join step 1,
its pace replaces new members' pace, and a saved message joins the chat's stream.

It locks the thread row first, so replies to one thread are numbered one at a time
(comments-xtd renumbers a thread without a lock). Moderator decisions
(`post_moderate`) are recorded append-only and the author is told privately.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments_xtd.models import TmpXtdComment

from peer_site.addresses import absolute_url
from peer_support.audit import audit_record
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import (
    MemberNotice,
    Membership,
    ModerationMode,
    SpacePage,
)
from peer_support.spaces.permissions import MODERATE, POST, READ_DISCUSSION, user_may
from peer_support.spaces.selectors import may_post
from safeguarding.screening import screen
from safeguarding.services import screening_concern_raise, worried_flag_raise

from .models import (
    FlagReason,
    Helped,
    HoldReason,
    Label,
    ModerationAction,
    Post,
    PostFlag,
    PostRevision,
    PostStatus,
    ProbationRelease,
    Thread,
    WatchedWord,
)
from .moderation import (
    SUBMISSION_ATTR,
    Submission,
    reads_as_hostile,
    watched_words_apply,
)
from .notifications import follow_default, mentions_find, notify_on_commit
from .selectors import discussion_settings, duty_state, may_edit
from .text import text_clean

MAX_TITLE_LENGTH = 160
MAX_POST_LENGTH = 3000  # django-comments' own column limit
MAX_REASON_LENGTH = 2000
Kind = ModerationAction.Kind


class DiscussionError(ServiceError):
    """A post or action the discussion refuses; `message` is for the person."""


class RulesNotAccepted(NotAllowed):
    """The ground rules changed: accept them, then come back to the draft."""


class RateLimited(DiscussionError):
    pass


class PostBlocked(DiscussionError):
    pass


class RephrasePrompt(DiscussionError):
    """The text reads as hostile: ask once; the member may post it anyway."""


# --- helpers -----------------------------------------------------------------------


def _thread_locked(thread_id: int) -> Thread:
    try:
        return (
            Thread.objects.select_for_update(of=("self",))
            .select_related("space")
            .get(pk=thread_id)
        )
    except Thread.DoesNotExist as missing:
        raise DiscussionError(_("This conversation no longer exists.")) from missing


def _post_locked(post_id: int) -> Post:
    try:
        return Post.objects.select_for_update(of=("self",)).get(pk=post_id)
    except Post.DoesNotExist as missing:
        raise DiscussionError(_("This post no longer exists.")) from missing


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DiscussionError(_("Please give a reason; the member will read it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise DiscussionError(_("Please keep the reason under 2000 characters."))
    return reason


def _require_post_rights(author, space: SpacePage) -> None:
    """Step 1 of post_submit: may this member post here at all?"""
    if user_may(author, POST, space):
        return
    _allowed, missing = may_post(user=author, space=space)
    if missing == "rules":
        raise RulesNotAccepted(
            _(
                "The ground rules have changed. Please read and accept them; "
                "your draft is kept."
            )
        )
    if missing == "suspended":
        raise NotAllowed(
            _("Your membership is paused, so you can read but not post for now.")
        )
    raise NotAllowed(_("Join this space to take part in its discussion."))


def _rate_limit(
    *, author, space: SpacePage, thread: Thread | None, now, chat: bool = False
) -> None:
    """Step 2: new members' pace, and a thread's slow mode; in a live chat, one
    message every few seconds (or the slow mode, if longer) instead of the pace."""
    slow = thread.slow_mode_seconds if thread is not None else 0
    gap = max(slow, settings.CHAT_MESSAGE_SECONDS) if chat else slow
    if gap:
        last = (
            Post.objects.filter(thread_ref=thread, user=author)
            .order_by("-submit_date")
            .values_list("submit_date", flat=True)
            .first()
        )
        wait = gap - (now - last).total_seconds() if last else 0
        if wait > 0 and gap == slow:
            raise RateLimited(
                _(
                    "This conversation is in slow mode: please wait %(seconds)d "
                    "seconds before posting again."
                )
                % {"seconds": int(wait) + 1}
            )
        if wait > 0:
            raise RateLimited(
                _("Please wait %(seconds)d seconds between chat messages.")
                % {"seconds": int(wait) + 1}
            )
    if chat:
        return
    membership = Membership.objects.filter(space=space, member=author).first()
    new_since = now - timedelta(days=settings.DISCUSSION_NEW_MEMBER_DAYS)
    if membership is None or (membership.joined_at or now) < new_since:
        return
    rules = discussion_settings(space=space)
    window_start = now - timedelta(seconds=rules.new_member_window_seconds)
    recent = Post.objects.filter(
        thread_ref__space_id=space.pk, user=author, submit_date__gte=window_start
    ).count()
    if recent >= rules.new_member_posts:
        raise RateLimited(
            _(
                "Welcome! New members can write %(posts)d posts every %(minutes)d "
                "minutes. Your words are kept here; please try again in a little while."
            )
            % {
                "posts": rules.new_member_posts,
                "minutes": max(rules.new_member_window_seconds // 60, 1),
            }
        )


@dataclass
class _Hold:
    reason: str = HoldReason.NONE
    detail: str = ""


def _moderation_mode(
    *, author, space: SpacePage, watched: WatchedWord | None, chat: bool = False
) -> _Hold:
    """Step 5: does this post wait for a peer worker? In a live chat neither
    pre-moderation nor a new member's probation holds a message: moderators are in
    the chat as it happens. Nobody on duty still does."""
    if watched is not None:
        return _Hold(
            HoldReason.WATCHED_WORD,
            watched.explanation or _("A peer worker will read this before it appears."),
        )
    flags, seconds = settings.DISCUSSION_FLAGS_TO_HOLD_MEMBER
    recent_flags = PostFlag.objects.filter(
        post__user=author,
        post__thread_ref__space_id=space.pk,
        created_at__gte=timezone.now() - timedelta(seconds=seconds),
    ).count()
    if recent_flags >= flags:
        return _Hold(HoldReason.FLAGGED_MEMBER)
    if space.moderation_mode == ModerationMode.PRE and not chat:
        return _Hold(HoldReason.PRE_MODERATED)
    if not duty_state(space=space).covered:
        return _Hold(HoldReason.NO_ONE_ON_DUTY)
    probation = 0 if chat else discussion_settings(space=space).probation_posts
    if (
        probation
        and not ProbationRelease.objects.filter(space=space, member=author).exists()
    ):
        approved = Post.objects.filter(
            thread_ref__space_id=space.pk, user=author, status=PostStatus.PUBLISHED
        ).count()
        if approved < probation:
            return _Hold(HoldReason.PROBATION)
    return _Hold()


def _text_checked(text: str) -> str:
    text = text_clean(text)
    if not text:
        raise DiscussionError(_("Please write something before posting."))
    if len(text) > MAX_POST_LENGTH:
        raise DiscussionError(
            _("Please keep a post under %(max)d characters.") % {"max": MAX_POST_LENGTH}
        )
    return text


def _title_checked(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DiscussionError(_("Please give the conversation a title."))
    if len(title) > MAX_TITLE_LENGTH:
        raise DiscussionError(_("Please keep the title under 160 characters."))
    return title


def _record(*, thread, kind, post=None, actor=None, reason="") -> ModerationAction:
    return audit_record(
        ModerationAction,
        thread=thread,
        post=post,
        actor=actor,
        kind=kind,
        reason=reason,
    )


def _notify(*, member_id: int, space_id: int, subject: str, body: str) -> MemberNotice:
    from peer_support.spaces.tasks import send_notice_email_task

    notice = MemberNotice.objects.create(
        member_id=member_id, space_id=space_id, subject=subject, body=body
    )
    transaction.on_commit(lambda: send_notice_email_task.delay(notice.pk))
    return notice


# --- posting -----------------------------------------------------------------------


@transaction.atomic
def post_submit(
    *,
    author,
    text: str,
    space_id: int | None = None,
    title: str = "",
    thread_id: int | None = None,
    parent_id: int | None = None,
    post_id: int | None = None,
    hostile_override: bool = False,
    request=None,
    now: datetime | None = None,
) -> Post:
    """Write a post: a new conversation (`space_id` and `title`), a reply
    (`thread_id`, optionally `parent_id`) or an edit of one's own post (`post_id`).

    Checks run in this order and the first refusal wins; nothing is written unless
    all pass.
    """
    now = now or timezone.now()
    editing = None
    if post_id is not None:
        thread_id = (
            Post.objects.filter(pk=post_id)
            .values_list("thread_ref_id", flat=True)
            .first()
        )
        if thread_id is None:
            raise DiscussionError(_("This post no longer exists."))
        editing = True
    # A live chat's messages are never replies, so they need no thread lock to be
    # numbered; the chat's own lock is taken last, for as short a time as it can be.
    chat = chat_services().room_of(thread_id) if thread_id is not None else None
    if chat is not None:
        thread = chat.thread
    else:
        thread = _thread_locked(thread_id) if thread_id is not None else None
    if thread is not None:
        space = thread.space
    else:
        space = SpacePage.objects.filter(pk=space_id).first()
        if space is None:
            raise DiscussionError(_("This space no longer exists."))
        title = _title_checked(title)
    text = _text_checked(text)
    is_moderator = user_may(author, MODERATE, space)
    runs_chat = chat is not None and (
        is_moderator or chat_services().is_host(author, chat.session)
    )

    # 1. May post: membership, suspension, ground rules; then this thread and post.
    if not runs_chat:
        _require_post_rights(author, space)
    if chat is not None:
        if editing or parent_id:
            raise DiscussionError(_("Chat messages can't be edited or replied to."))
        chat_services().chat_post_check(
            room=chat, thread=thread, author=author, runs_chat=runs_chat, now=now
        )
    elif thread is not None and thread.locked and not is_moderator:
        raise NotAllowed(_("This conversation is closed to new posts."))
    parent = None
    if editing is not None:
        editing = _post_locked(post_id)
        if editing.user_id != author.pk:
            raise NotAllowed(_("You can only edit your own posts."))
        if not may_edit(editing, author, now=now):
            raise DiscussionError(
                _("Posts can be edited for %(minutes)d minutes after posting.")
                % {"minutes": settings.DISCUSSION_EDIT_MINUTES}
            )
    elif parent_id:
        parent = Post.objects.filter(pk=parent_id, thread_ref=thread).first()
        if parent is None or parent.status != PostStatus.PUBLISHED:
            raise DiscussionError(_("That post can't be replied to."))
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            parent = Post.objects.get(pk=parent.parent_id)

    # 2. Rate limit: new members' pace and the thread's slow mode (not for edits).
    if editing is None and not runs_chat and not is_moderator:
        _rate_limit(
            author=author, space=space, thread=thread, now=now, chat=chat is not None
        )

    # 3. Watched words: replace, then block or hold (a mention is not a handle).
    mentions = mentions_find(text)
    watched = watched_words_apply(text, mentions=mentions)
    if title:
        watched_title = watched_words_apply(title)
        title = watched_title.text
        watched.blocked = watched.blocked or watched_title.blocked
        watched.held = watched.held or watched_title.held
    if watched.blocked is not None:
        raise PostBlocked(
            watched.blocked.explanation
            or _("This post contains something that can't be posted here.")
        )
    text = watched.text
    # Not a refusal: a gentle question the member may answer "post it anyway".
    hostile = reads_as_hostile(text) or reads_as_hostile(title)
    if hostile and not hostile_override:
        raise RephrasePrompt(
            _(
                "This might read as harsh to someone having a hard time. Would you "
                "like to rephrase? You can also post it as it is."
            )
        )

    # 4. Safeguarding screening: medium or more holds the post from everyone but
    #    its author and moderators; any risk raises a concern once the post is saved.
    screening = screen(f"{title}\n{text}" if title else text)

    # 5. Moderation mode: pre-moderated space, nobody on duty, probation, holds.
    if screening.held:
        hold = _Hold(HoldReason.SAFEGUARDING)
    elif is_moderator or runs_chat:
        hold = _Hold()
    else:
        hold = _moderation_mode(
            author=author, space=space, watched=watched.held, chat=chat is not None
        )

    changed = editing is None or text != editing.comment
    if editing is not None:
        post = _post_edit(
            editing, text=text, mentions=mentions, hold=hold, request=request, now=now
        )
    else:
        if thread is None:
            thread = Thread.objects.create(space=space, title=title, author=author)
        post = _post_create(
            thread=thread,
            author=author,
            text=text,
            mentions=mentions,
            parent=parent,
            hold=hold,
            request=request,
            now=now,
            chat=chat is not None,
        )
        if chat is not None:
            chat_services().message_added(room=chat, post=post)
        else:
            follow_default(thread_id=thread.pk, member=author)
    if hostile:
        _record(
            thread=post.thread_ref,
            post=post,
            kind=Kind.HOSTILE_OVERRIDE,
            actor=author,
        )
    # In this transaction: the concern is committed before any of its tasks queue.
    if changed:
        screening_concern_raise(
            author=author,
            screening=screening,
            text=f"{title}\n{text}" if title else text,
            space=space,
            content_ref=post_ref(post),
        )
    return post


def chat_services():
    """The live chat's rules; imported late, as the chat app builds on this one."""
    from peer_support.chat import services

    return services


def _chat_tell(post: Post) -> None:
    """A message's standing changed: if it is in a live chat, tell the chat (which
    reads the post afresh, so a caller's copy may be stale)."""
    chat_services().post_changed(thread_id=post.thread_ref_id, post_id=post.pk)


def post_ref(post: Post) -> str:
    """How a concern refers to the post it is about."""
    return f"discussion.post:{post.pk}"


def _moderator_decides(post: Post, hold: _Hold, request) -> bool:
    """Hand the decision to the registered comments-xtd moderator; True: held."""
    setattr(post, SUBMISSION_ATTR, Submission(hold=bool(hold.reason)))
    responses = comment_will_be_posted.send(
        sender=TmpXtdComment, comment=post, request=request
    )
    if any(response is False for _receiver, response in responses):
        raise NotAllowed(_("This post can't be accepted."))
    return not post.is_public


def _post_create(
    *, thread, author, text, mentions, parent, hold, request, now, chat=False
) -> Post:
    post = Post(
        content_type=ContentType.objects.get_for_model(Thread),
        object_pk=str(thread.pk),
        site_id=settings.SITE_ID,
        user=author,
        user_name=author.pseudonym,
        user_email="",  # never store the email on a post
        comment=text,
        mentions=mentions,
        submit_date=now,
        is_public=True,
        thread_ref=thread,
        parent_id=parent.pk if parent else 0,
        is_opening=not chat
        and thread.opening_id is None
        and thread.topic_id is None
        and not parent,
    )
    held = _moderator_decides(post, hold, request)
    post.status = PostStatus.HELD if held else PostStatus.PUBLISHED
    if held:
        post.hold_reason, post.hold_detail = hold.reason, hold.detail[:300]
        post.needs_review, post.review_since = True, now
    post.save()
    if post.is_opening:
        Thread.objects.filter(pk=thread.pk).update(opening=post)
        thread.opening = post
    if held:
        _record(thread=thread, post=post, kind=Kind.HELD, reason=post.hold_reason)
    elif not chat:  # a chat is not listed, and nobody follows it
        Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
        notify_on_commit(post.pk)
    comment_was_posted.send(sender=Post, comment=post, request=request)
    return post


def _post_edit(post: Post, *, text, mentions, hold, request, now) -> Post:
    if text == post.comment:
        return post
    audit_record(PostRevision, post=post, text=post.comment)
    post.comment = text
    held = _moderator_decides(post, hold, request) or post.status == PostStatus.HELD
    fields = {
        "comment": text,
        "mentions": mentions,
        "edited_at": now,
        "is_public": not held,
    }
    if held:
        fields.update(
            status=PostStatus.HELD,
            hold_reason=hold.reason or post.hold_reason,
            hold_detail=hold.detail[:300] or post.hold_detail,
            needs_review=True,
            review_since=post.review_since or now,
        )
        if post.status != PostStatus.HELD:
            _record(
                thread=post.thread_ref, post=post, kind=Kind.HELD, reason=hold.reason
            )
    elif set(mentions) - set(post.mentions):
        notify_on_commit(post.pk, mentions_only=True)
    # A queryset update: saving the instance would make comments-xtd re-publish or
    # unpublish every reply under it.
    Post.objects.filter(pk=post.pk).update(**fields)
    post.refresh_from_db()
    return post


@transaction.atomic
def post_delete(*, post_id: int, member) -> Post:
    """The author takes their post down; a tombstone keeps its place."""
    thread_id = (
        Post.objects.filter(pk=post_id).values_list("thread_ref_id", flat=True).first()
    )
    if thread_id is not None:
        _thread_locked(thread_id)  # thread before post, as moderation does
    post = _post_locked(post_id)
    if post.user_id != member.pk:
        raise NotAllowed(_("You can only delete your own posts."))
    if post.status == PostStatus.DELETED:
        return post
    Post.objects.filter(pk=post.pk).update(
        status=PostStatus.DELETED,
        deleted_at=timezone.now(),
        is_removed=True,
        needs_review=False,
    )
    post.refresh_from_db()
    _chat_tell(post)
    return post


def _readable_post(post_id: int, member) -> Post:
    post = Post.objects.select_related("thread_ref__space").filter(pk=post_id).first()
    if post is None or post.status != PostStatus.PUBLISHED:
        raise DiscussionError(_("This post isn't available."))
    if not user_may(member, READ_DISCUSSION, post.thread_ref.space):
        raise NotAllowed(_("Only members of this space can do that."))
    return post


@transaction.atomic
def post_helped_set(*, post_id: int, member, helped: bool) -> bool:
    """Say (or take back) "this helped"; returns whether it now stands."""
    post = _readable_post(post_id, member)
    if post.user_id == member.pk:
        raise DiscussionError(_("You can't mark your own post as helpful."))
    if helped:
        Helped.objects.get_or_create(post=post, member=member)
    else:
        Helped.objects.filter(post=post, member=member).delete()
    return helped


@transaction.atomic
def post_flag(*, post_id: int, reporter, reason: str, note: str = "") -> PostFlag:
    """Report a post. When nobody is on duty, enough flags from different members
    hide it until a peer worker has looked."""
    post = _readable_post(post_id, reporter)
    if reason not in FlagReason.values:
        raise DiscussionError(_("Please choose a reason."))
    if post.user_id == reporter.pk:
        raise DiscussionError(_("You can't flag your own post."))
    if len(note or "") > 500:
        raise DiscussionError(_("Please keep the note under 500 characters."))
    post = _post_locked(post.pk)
    try:
        with transaction.atomic():
            flag = PostFlag.objects.create(
                post=post, reporter=reporter, reason=reason, note=(note or "").strip()
            )
    except IntegrityError as twice:
        raise DiscussionError(
            _("You've already flagged this post. A peer worker will look at it.")
        ) from twice
    if reason == FlagReason.WORRIED and post.user_id:
        # A concern about the author; the reporter is known to safeguarding staff
        # only, never to the member concerned.
        worried_flag_raise(
            member=post.user,
            flagged_by=reporter,
            content=post.comment,
            content_ref=post_ref(post),
            space=post.thread_ref.space,
        )
    fields = {"needs_review": True, "review_since": post.review_since or timezone.now()}
    open_flags = PostFlag.objects.filter(post=post, resolved_at__isnull=True).count()
    space = SpacePage.objects.get(pk=post.thread_ref.space_id)
    if (
        post.status == PostStatus.PUBLISHED
        and open_flags >= settings.DISCUSSION_FLAGS_TO_HIDE
        and not duty_state(space=space).covered
    ):
        fields.update(status=PostStatus.HIDDEN, hold_reason=HoldReason.FLAGS)
        _record(thread=post.thread_ref, post=post, kind=Kind.AUTO_HIDDEN)
    Post.objects.filter(pk=post.pk).update(**fields)
    return flag


# --- moderation --------------------------------------------------------------------


class Decision:
    APPROVE = "approve"
    APPROVE_END_PROBATION = "approve_probation"
    HIDE = "hide"
    REMOVE = "remove"
    WARN = "warn"
    ALL = (APPROVE, APPROVE_END_PROBATION, HIDE, REMOVE, WARN)


CLAIM_MINUTES = 30


def _claimed_by_other(post: Post, moderator, now) -> bool:
    return bool(
        post.claimed_by_id
        and post.claimed_by_id != moderator.pk
        and post.claimed_at
        and now - post.claimed_at < timedelta(minutes=CLAIM_MINUTES)
    )


def _moderated_post(post_id: int, moderator) -> tuple[Thread, Post]:
    post = Post.objects.filter(pk=post_id).values_list("thread_ref_id", flat=True)
    thread_id = post.first()
    if thread_id is None:
        raise DiscussionError(_("This post no longer exists."))
    thread = _thread_locked(thread_id)
    if not user_may(moderator, MODERATE, thread.space):
        raise NotAllowed(_("Only peer workers covering this space moderate it."))
    return thread, _post_locked(post_id)


@transaction.atomic
def post_claim(*, post_id: int, moderator) -> Post:
    """Say "I'm looking at this one", so two moderators don't act on one post."""
    thread, post = _moderated_post(post_id, moderator)
    now = timezone.now()
    if _claimed_by_other(post, moderator, now):
        raise DiscussionError(
            _("%(name)s is already looking at this post.")
            % {"name": post.claimed_by.pseudonym}
        )
    Post.objects.filter(pk=post.pk).update(claimed_by=moderator, claimed_at=now)
    _record(thread=thread, post=post, kind=Kind.CLAIMED, actor=moderator)
    post.refresh_from_db()
    return post


@transaction.atomic
def post_note_add(*, post_id: int, moderator, note: str) -> ModerationAction:
    """A private note for other moderators, kept in the post's history."""
    thread, post = _moderated_post(post_id, moderator)
    note = (note or "").strip()
    if not note or len(note) > MAX_REASON_LENGTH:
        raise DiscussionError(_("Write a note of up to 2000 characters."))
    return _record(
        thread=thread, post=post, kind=Kind.NOTE, actor=moderator, reason=note
    )


def _where(thread: Thread, post: Post) -> dict:
    """Where a post is, for a notice that may be emailed: the space and a link, never
    the thread's title, which a member wrote and may hold something private."""
    return {
        "space": thread.space.title,
        "link": absolute_url(reverse("discussion:post", args=[post.pk])),
    }


def _notice_text(
    decision: str, thread: Thread, post: Post, reason: str
) -> tuple[str, str]:
    where = _where(thread, post)
    if decision in (Decision.APPROVE, Decision.APPROVE_END_PROBATION):
        return (
            _("Your post is now showing"),
            _(
                'A peer worker has read your post in "%(space)s" and it now shows: '
                "%(link)s"
            )
            % where,
        )
    subjects = {
        Decision.HIDE: _("A peer worker hid your post"),
        Decision.REMOVE: _("A peer worker removed your post"),
        Decision.WARN: _("A note from a peer worker about your post"),
    }
    bodies = {
        Decision.HIDE: _('Your post in "%(space)s" is hidden from others: %(link)s'),
        Decision.REMOVE: _('Your post in "%(space)s" has been removed: %(link)s'),
        Decision.WARN: _('About your post in "%(space)s": %(link)s'),
    }
    return subjects[decision], bodies[decision] % where + "\n\n" + _(
        "Why: %(reason)s"
    ) % {"reason": reason}


@transaction.atomic
def post_moderate(
    *,
    post_id: int,
    moderator,
    decision: str,
    reason: str = "",
    notify_author: bool = True,
) -> Post:
    """Approve, hide, remove or warn, by someone who moderates the post's space.
    The author is told privately (a hide, removal or warning always)."""
    if decision not in Decision.ALL:
        raise DiscussionError(_("Choose what to do with this post."))
    approving = decision in (Decision.APPROVE, Decision.APPROVE_END_PROBATION)
    reason = _reason_clean(reason, required=not approving)
    thread, post = _moderated_post(post_id, moderator)
    if post.status == PostStatus.DELETED and decision != Decision.WARN:
        raise DiscussionError(_("Its author has deleted this post."))
    now = timezone.now()
    if _claimed_by_other(post, moderator, now):
        raise DiscussionError(
            _("%(name)s is already looking at this post.")
            % {"name": post.claimed_by.pseudonym}
        )
    fields = {"needs_review": False, "claimed_by": None, "claimed_at": None}
    if decision == Decision.APPROVE_END_PROBATION and post.user_id:
        ProbationRelease.objects.get_or_create(
            space_id=thread.space_id,
            member_id=post.user_id,
            defaults={"released_by": moderator},
        )
    if approving:
        fields.update(
            status=PostStatus.PUBLISHED,
            is_public=True,
            is_removed=False,
            hold_reason="",
        )
    elif decision == Decision.HIDE:
        fields.update(status=PostStatus.HIDDEN, moderator_reason=reason)
    elif decision == Decision.REMOVE:
        fields.update(
            status=PostStatus.REMOVED, moderator_reason=reason, is_removed=True
        )
    Post.objects.filter(pk=post.pk).update(**fields)
    PostFlag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)
    kind = {
        Decision.APPROVE: Kind.APPROVED,
        Decision.APPROVE_END_PROBATION: Kind.PROBATION_ENDED,
        Decision.HIDE: Kind.HIDDEN,
        Decision.REMOVE: Kind.REMOVED,
        Decision.WARN: Kind.WARNED,
    }[decision]
    _record(thread=thread, post=post, kind=kind, actor=moderator, reason=reason)
    if approving and post.status == PostStatus.HELD:
        Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
        notify_on_commit(post.pk)
    if decision != Decision.WARN:
        _chat_tell(post)
    quiet_approval = approving and (
        post.status == PostStatus.PUBLISHED or not notify_author
    )
    if post.user_id and not quiet_approval:
        subject, body = _notice_text(decision, thread, post, reason)
        _notify(
            member_id=post.user_id, space_id=thread.space_id, subject=subject, body=body
        )
    post.refresh_from_db()
    return post


@transaction.atomic
def post_detail_edit_out(*, post_id: int, moderator, detail: str, note: str) -> Post:
    """Take a detail (a phone number, a name) out of a post, leaving the rest. The
    earlier text is kept as a revision for moderators, the action is recorded, and the
    author is told privately with the moderator's note."""
    detail = (detail or "").strip()
    if not detail:
        raise DiscussionError(_("Paste the exact text to take out."))
    note = _reason_clean(note, required=True)
    thread, post = _moderated_post(post_id, moderator)
    if post.status == PostStatus.DELETED:
        raise DiscussionError(_("Its author has deleted this post."))
    if detail not in post.comment:
        raise DiscussionError(
            _("That text is not in the post; copy it exactly as it appears.")
        )
    # The same writer as a member's edit: the earlier text kept as a revision, the
    # mentions read again, the post's held or published state kept.
    text = post.comment.replace(detail, _("[removed by a moderator]"))
    post = _post_edit(
        post,
        text=text,
        mentions=mentions_find(text),
        hold=_Hold(),
        request=None,
        now=timezone.now(),
    )
    _record(
        thread=thread, post=post, kind=Kind.EDITED_OUT, actor=moderator, reason=note
    )
    _chat_tell(post)
    if post.user_id:
        _notify(
            member_id=post.user_id,
            space_id=thread.space_id,
            subject=_("A peer worker edited your post"),
            body=_(
                'A peer worker took a detail out of your post in "%(space)s"; '
                "the rest still shows: %(link)s"
            )
            % _where(thread, post)
            + "\n\n"
            + _("Why: %(reason)s") % {"reason": note},
        )
    post.refresh_from_db()
    return post


@transaction.atomic
def post_label_set(*, post_id: int, moderator, label: str) -> Post:
    """Mark a post as a welcome, summary or resource (or clear the mark)."""
    if label not in Label.values:
        raise DiscussionError(_("Choose welcome, summary, resource or no label."))
    thread, post = _moderated_post(post_id, moderator)
    if label != post.label:
        Post.objects.filter(pk=post.pk).update(label=label)
        _record(
            thread=thread, post=post, kind=Kind.LABELLED, actor=moderator, reason=label
        )
    post.refresh_from_db()
    return post


@transaction.atomic
def thread_settings_set(
    *,
    thread_id: int,
    moderator,
    locked: bool,
    slow_mode_seconds: int,
    pinned: bool | None = None,
    label: str | None = None,
    reason: str = "",
) -> Thread:
    """Lock or unlock a conversation, set its slow mode, pin it (welcomes,
    summaries, resources stay at the top)."""
    thread = _thread_locked(thread_id)
    if not user_may(moderator, MODERATE, thread.space):
        raise NotAllowed(_("Only peer workers covering this space moderate it."))
    if slow_mode_seconds < 0 or slow_mode_seconds > 24 * 60 * 60:
        raise DiscussionError(_("Slow mode is between 0 seconds and a day."))
    if locked != thread.locked:
        _record(
            thread=thread,
            kind=Kind.LOCKED if locked else Kind.UNLOCKED,
            actor=moderator,
            reason=reason,
        )
    if slow_mode_seconds != thread.slow_mode_seconds:
        _record(
            thread=thread,
            kind=Kind.SLOW_MODE,
            actor=moderator,
            reason=f"{slow_mode_seconds}s {reason}".strip(),
        )
    pinned = thread.pinned if pinned is None else pinned
    if pinned != thread.pinned:
        _record(
            thread=thread,
            kind=Kind.PINNED if pinned else Kind.UNPINNED,
            actor=moderator,
            reason=reason,
        )
    label = thread.label if label is None else label
    if label not in Label.values:
        raise DiscussionError(_("Choose welcome, summary, resource or no label."))
    if label != thread.label:
        _record(thread=thread, kind=Kind.LABELLED, actor=moderator, reason=label)
    Thread.objects.filter(pk=thread.pk).update(
        locked=locked, slow_mode_seconds=slow_mode_seconds, pinned=pinned, label=label
    )
    thread.refresh_from_db()
    return thread


def course_threads_sync(*, course) -> int:
    """Open a thread for each of a course's topics that has none; safe to repeat."""
    created = 0
    for topic in course.topics.all():
        _thread, made = Thread.objects.get_or_create(
            topic=topic,
            defaults={
                "space_id": course.pk,
                "title": topic.title,
                "week": topic.week,
                "last_post_at": None,
            },
        )
        created += made
    return created


WATCHED_CSV_COLUMNS = ("text", "match", "action", "replacement", "explanation")


@transaction.atomic
def watched_words_import(*, rows: list[dict], actor) -> int:
    """Add or update watched words from CSV rows (text, match, action, replacement,
    explanation). All or nothing: one bad row and nothing changes."""
    from django.core.exceptions import ValidationError

    from peer_support.accounts.roles import PEER_WORKER, has_role

    if not (actor.is_superuser or has_role(actor, PEER_WORKER)):
        raise NotAllowed(_("Only peer workers edit watched words."))
    saved = 0
    for number, row in enumerate(rows, start=1):
        values = {key: (row.get(key) or "").strip() for key in WATCHED_CSV_COLUMNS}
        values["match"] = values["match"] or WatchedWord.Match.WORD
        word = WatchedWord.objects.filter(
            text=values["text"], match=values["match"]
        ).first() or WatchedWord(text=values["text"], match=values["match"])
        for key, value in values.items():
            setattr(word, key, value)
        try:
            word.full_clean(validate_unique=False)
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise DiscussionError(
                _("Row %(row)d: %(problems)s") % {"row": number, "problems": problems}
            ) from error
        word.save()
        saved += 1
    return saved


def unanswered_notify(*, now: datetime | None = None) -> int:
    """Tell the peer workers on duty for a space (or on moderation duty) about each
    post there nobody has answered, once per post. The message holds a link only:
    no post text, no pseudonym."""
    from peer_support.rotas.models import Duty
    from peer_support.rotas.selectors import on_duty

    from .selectors import unanswered_posts

    now = now or timezone.now()
    told = 0
    for post in unanswered_posts(now=now):
        if post.unanswered_told_at is not None:
            continue
        space = post.thread_ref.space
        workers = set(on_duty(space=space, at=now)) or set(
            on_duty(duty=Duty.MODERATION, at=now)
        )
        if not workers:
            continue  # nobody to tell yet; the next run tries again
        with transaction.atomic():
            claimed = Post.objects.filter(
                pk=post.pk, unanswered_told_at__isnull=True
            ).update(unanswered_told_at=now)
            if not claimed:
                continue
            link = absolute_url(reverse("discussion:post", args=[post.pk]))
            for worker in workers:
                _notify(
                    member_id=worker.pk,
                    space_id=space.pk,
                    subject=_("A post is waiting for a reply"),
                    body=_(
                        "A post in %(space)s has had no reply yet. Please have a "
                        "look: %(link)s"
                    )
                    % {"space": space.title, "link": link},
                )
        told += 1
    return told
