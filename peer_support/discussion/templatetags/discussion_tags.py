from django import template
from django.utils.safestring import mark_safe

from ..text import text_to_html

register = template.Library()


@register.filter
def post_html(text: str) -> str:
    """A member's plain text as paragraphs and links. Safe because `text_to_html`
    escapes every character the member typed and nh3 keeps only p, br, a and
    blockquote."""
    return mark_safe(text_to_html(text))  # noqa: S308 - sanitised by nh3 above
