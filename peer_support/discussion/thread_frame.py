"""A thread page around its posts, as one reader sees it, rendered once and kept.

`thread_cache` keeps the posts. What is around them costs as much again to render
on every request: the header (the reader's pseudonym, links and unread count, the
menu), the follow choice, the duty banner, the pagination, the posting gate, the
reply box, the moderator's settings and the footer. So that frame is rendered once
for the reader, with a slot where each list of posts goes and a mark where the CSRF
token goes, and kept. Each request puts the reader's token in and fills the slots
with the posts `thread_cache` gives it, so a frame never holds a post nor a token.

The key is everything the frame shows, so that any change to it makes a new key:
- by value, as the request already has them: the reader (id and pseudonym), their
  links and unread count, their standing (may post, what is missing, moderator),
  whether a peer worker is around and when next, their follow choice, the page
  number and the number of pages, the language, scheme, host and path;
- by version, read before anything the frame shows is (`versions.PageVersions`):
  the content generation (`peer_site.page_cache`: the space, the menu, the footer,
  the site settings, a course's topic) and the thread's, people's and reader's
  versions (the thread's title, label, lock, slow mode and settings).
A frame lives FRAME_SECONDS at most, so one rendered by older code goes soon after
a release. Nothing in it changes by the clock alone: the duty banner and the
standing are in the key by value, a break shows another page, and post times and
Edit links are in the posts.

Only the plain page is kept: not with a message to show, a draft or quotation in
the reply box, any query parameter but the page, a reply refused, posts built
afresh (`thread_cache` gives none when the reader has a post held), nor for people
whose page carries Wagtail's userbar.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from home.templatetags.navigation_tags import may_use_admin
from peer_support.my_spaces.selectors import member_links

from .text import TEXT_RENDER_VERSION
from .thread_cache import CSRF_MARK, CachedThreadView
from .versions import PageVersions

TEMPLATE = "discussion/thread.html"
FRAME_SECONDS = 10 * 60
# What a frame holds and how its key is made; bumped when either changes.
FRAME_VERSION = 1
TOKEN_MARK = "\x00csrf-token\x00"
TOKEN_INPUT = format_html(
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', TOKEN_MARK
)


@dataclass(frozen=True)
class ArticleSlot:
    """Stands for a list of posts while the frame is rendered (`post_articles`)."""

    name: str

    @property
    def mark(self) -> SafeString:
        return mark_safe(f"\x00articles:{self.name}\x00")


OPENING = ArticleSlot("opening")
REPLIES = ArticleSlot("replies")


def _plain_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and set(request.GET) <= {"page"}
        and len(request.GET.getlist("page")) <= 1
        and not len(get_messages(request))
        and not may_use_admin(request.user)
    )


def frame_key(request, *, versions: PageVersions | None, context: dict) -> str | None:
    """The key of the reader's frame for this request, under `versions` as read when
    it started; None when it is not kept."""
    if versions is None or not _plain_request(request):
        return None
    user, page = request.user, context["page_obj"]
    facts = (
        FRAME_VERSION,
        TEXT_RENDER_VERSION,
        versions,
        request.scheme,
        request.get_host(),
        request.path,
        get_language(),
        user.pk,
        user.pseudonym,
        member_links(user=user),
        context["thread"].pk,
        context["space"].pk,
        context["may_post"],
        context["missing"],
        context["is_moderator"],
        context["may_reply"],
        context["duty"],
        context["follow_level"],
        page.number,
        page.paginator.num_pages,
    )
    digest = hashlib.sha256(repr(facts).encode()).hexdigest()
    return f"discussion:thread-frame:{user.pk}:{digest}"


def _render_frame(request, context: dict) -> str:
    view = context["view"]
    slotted = CachedThreadView(
        page=view.page,
        opening_rows=OPENING if view.opening_rows else [],
        rows=REPLIES if view.rows else [],
    )
    return render_to_string(
        TEMPLATE,
        {
            **context,
            "view": slotted,
            "csrf_token": TOKEN_MARK,
            "csrf_input": TOKEN_INPUT,
        },
        request=request,
    )


def frame_response(request, *, key: str, context: dict) -> HttpResponse:
    """The page from the reader's frame, rendered and kept first when not stored:
    the reader's CSRF token in its marks and the posts in their slots."""
    frame = cache.get(key)
    if frame is None:
        frame = _render_frame(request, context)
        cache.set(key, frame, FRAME_SECONDS)
    token = get_token(request)
    token_input = str(TOKEN_INPUT).replace(TOKEN_MARK, token)
    view = context["view"]
    # Filled from the frame's own text onwards, never searching the posts (the
    # members' words) for marks.
    pieces, rest = [], frame.replace(TOKEN_MARK, token)
    for slot, items in ((OPENING, view.opening_rows), (REPLIES, view.rows)):
        if items:
            head, _mark, rest = rest.partition(slot.mark)
            articles = "".join(item.html for item in items)
            pieces += [head, articles.replace(CSRF_MARK, token_input)]
    pieces.append(rest)
    return HttpResponse("".join(pieces))
