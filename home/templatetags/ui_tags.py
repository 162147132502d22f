"""Small pieces of the site's look: icons from the site's SVG sprite, and phone
numbers as links."""

import re

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "icons/sprite.svg"
ICONS = frozenset(
    {
        "group",
        "course",
        "calendar",
        "chat",
        "info",
        "clock",
        "place",
        "phone",
        "message",
        "arrow",
        "user",
        "heart",
        "filter",
    }
)
DIALLABLE = re.compile(r"^\s*(\+?[\d\s]+)")


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    """A decorative icon; the text beside it says what it means."""
    if name not in ICONS:
        name = "info"
    return format_html(
        '<svg class="icon {}" aria-hidden="true" focusable="false">'
        '<use href="{}#icon-{}"></use></svg>',
        css_class,
        static(SPRITE),
        name,
    )


@register.filter
def dial(number: str) -> str:
    """The digits to put in a `tel:` or `sms:` link: "85258 (text SHOUT)" gives
    "85258", "0800 123 456" gives "0800123456"."""
    found = DIALLABLE.match(number or "")
    return re.sub(r"\s", "", found.group(1)) if found else ""


@register.filter
def text_keyword(number: str) -> str:
    """The word to send, when the text number says one: "85258 (text SHOUT)" gives
    "SHOUT"."""
    found = re.search(r"text\s+([A-Za-z]+)", number or "", flags=re.IGNORECASE)
    return found.group(1) if found else ""
