"""Reads for the discussion. Every list of threads or posts goes through here, so the
rule for who sees a held or hidden post exists once."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import mark_safe

from peer_site.page_cache import generation
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
    MutedMember,
    Post,
    PostFlag,
    PostStatus,
    SpaceDiscussion,
    Thread,
)
from .text import text_to_html
from .versions import PageVersions, current_versions

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


# How long a page may show who is around after a shift started or ended.
DUTY_SECONDS = 30
# Dead versions' rows are never read again; this frees their room.
THREAD_ROW_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class DutyState:
    """Is a peer worker around for this space now; if not, when next."""

    covered: bool
    next_at: datetime | None = None


def duty_state(*, space: SpacePage, at: datetime | None = None) -> DutyState:
    from peer_support.rotas.selectors import next_cover, reading_discussion

    at = at or timezone.now()
    if reading_discussion(space=space, at=at).exists():
        return DutyState(covered=True, next_at=at)
    return DutyState(covered=False, next_at=next_cover(space=space, at=at))


def duty_state_shown(
    *, space: SpacePage, versions: PageVersions | None = None
) -> DutyState:
    """`duty_state` now, as a page shows it: kept under the public pages' cache
    generation, which any shift or assignment change bumps (`peer_site.page_cache`),
    for DUTY_SECONDS at most, since shifts start and end by the clock alone. What
    a post goes through asks `duty_state`. `versions`: as read when the page's
    request started, if it did."""
    content = generation() if versions is None else versions.generation
    key = f"discussion-duty:{content}:{space.pk}"
    state = cache.get(key)
    if state is None:
        state = duty_state(space=space)
        cache.set(key, state, timeout=DUTY_SECONDS)
    return state


def posts_visible_q(user) -> Q:
    visible = Q(status__in=PLACE_KEEPING)
    if user is not None and user.is_authenticated:
        visible |= Q(status=PostStatus.HELD, user_id=user.pk)
    return visible


# A live session's chat is a thread too, read only through the chat.
NOT_CHAT = Q(chat_room__isnull=True)


def threads_visible_q(user) -> Q:
    """The threads `user` sees; with no user, those every reader sees, which each
    reader's threads include (`thread_shown_to_all`)."""
    visible = Q(opening__isnull=True) | Q(
        opening__status__in=(PostStatus.PUBLISHED, PostStatus.DELETED)
    )
    if user is not None and user.is_authenticated:
        visible |= Q(author_id=user.pk)
    return visible & NOT_CHAT


def thread_shown_to_all(
    thread_id: int, *, versions: PageVersions | None = None
) -> Thread | None:
    """The thread with its space and topic, if every reader sees it in a live
    space; else None, and the caller asks the database for its reader.

    Kept in the cache under the thread's version, which every write to the thread
    or one of its posts bumps (`models.ThreadQuerySet`, `Thread.save`,
    `models.PostQuerySet`), and the content generation, which every change to a
    page or a course topic bumps (`peer_site.page_cache`). For what a page shows
    only: a form sent is decided from the database. `versions`: as read when the
    page's request started, if it did."""
    if versions is None:
        found = current_versions(thread_id)
        if found is None:
            return _thread_shown_to_all(thread_id)
        content, thread_version = generation(), found[0]
    else:
        content, thread_version = versions.generation, versions.thread
    key = f"discussion-thread:{content}:{thread_version}:{thread_id}"
    stored = cache.get(key)
    if stored is None:
        stored = (_thread_shown_to_all(thread_id),)
        cache.set(key, stored, timeout=THREAD_ROW_SECONDS)
    return stored[0]


def _thread_shown_to_all(thread_id: int) -> Thread | None:
    return (
        Thread.objects.select_related("space", "topic")
        .filter(threads_visible_q(None), pk=thread_id, space__live=True)
        .first()
    )


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


def threads_folded(threads, *, user) -> list[Thread]:
    """The threads, each marked `folded` when its title holds a word this reader
    muted (never their own conversations): the list folds it as posts fold."""
    threads = list(threads)
    words = member_controls.muted_words_regex(member_controls.muted_words(member=user))
    for thread in threads:
        thread.folded = bool(
            words is not None
            and thread.author_id != user.pk
            and words.search(thread.title)
        )
    return threads


@dataclass
class PostNode:
    """A post as one reader sees it: every fact the template needs, decided here."""

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

    @property
    def shows_text(self) -> bool:
        return self.post.is_published or (self.post.is_held and self.mine)

    @property
    def body(self) -> str:
        """The text as HTML, only for a reader who may see it. Safe: `text_to_html`
        escapes every character the member typed and nh3 keeps only p, br, a,
        blockquote and mark."""
        if not self.shows_text:
            return ""
        return mark_safe(text_to_html(self.post.comment, self.post.mentions or ()))


COLLAPSED_WORDS = "words"
COLLAPSED_MEMBER = "member"


def _collapsed(post: Post, badges, words, muted) -> str:
    """Why this post folds away for this reader, if it does. Posts by peer workers,
    facilitators and professionals never fold."""
    if badges or not post.is_published:
        return ""
    if muted:
        return COLLAPSED_MEMBER
    if words is not None and words.search(post.comment):
        return COLLAPSED_WORDS
    return ""


def _badge_facts(*, space_id: int, author) -> dict:
    """Annotations saying whether `author` (an OuterRef to a user id) is a facilitator
    of the space, a peer worker, or there as a professional."""
    return {
        "by_facilitator": Exists(
            SpaceFacilitator.objects.filter(page_id=space_id, worker=author)
        ),
        "by_peer_worker": Exists(
            User.groups.through.objects.filter(user_id=author, group__name=PEER_WORKER)
        ),
        "by_professional": Exists(
            Membership.objects.filter(
                space_id=space_id, member_id=author, role=SpaceRole.PROFESSIONAL
            )
        ),
    }


def _badges_of(annotated) -> tuple[str, ...]:
    """The badges of a post's author or a user annotated with `_badge_facts`."""
    found = []
    if annotated.by_facilitator:
        found.append("facilitator")
    elif annotated.by_peer_worker:
        found.append("peer_worker")
    if annotated.by_professional:
        found.append("professional")
    return tuple(found)


def badges_for(*, space: SpacePage, user_ids) -> dict[int, tuple[str, ...]]:
    """{user id: badges} in a space: peer worker, facilitator, professional. One
    query, whatever the number of people."""
    user_ids = set(user_ids)
    if not user_ids:
        return {}
    users = User.objects.filter(pk__in=user_ids).annotate(
        **_badge_facts(space_id=space.pk, author=OuterRef("pk"))
    )
    return {user.pk: _badges_of(user) for user in users}


def _posts(thread: Thread, user) -> QuerySet[Post]:
    """A thread's posts with the reader's facts about each, in one query: badges of
    the author in this space, "this helped" count, and whether this reader said it
    helped, flagged it or muted its author."""
    author = OuterRef("user_id")
    posts = (
        Post.objects.filter(thread_ref_id=thread.pk)
        .select_related("user")
        .annotate(
            # A subquery, not Count(): no GROUP BY over every column of the posts.
            helped_count=Coalesce(
                Subquery(
                    Helped.objects.filter(post=OuterRef("pk"))
                    .values("post")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            **_badge_facts(space_id=thread.space_id, author=author),
        )
    )
    if not user.is_authenticated:
        return posts.annotate(
            helped_by_me=Value(False), flagged_by_me=Value(False), muted=Value(False)
        )
    return posts.annotate(
        helped_by_me=Exists(Helped.objects.filter(post=OuterRef("pk"), member=user)),
        flagged_by_me=Exists(
            PostFlag.objects.filter(post=OuterRef("pk"), reporter=user)
        ),
        muted=Exists(MutedMember.objects.filter(member=user, muted=author)),
    )


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
    nodes: list[PostNode]  # top-level replies, each with its replies below

    @property
    def rows(self) -> list[PostNode]:
        """Every reply on the page in reading order, for one flat template loop."""
        return _flat(self.nodes)

    @property
    def opening_rows(self) -> list[PostNode]:
        """The opening post and the replies under it."""
        return _flat([self.opening]) if self.opening else []


def _flat(nodes: list[PostNode]) -> list[PostNode]:
    out = []

    def walk(node):
        out.append(node)
        for child in node.children:
            walk(child)

    for node in nodes:
        walk(node)
    return out


def post_node(
    post: Post,
    user,
    *,
    badges: tuple[str, ...],
    helped_by_me: bool,
    flagged_by_me: bool,
    muted: bool,
    words,
    now: datetime,
) -> PostNode:
    """A post as this reader sees it, from the facts about it and the reader (did
    they say it helped, flag it, mute its author; `words`: their muted words)."""
    mine = user.is_authenticated and post.user_id == user.pk
    return PostNode(
        post=post,
        badges=badges,
        helped_by_me=helped_by_me,
        flagged_by_me=flagged_by_me,
        editable=may_edit(post, user, now=now),
        mine=mine,
        collapsed="" if mine else _collapsed(post, badges, words, muted),
        mutable=bool(post.user_id and not mine and not badges),
    )


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
        _posts(thread, user)
        .filter(visible)
        .filter(Q(pk__in=ids) | Q(thread_id__in=ids, level__gt=0))
        .order_by("thread_id", "order")
    )
    words = member_controls.muted_words_regex(member_controls.muted_words(member=user))
    now = timezone.now()
    by_id, opening, tops = {}, None, []
    for post in posts:
        node = post_node(
            post,
            user,
            badges=_badges_of(post),
            helped_by_me=post.helped_by_me,
            flagged_by_me=post.flagged_by_me,
            muted=post.muted,
            words=words,
            now=now,
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


def post_page_number(*, post: Post, user) -> int:
    """The page of its thread a post is on, for this reader (top-level posts are
    paged oldest first; a reply sits on its top-level post's page)."""
    top = post
    if post.level:
        top = Post.objects.filter(pk=post.thread_id).first() or post
    if top.is_opening:
        return 1
    before = (
        Post.objects.filter(thread_ref_id=post.thread_ref_id, level=0, is_opening=False)
        .filter(posts_visible_q(user))
        .filter(
            Q(submit_date__lt=top.submit_date)
            | Q(submit_date=top.submit_date, pk__lt=top.pk)
        )
        .count()
    )
    return before // settings.DISCUSSION_PAGE_SIZE + 1


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
