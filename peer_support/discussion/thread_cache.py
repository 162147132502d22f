"""The part of a thread page every reader sees alike, rendered once and kept in the
cache.

A page of posts is stored as a reader with no marks of their own sees it: nothing
of theirs, nothing they said helped or flagged, nothing muted, no held post. It is
stored under two version numbers: the thread's, bumped by every write to one of its
posts (a queryset `update()` included, see `models.PostQuerySet`) and by every "this
helped"; and the people version, bumped by what shows beside an author's name
anywhere (a pseudonym, an erased account, the badges: facilitators, peer workers,
professionals). Both are bumped at once and again when the transaction commits, so
a page rendered from rows being changed sits under a dead key.

Each request then puts the reader back in: their own posts, the posts they said
helped or flagged, and posts that fold for them (a muted member or word) are
rendered for them alone from the database, the rest comes from the stored page, and
their CSRF token goes in last. What is rendered for one reader is kept too, under
the page's key and the reader's version, bumped by what they flag, mute or choose
(`versions.reader_changed`); it lives no longer than their first Edit link on the
page. Their break from the space and how they follow the thread are kept under
the same version (`reader_choices`). A reader with a post still held in the
thread is served the page built afresh (`selectors.thread_view`), because a held
post changes which posts a page holds. Moderator controls and the reply links
depend on the reader's standing, which is part of the key.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from . import member_controls, notifications, selectors
from .models import Helped, MutedMember, Post, PostFlag, PostStatus, Thread
from .text import TEXT_RENDER_VERSION
from .versions import PageVersions, current_versions

PAGE_SECONDS = 24 * 60 * 60
ARTICLE_TEMPLATE = "discussion/includes/post_article.html"
CSRF_MARK = "\x00csrf\x00"
# What a stored row holds; bumped when that changes, so rows stored before are not read.
ROWS_VERSION = 2


@dataclass(frozen=True)
class SharedArticle:
    """A post's article as every reader without marks on it sees it."""

    html: str


@dataclass(frozen=True)
class _Row:
    pk: int
    user_id: int | None
    text: str  # a published post's text, for the reader's muted words
    badges: tuple[str, ...]
    helped_count: int
    submitted: datetime
    html: str


@dataclass(frozen=True)
class ReaderMarks:
    helped: frozenset
    flagged: frozenset
    muted: frozenset
    holds: bool


def reader_marks(*, thread: Thread, user) -> ReaderMarks:
    """In one query: the posts of the thread this reader said helped or flagged,
    the members they muted, and whether they have a post held in it. Each part
    drops its model's default order, which SQLite refuses inside a UNION."""

    def kind(name):
        return Value(name, output_field=CharField())

    rows = (
        Helped.objects.filter(member=user, post__thread_ref_id=thread.pk)
        .order_by()
        .values_list("post_id", kind("helped"))
        .union(
            PostFlag.objects.filter(reporter=user, post__thread_ref_id=thread.pk)
            .order_by()
            .values_list("post_id", kind("flagged")),
            MutedMember.objects.filter(member=user)
            .order_by()
            .values_list("muted_id", kind("muted")),
            Post.objects.filter(
                thread_ref_id=thread.pk, user_id=user.pk, status=PostStatus.HELD
            )
            .order_by()
            .values_list("pk", kind("held")),
            all=True,
        )
    )
    found = {"helped": set(), "flagged": set(), "muted": set(), "held": set()}
    for pk, name in rows:
        found[name].add(pk)
    return ReaderMarks(
        helped=frozenset(found["helped"]),
        flagged=frozenset(found["flagged"]),
        muted=frozenset(found["muted"]),
        holds=bool(found["held"]),
    )


@dataclass
class CachedThreadView:
    """A thread page's posts for one reader: `PostNode`s for the posts carrying the
    reader's marks, `SharedArticle`s for the rest, in reading order."""

    page: object
    opening_rows: list
    rows: list


def _neutral_rows(nodes, context: dict) -> list[_Row]:
    return [
        _Row(
            pk=node.post.pk,
            user_id=node.post.user_id,
            text=node.post.comment if node.post.is_published else "",
            badges=node.badges,
            helped_count=node.post.helped_count,
            submitted=node.post.submit_date,
            html=render_to_string(
                ARTICLE_TEMPLATE, {**context, "node": node, "csrf_input": CSRF_MARK}
            ),
        )
        for node in nodes
    ]


def _shared_page(thread: Thread, page_number, context: dict, versions):
    """(key, page, opening rows, reply rows) as a reader without marks sees them,
    from the cache when stored."""
    base = (
        f"discussion:thread-page:{ROWS_VERSION}:{thread.pk}:{versions[0]}:{versions[1]}"
    )
    size = settings.DISCUSSION_PAGE_SIZE
    count_key = f"{base}:tops"
    count = cache.get(count_key)
    if count is None:
        count = (
            Post.objects.filter(thread_ref_id=thread.pk, level=0, is_opening=False)
            .filter(selectors.posts_visible_q(None))
            .count()
        )
        cache.set(count_key, count, PAGE_SECONDS)
    page = Paginator(range(count), size).get_page(page_number)
    key = (
        f"{base}:{page.number}:{size}:{get_language()}:{TEXT_RENDER_VERSION}:"
        f"{int(context['may_reply'])}{int(context['is_moderator'])}"
    )
    stored = cache.get(key)
    if stored is None:
        view = selectors.thread_view(
            thread=thread, user=AnonymousUser(), page_number=page.number
        )
        stored = (
            _neutral_rows(view.opening_rows, context),
            _neutral_rows(view.rows, context),
        )
        cache.set(key, stored, PAGE_SECONDS)
    return key, page, *stored


def _marked_nodes(thread, user, rows, *, marks, words, now) -> dict:
    """{id: node} for the posts carrying the reader's marks, read afresh (one query,
    none when there are none); badges and "this helped" counts come with the stored
    page, whose version is current."""
    if not rows:
        return {}
    by_pk = {row.pk: row for row in rows}
    posts = (
        Post.objects.filter(thread_ref_id=thread.pk, pk__in=list(by_pk))
        .filter(selectors.posts_visible_q(user))
        .select_related("user")
    )
    nodes = {}
    for post in posts:
        row = by_pk[post.pk]
        post.helped_count = row.helped_count
        nodes[post.pk] = selectors.post_node(
            post,
            user,
            badges=row.badges,
            helped_by_me=post.pk in marks.helped,
            flagged_by_me=post.pk in marks.flagged,
            muted=post.user_id in marks.muted,
            words=words,
            now=now,
        )
    return nodes


def _reader_articles(thread: Thread, user, rows, context: dict) -> dict | None:
    """{id: article} for the posts of the page carrying the reader's marks (their
    own, those they said helped or flagged, those that fold for them), rendered for
    them; None when they have a post held in the thread."""
    marks = reader_marks(thread=thread, user=user)
    if marks.holds:
        return None
    words = member_controls.muted_words_regex(member_controls.muted_words(member=user))

    def marked(row: _Row) -> bool:
        return (
            row.user_id == user.pk
            or row.pk in marks.helped
            or row.pk in marks.flagged
            or row.user_id in marks.muted
            or bool(words and row.text and words.search(row.text))
        )

    nodes = _marked_nodes(
        thread,
        user,
        [row for row in rows if marked(row)],
        marks=marks,
        words=words,
        now=timezone.now(),
    )
    return {
        pk: render_to_string(
            ARTICLE_TEMPLATE, {**context, "node": node, "csrf_input": CSRF_MARK}
        )
        for pk, node in nodes.items()
    }


def _edit_closes(user, rows) -> float:
    """Seconds until the reader's next edit window on this page closes (an Edit
    link goes then), at most PAGE_SECONDS."""
    now = timezone.now()
    window = timedelta(minutes=settings.DISCUSSION_EDIT_MINUTES)
    closes = [
        (row.submitted + window - now).total_seconds()
        for row in rows
        if row.user_id == user.pk and row.submitted + window > now
    ]
    return min([PAGE_SECONDS, *closes])


def _reader_versions(thread: Thread, user, versions: PageVersions | None):
    if versions is not None:
        return versions.reader_versions
    return current_versions(thread.pk, reader_id=user.pk)


def thread_page(
    *,
    thread: Thread,
    user,
    page_number,
    may_reply: bool,
    is_moderator: bool,
    versions: PageVersions | None = None,
) -> CachedThreadView | None:
    """One page of a thread for `user`, built on the stored page; None when it must
    be built afresh (`selectors.thread_view`). `versions`: as read when the
    request started, if it did."""
    versions = _reader_versions(thread, user, versions)
    if versions is None:
        return None
    context = {
        "may_reply": may_reply,
        "is_moderator": is_moderator,
        "thread_url": reverse("discussion:thread", args=[thread.pk]),
    }
    key, page, opening, replies = _shared_page(thread, page_number, context, versions)
    reader_key = f"{key}:reader:{user.pk}:{versions[2]}"
    stored = cache.get(reader_key)
    if stored is None:
        rows = [*opening, *replies]
        articles = _reader_articles(thread, user, rows, context)
        stored = (articles,)
        seconds = int(_edit_closes(user, rows))
        if seconds > 0:
            cache.set(reader_key, stored, seconds)
    articles = stored[0]
    if articles is None:
        return None

    def items(rows):
        return [SharedArticle(articles.get(row.pk, row.html)) for row in rows]

    return CachedThreadView(page=page, opening_rows=items(opening), rows=items(replies))


@dataclass(frozen=True)
class ReaderChoices:
    """What the reader chose about a thread: a break from its space (the day it
    ends) and how they follow the thread."""

    break_until: date | None
    follow_level: str


def reader_choices(
    *, thread: Thread, user, versions: PageVersions | None = None
) -> ReaderChoices:
    """The reader's choices, kept under their version, which either choice bumps,
    and today's date, since a break ends by the calendar."""
    versions = _reader_versions(thread, user, versions)
    key = (
        None
        if versions is None
        else f"discussion:reader-choices:{user.pk}:{versions[2]}:{thread.pk}:"
        f"{timezone.localdate()}"
    )
    choices = cache.get(key) if key else None
    if choices is None:
        choices = ReaderChoices(
            break_until=member_controls.space_break_until(
                member=user, space=thread.space
            ),
            follow_level=notifications.follow_level(thread_id=thread.pk, member=user),
        )
        if key:
            cache.set(key, choices, PAGE_SECONDS)
    return choices
