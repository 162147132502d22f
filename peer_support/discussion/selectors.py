"""Reads for the discussion. Every list of threads or posts goes through here, so the
rule for who sees a held or hidden post exists once."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER
from peer_support.spaces.models import (
    Membership,
    SpaceFacilitator,
    SpacePage,
    SpaceRole,
)

from . import member_controls
from .models import (
    Helped,
    Post,
    PostFlag,
    PostStatus,
    SpaceDiscussion,
    Thread,
)

# Statuses that keep their place in a thread for every reader: a tombstone stands in
# for hidden, removed and deleted posts so replies keep their context.
PLACE_KEEPING = (
    PostStatus.PUBLISHED,
    PostStatus.HIDDEN,
    PostStatus.REMOVED,
    PostStatus.DELETED,
)


def discussion_settings(*, space: SpacePage) -> SpaceDiscussion:
    found = SpaceDiscussion.objects.filter(space_id=space.pk).first()
    return found or SpaceDiscussion(space_id=space.pk)


@dataclass(frozen=True)
class DutyState:
    """Is a peer worker around for this space now; if not, when next."""

    covered: bool
    next_at: datetime | None = None


def duty_state(*, space: SpacePage, at: datetime | None = None) -> DutyState:
    from peer_support.rotas.models import Duty
    from peer_support.rotas.selectors import next_cover, on_duty

    at = at or timezone.now()
    if (
        on_duty(space=space, at=at).exists()
        or on_duty(duty=Duty.MODERATION, at=at).exists()
    ):
        return DutyState(covered=True, next_at=at)
    return DutyState(covered=False, next_at=next_cover(space=space, at=at))


def posts_visible_q(user) -> Q:
    visible = Q(status__in=PLACE_KEEPING)
    if user is not None and user.is_authenticated:
        visible |= Q(status=PostStatus.HELD, user_id=user.pk)
    return visible


# A live session's chat is a thread too, read only through the chat.
NOT_CHAT = Q(chat_room__isnull=True)


def threads_visible_q(user) -> Q:
    visible = Q(opening__isnull=True) | Q(
        opening__status__in=(PostStatus.PUBLISHED, PostStatus.DELETED)
    )
    if user is not None and user.is_authenticated:
        visible |= Q(author_id=user.pk)
    return visible & NOT_CHAT


def space_threads(*, space: SpacePage, user) -> QuerySet[Thread]:
    """Threads of a space a reader sees, pinned first, course topics by week, then
    the most recently active; with the count of published replies."""
    return (
        Thread.objects.filter(space_id=space.pk)
        .filter(threads_visible_q(user))
        .select_related("opening", "opening__user", "author")
        .annotate(
            replies=Count(
                "posts",
                filter=Q(posts__status=PostStatus.PUBLISHED, posts__is_opening=False),
            )
        )
        .order_by(
            "-pinned",
            F("week").asc(nulls_first=True),
            F("last_post_at").desc(nulls_last=True),
            "-pk",
        )
    )


@dataclass
class PostNode:
    post: Post
    children: list["PostNode"] = field(default_factory=list)
    badges: tuple[str, ...] = ()
    helped_by_me: bool = False
    flagged_by_me: bool = False
    editable: bool = False
    mine: bool = False
    collapsed: str = ""  # COLLAPSED_WORDS or COLLAPSED_MEMBER: the reader muted it
    mutable: bool = False

    @property
    def muted_member(self) -> bool:
        return self.collapsed == COLLAPSED_MEMBER


COLLAPSED_WORDS = "words"
COLLAPSED_MEMBER = "member"


def _collapsed(post: Post, badges, words, muted_ids) -> str:
    """Why this post folds away for this reader, if it does. Posts by peer workers,
    facilitators and professionals never fold."""
    if badges or not post.is_published:
        return ""
    if post.user_id in muted_ids:
        return COLLAPSED_MEMBER
    if words is not None and words.search(post.comment):
        return COLLAPSED_WORDS
    return ""


def _posts(thread: Thread) -> QuerySet[Post]:
    return (
        Post.objects.filter(thread_ref_id=thread.pk)
        .select_related("user")
        .annotate(helped_count=Count("helped"))
    )


def badges_for(*, space: SpacePage, user_ids) -> dict[int, tuple[str, ...]]:
    """Badges a member carries in a space: peer worker, facilitator, professional.
    Three queries, whatever the number of authors."""
    user_ids = set(user_ids)
    if not user_ids:
        return {}
    facilitators = set(
        SpaceFacilitator.objects.filter(
            page_id=space.pk, worker_id__in=user_ids
        ).values_list("worker_id", flat=True)
    )
    professionals = set(
        Membership.objects.filter(
            space_id=space.pk, member_id__in=user_ids, role=SpaceRole.PROFESSIONAL
        ).values_list("member_id", flat=True)
    )
    workers = set(
        User.objects.filter(pk__in=user_ids, groups__name=PEER_WORKER).values_list(
            "pk", flat=True
        )
    )
    badges = {}
    for user_id in user_ids:
        found = []
        if user_id in facilitators:
            found.append("facilitator")
        elif user_id in workers:
            found.append("peer_worker")
        if user_id in professionals:
            found.append("professional")
        badges[user_id] = tuple(found)
    return badges


def may_edit(post: Post, user, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        user.is_authenticated
        and post.user_id == user.pk
        and post.status in (PostStatus.PUBLISHED, PostStatus.HELD)
        and (now - post.submit_date).total_seconds()
        < settings.DISCUSSION_EDIT_MINUTES * 60
    )


@dataclass
class ThreadView:
    thread: Thread
    opening: PostNode | None
    page: object  # a Paginator page of top-level post ids
    nodes: list[PostNode]


def thread_view(*, thread: Thread, user, page_number=1) -> ThreadView:
    """One page of a thread: the opening post, up to a page of top-level replies and
    every reply under them, in a fixed number of queries whatever the length."""
    visible = posts_visible_q(user)
    top_ids = (
        Post.objects.filter(thread_ref_id=thread.pk, level=0, is_opening=False)
        .filter(visible)
        .order_by("submit_date", "pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(top_ids, settings.DISCUSSION_PAGE_SIZE).get_page(page_number)
    ids = list(page.object_list)
    if thread.opening_id and page.number == 1:
        ids.append(thread.opening_id)
    posts = list(
        _posts(thread)
        .filter(visible)
        .filter(Q(pk__in=ids) | Q(thread_id__in=ids, level__gt=0))
        .order_by("thread_id", "order")
    )
    post_ids = [post.pk for post in posts]
    badges = badges_for(space=thread.space, user_ids={p.user_id for p in posts})
    helped, flagged = set(), set()
    if user.is_authenticated and post_ids:
        helped = set(
            Helped.objects.filter(member=user, post_id__in=post_ids).values_list(
                "post_id", flat=True
            )
        )
        flagged = set(
            PostFlag.objects.filter(reporter=user, post_id__in=post_ids).values_list(
                "post_id", flat=True
            )
        )
    words = member_controls.muted_words_regex(member_controls.muted_words(member=user))
    muted_ids = member_controls.muted_member_ids(member=user)
    now = timezone.now()
    by_id, opening, tops = {}, None, []
    for post in posts:
        post_badges = badges.get(post.user_id, ())
        mine = user.is_authenticated and post.user_id == user.pk
        node = PostNode(
            post=post,
            badges=post_badges,
            helped_by_me=post.pk in helped,
            flagged_by_me=post.pk in flagged,
            editable=may_edit(post, user, now=now),
            mine=mine,
            collapsed="" if mine else _collapsed(post, post_badges, words, muted_ids),
            mutable=bool(post.user_id and not mine and not post_badges),
        )
        by_id[post.pk] = node
        if post.is_opening:
            opening = node
        elif post.level == 0:
            tops.append(node)
        elif post.parent_id in by_id:
            by_id[post.parent_id].children.append(node)
    tops.sort(key=lambda node: (node.post.submit_date, node.post.pk))
    return ThreadView(thread=thread, opening=opening, page=page, nodes=tops)


def published_posts_count(*, space: SpacePage, member) -> int:
    """Posts by a member showing in a space's discussion (for course certificates);
    live-chat messages count as being at the session, not as posts."""
    return Post.objects.filter(
        thread_ref__space_id=space.pk,
        thread_ref__chat_room__isnull=True,
        user=member,
        status=PostStatus.PUBLISHED,
    ).count()


def spaces_moderated_by(*, user) -> QuerySet[SpacePage]:
    """Spaces whose queue this person works: those they facilitate, and those they
    cover on the rota now (moderation duty covers every space). The policy's rule."""
    from peer_support.spaces.permissions import MODERATE, spaces_where

    return spaces_where(user, MODERATE)


def review_queue(*, user) -> QuerySet[Post]:
    """Held and flagged posts in the spaces this person moderates, oldest first."""
    return (
        Post.objects.filter(
            needs_review=True,
            thread_ref__space__in=spaces_moderated_by(user=user).values("pk"),
        )
        .select_related("user", "thread_ref", "thread_ref__space")
        .annotate(
            open_flags=Count(
                "post_flags", filter=Q(post_flags__resolved_at__isnull=True)
            )
        )
        .order_by("review_since", "pk")
    )


def unanswered_posts(*, spaces=None, now: datetime | None = None) -> list[Post]:
    """Published posts nobody else has answered (no later published post in the
    thread by someone else) after their space's number of hours; oldest first."""
    now = now or timezone.now()
    answered = Post.objects.filter(
        thread_ref_id=OuterRef("thread_ref_id"),
        status=PostStatus.PUBLISHED,
        submit_date__gt=OuterRef("submit_date"),
    ).exclude(user_id=OuterRef("user_id"))
    default = settings.DISCUSSION_UNANSWERED_HOURS
    waits = dict(SpaceDiscussion.objects.values_list("space_id", "unanswered_hours"))
    shortest = min([default, *waits.values()])
    posts = (
        Post.objects.filter(
            status=PostStatus.PUBLISHED,
            submit_date__lte=now - timedelta(hours=shortest),
            thread_ref__chat_room__isnull=True,
        )
        .annotate(answered=Exists(answered))
        .filter(answered=False)
        .select_related("thread_ref", "thread_ref__space")
        .order_by("submit_date", "pk")
    )
    if spaces is not None:
        posts = posts.filter(thread_ref__space__in=spaces)
    return [
        post
        for post in posts
        if post.submit_date
        <= now - timedelta(hours=waits.get(post.thread_ref.space_id, default))
    ]
