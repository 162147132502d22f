from django import template
from django.utils.safestring import mark_safe

from ..text import text_to_html

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
