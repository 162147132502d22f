"""Hostile text as thread titles, posts and moderators' reasons renders inert wherever
it appears: the thread list, the thread, the review queue and page, member notices and
their emails."""

import re

import pytest
from django.urls import reverse

from peer_support.discussion import services
from peer_support.discussion.models import Post, PostStatus
from peer_support.discussion.text import text_to_html

from .builders import member_make, on_duty_make, probation_end, space_make

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.invalid/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href='jav&#x09;ascript:alert(1)'>tab</a>",
    "javascript:alert(1)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<textarea></textarea><script>alert(1)</script>",
    "<title></title><script>alert(1)</script>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<!--<img src=--><img src=x onerror=alert(1)//>",
]

# Markup a payload would need to run: a tag we never emit, an event handler
# attribute, or a javascript:/data: URL inside an attribute.
DANGER = re.compile(
    r"<(script|img|svg|iframe|body|object|embed|form|base|meta|link|style|input|"
    r"details|video|audio|source|marquee|math|textarea|title|div|button)[\s>/]"
    r"|<[^>]+\son\w+\s*="
    r"|<[^>]*\s(href|src|action|data)\s*=\s*[\"']?\s*(javascript|data):",
    re.IGNORECASE,
)


# On a whole page (which has its own meta, link and script tags): no event handler in
# a tag, no script URL in an attribute, and no payload as it was typed.
DANGER_ON_PAGE = re.compile(
    r"<[^>]+\son\w+\s*=|<[^>]*\s(href|src|action|data)\s*=\s*[\"']?\s*(javascript|data):",
    re.IGNORECASE,
)


def assert_inert(html: str) -> None:
    found = DANGER.search(html)
    assert found is None, html[max(found.start() - 80, 0) : found.end() + 80]


def assert_page_inert(html: str) -> None:
    found = DANGER_ON_PAGE.search(html)
    assert found is None, html[max(found.start() - 80, 0) : found.end() + 80]
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in html
    assert "alert(1)</script>" not in html


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_renderer_keeps_payloads_inert(payload):
    assert_inert(text_to_html(payload))


def test_payloads_render_inert_everywhere(
    client, home_page, roles, django_capture_on_commit_callbacks, mailoutbox
):
    space = space_make(home_page)
    on_duty_make(space)
    facilitator = space.facilitators.first().worker
    author, reader = member_make(space), member_make(space)
    probation_end(space, author)
    threads = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, payload in enumerate(PAYLOADS):
            post = services.post_submit(
                author=author,
                space_id=space.pk,
                title=payload[:150],
                text=f"{payload}\n\n{payload}",
            )
            Post.objects.filter(pk=post.pk).update(
                status=PostStatus.PUBLISHED, is_public=True
            )
            threads.append(post.thread_ref)
            reply = services.post_submit(
                author=author, thread_id=post.thread_ref_id, text=payload
            )
            services.post_flag(
                post_id=post.pk, reporter=reader, reason="other", note=payload
            )
            services.post_moderate(
                post_id=reply.pk,
                moderator=facilitator,
                decision="warn" if n % 2 else "hide",
                reason=payload,
            )
    pages = []
    client.force_login(reader)
    pages.append(client.get(reverse("discussion:threads", args=[space.pk])))
    client.force_login(author)
    for thread in threads:
        pages.append(client.get(reverse("discussion:thread", args=[thread.pk])))
    pages.append(client.get(reverse("spaces:notices")))
    client.force_login(facilitator)
    pages.append(client.get(reverse("discussion_queue:index")))
    for post in Post.objects.filter(needs_review=True)[:10]:
        pages.append(client.get(reverse("discussion_review", args=[post.pk])))
    for response in pages:
        assert response.status_code == 200, response
        assert_page_inert(response.content.decode())
    assert mailoutbox
    for message in mailoutbox:
        # Plain-text email: nothing is interpreted, but the post's text is never in it.
        assert "<img" not in message.body or "Why:" in message.body
