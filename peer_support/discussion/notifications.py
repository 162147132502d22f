"""Emails about posts: new posts in a conversation someone follows, replies to their
post, and `@pseudonym` mentions.

Each member chooses per conversation (`ThreadFollow.level`): every new post, only
replies and mentions, or nothing. Starting or posting in a conversation sets "replies
and mentions" unless they already chose; without a choice nobody is emailed. A
member is told about a published post once, whatever the number of reasons, and
only if they may read the conversation, are not its author, have not muted the
author and are not on a break from the space. A `PostNotification` row per (post,
member) is written in the same transaction as each email, so a retried task skips
whoever was already told and an edit that adds a mention tells only the new name.
Emails hold a link only: no post text, no pseudonym.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _

from peer_site.addresses import absolute_url
from peer_support.accounts.models import User
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.permissions import READ_DISCUSSION, user_may

from .member_controls import members_on_break_q
from .models import (
    FollowLevel,
    MutedMember,
    Post,
    PostNotification,
    PostStatus,
    Thread,
    ThreadFollow,
)
from .text import mention_candidates

Why = PostNotification.Why


def _users_named(pseudonyms):
    """Users whose pseudonym, in lower case (`lowered`), is one of these."""
    return User.objects.annotate(lowered=Lower("pseudonym")).filter(
        lowered__in=pseudonyms
    )


def mentions_find(text: str) -> list[str]:
    """The pseudonyms (lower case) a text mentions with @: for each @, the longest
    following name that is a member's pseudonym. One query."""
    candidates = mention_candidates(text)
    if not candidates:
        return []
    known = set(
        _users_named({name for names in candidates for name in names}).values_list(
            "lowered", flat=True
        )
    )
    found = []
    for names in candidates:
        name = next((name for name in names if name in known), None)
        if name and name not in found:
            found.append(name)
    return found


def follow_default(*, thread_id: int, member) -> None:
    """Someone who starts or posts in a conversation hears of replies and mentions,
    unless they already chose for it."""
    ThreadFollow.objects.get_or_create(
        thread_id=thread_id, member=member, defaults={"level": FollowLevel.MENTIONS}
    )


@transaction.atomic
def thread_follow_set(*, thread_id: int, member, level: str) -> str:
    """A member's email choice for one conversation."""
    if level not in FollowLevel.values:
        raise ServiceError(_("Choose which emails you'd like about this conversation."))
    thread = Thread.objects.select_related("space").filter(pk=thread_id).first()
    if thread is None:
        raise ServiceError(_("This conversation no longer exists."))
    if not user_may(member, READ_DISCUSSION, thread.space):
        raise NotAllowed(_("Only members of this space can follow its conversations."))
    ThreadFollow.objects.update_or_create(
        thread=thread, member=member, defaults={"level": level}
    )
    return level


def follow_level(*, thread_id: int, member) -> str:
    """The member's choice for a conversation; "none" when they never chose."""
    if not member.is_authenticated:
        return FollowLevel.NONE
    found = ThreadFollow.objects.filter(thread_id=thread_id, member=member)
    return found.values_list("level", flat=True).first() or FollowLevel.NONE


def notify_on_commit(post_id: int, *, mentions_only: bool = False) -> None:
    from .tasks import post_notify_task

    transaction.on_commit(
        lambda: post_notify_task.delay(post_id, mentions_only=mentions_only)
    )


def _replied_to(post: Post) -> int | None:
    """Whose post this one answers: the parent's author, or for a top-level reply
    the author of the conversation's opening post."""
    if post.is_opening:
        return None
    parent_id = post.parent_id if post.level else post.thread_ref.opening_id
    if not parent_id or parent_id == post.pk:
        return None
    return Post.objects.filter(pk=parent_id).values_list("user_id", flat=True).first()


def _reasons(post: Post, *, mentions_only: bool) -> dict[int, str]:
    """Who might be told and why (a mention outranks a reply, a reply a follow)."""
    levels = dict(
        ThreadFollow.objects.filter(thread_id=post.thread_ref_id).values_list(
            "member_id", "level"
        )
    )
    hears_replies = (FollowLevel.ALL, FollowLevel.MENTIONS)
    reasons = {}
    if not mentions_only:
        for member_id, level in levels.items():
            if level == FollowLevel.ALL:
                reasons[member_id] = Why.FOLLOW
        replied_to = _replied_to(post)
        if replied_to and levels.get(replied_to) in hears_replies:
            reasons[replied_to] = Why.REPLY
    if post.mentions:
        for member_id in _users_named(post.mentions).values_list("pk", flat=True):
            if levels.get(member_id) in hears_replies:
                reasons[member_id] = Why.MENTION
    reasons.pop(post.user_id, None)
    return reasons


def post_notify(*, post_id: int, mentions_only: bool = False) -> int:
    """Email everyone who should hear of a published post; returns how many were
    emailed now. Safe to run again: whoever was told is skipped. Each email is sent
    inside the transaction that records it, so a mail-server failure leaves that
    member untold for the retry."""
    post = Post.objects.select_related("thread_ref__space").filter(pk=post_id).first()
    if post is None or post.status != PostStatus.PUBLISHED:
        return 0
    reasons = _reasons(post, mentions_only=mentions_only)
    if not reasons:
        return 0
    thread = post.thread_ref
    members = (
        User.objects.filter(pk__in=reasons, is_active=True)
        .exclude(members_on_break_q(space_id=thread.space_id))
        .exclude(
            pk__in=MutedMember.objects.filter(muted_id=post.user_id).values("member_id")
        )
        .exclude(pk__in=PostNotification.objects.filter(post=post).values("member_id"))
        .order_by("pk")
    )
    link = absolute_url(reverse("discussion:post", args=[post.pk]))
    sent = 0
    for member in members:
        if not user_may(member, READ_DISCUSSION, thread.space):
            continue
        why = reasons[member.pk]
        with transaction.atomic():
            _row, created = PostNotification.objects.get_or_create(
                post=post, member=member, defaults={"why": why}
            )
            if not created:
                continue
            subject, body = _email(why, space=thread.space.title, link=link)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
        sent += 1
    return sent


def _email(why: str, *, space: str, link: str) -> tuple[str, str]:
    where = {"space": space}
    subject, opening = {
        Why.MENTION: (
            _("Someone mentioned you in a conversation"),
            _("Someone mentioned you in a conversation in %(space)s."),
        ),
        Why.REPLY: (
            _("Someone replied to your post"),
            _("Someone replied to your post in %(space)s."),
        ),
        Why.FOLLOW: (
            _("A new post in a conversation you follow"),
            _("There is a new post in a conversation you follow in %(space)s."),
        ),
    }[why]
    return subject, (
        opening % where
        + "\n\n"
        + _("Read it here: %(link)s") % {"link": link}
        + "\n\n"
        + _("To change which emails you get, choose on that conversation's page.")
    )
