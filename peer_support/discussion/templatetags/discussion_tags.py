import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..text import TEXT_RENDER_VERSION, text_to_html
from ..thread_cache import ARTICLE_TEMPLATE, CSRF_MARK, SharedArticle
from ..thread_frame import ArticleSlot

register = template.Library()


@register.filter
def post_html(text: str, mentions=()) -> str:
    """A member's plain text as paragraphs and links, `mentions` highlighted. Safe
    because `text_to_html` escapes every character the member typed and nh3 keeps
    only p, br, a, blockquote and mark."""
    return mark_safe(text_to_html(text, mentions or ()))


@register.inclusion_tag("discussion/includes/space_link.html", takes_context=True)
def discussion_link(context, page):
    """The way into a space's discussion, for those who may read it."""
    from peer_support.spaces.permissions import READ_DISCUSSION, user_may

    request = context.get("request")
    user = getattr(request, "user", None)
    may_read = bool(
        page.pk and user is not None and user_may(user, READ_DISCUSSION, page)
    )
    return {"page": page, "may_read": may_read}


ARTICLE_CACHE_SECONDS = 24 * 60 * 60


def _article_key(node, *, may_reply: bool, is_moderator: bool, thread_url: str) -> str:
    """Everything the article shows, for the post and for this reader: two readers
    share a cached article only when it would read the same for both."""
    post = node.post
    facts = (
        ARTICLE_TEMPLATE,
        TEXT_RENDER_VERSION,
        get_language(),
        thread_url,
        post.pk,
        post.status,
        post.level,
        post.label,
        post.comment,
        *sorted(post.mentions or ()),
        post.moderator_reason,
        post.user_id,
        post.user.pseudonym if post.user_id else "",
        post.submit_date.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        post.helped_count,
        *node.badges,
        node.collapsed,
        node.mine,
        node.editable,
        node.helped_by_me,
        node.flagged_by_me,
        node.mutable,
        node.shows_text,
        may_reply,
        is_moderator,
    )
    digest = hashlib.sha256(repr(facts).encode()).hexdigest()[:40]
    return f"discussion:article:{post.pk}:{digest}"


@register.simple_tag(takes_context=True)
def post_articles(context, items, empty=""):
    """The posts of a thread page. A `SharedArticle` comes rendered from the stored
    page (`thread_cache`); each `PostNode` is rendered once per distinct look and
    kept in the cache. The reader's CSRF token is put in afterwards. The facts in
    the key come from the selector, which alone decides what a reader may see. An
    `ArticleSlot` stands for the posts in a frame kept without them (`thread_frame`)."""
    if isinstance(items, ArticleSlot):
        return items.mark
    items = list(items)
    if not items:
        return format_html("<p>{}</p>", empty) if empty else ""
    shared = {
        "may_reply": bool(context.get("may_reply")),
        "is_moderator": bool(context.get("is_moderator")),
        "thread_url": context["thread_url"],
    }
    keys = {
        id(item): _article_key(item, **shared)
        for item in items
        if not isinstance(item, SharedArticle)
    }
    cached = cache.get_many(list(keys.values())) if keys else {}
    missing, parts = {}, []
    for item in items:
        if isinstance(item, SharedArticle):
            parts.append(item.html)
            continue
        key = keys[id(item)]
        article = cached.get(key)
        if article is None:
            article = render_to_string(
                ARTICLE_TEMPLATE,
                {**shared, "node": item, "csrf_input": CSRF_MARK},
            )
            missing[key] = article
        parts.append(article)
    if missing:
        cache.set_many(missing, ARTICLE_CACHE_SECONDS)
    # Safe: each article is our template's output, with user text escaped there.
    return mark_safe("".join(parts).replace(CSRF_MARK, str(context["csrf_input"])))
