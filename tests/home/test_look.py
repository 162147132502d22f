"""The site's look: one stylesheet of custom properties whose colour pairs meet WCAG
AA, icons from the site's own sprite, nothing from another host."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from home.templatetags.ui_tags import ICONS, dial, text_keyword

STATIC = Path(__file__).resolve().parents[2] / "site" / "static"
CSS = (STATIC / "css" / "site.css").read_text()
SPRITE = (STATIC / "icons" / "sprite.svg").read_text()


def custom_properties() -> dict[str, str]:
    root = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
    return dict(re.findall(r"(--colour-[\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# Text colour, background: every pair the stylesheet uses for words.
PAIRS = [
    ("--colour-text", "--colour-bg"),
    ("--colour-text", "--colour-surface-warm"),
    ("--colour-text", "--colour-primary-soft"),
    ("--colour-muted", "--colour-bg"),
    ("--colour-muted", "--colour-surface"),
    ("--colour-muted", "--colour-surface-warm"),
    ("--colour-primary", "--colour-bg"),
    ("--colour-primary", "--colour-surface-warm"),
    ("--colour-primary-dark", "--colour-primary-soft"),
    ("--colour-accent", "--colour-surface"),
]
WHITE_ON = [
    "--colour-primary",
    "--colour-primary-dark",
    "--colour-accent",
    "--colour-crisis",
]


def test_a_small_palette_of_custom_properties():
    colours = custom_properties()
    assert 6 <= len(colours) <= 16
    assert "--step-0" in CSS and "--step-4" in CSS  # a type scale


@pytest.mark.parametrize("text, background", PAIRS)
def test_text_colours_meet_aa(text, background):
    colours = custom_properties()
    assert contrast(colours[text], colours[background]) >= 4.5


@pytest.mark.parametrize("background", WHITE_ON)
def test_white_text_on_filled_colours_meets_aa(background):
    assert contrast("#ffffff", custom_properties()[background]) >= 4.5


def test_every_icon_is_in_the_sprite():
    for name in ICONS:
        assert f'id="icon-{name}"' in SPRITE


def test_icon_tag_points_at_the_sites_sprite():
    html = Template('{% load ui_tags %}{% icon "group" %}{% icon "nope" %}').render(
        Context()
    )
    assert '<use href="/static/icons/sprite.svg#icon-group">' in html
    assert "#icon-info" in html  # an unknown name falls back, never a broken icon
    assert html.count('aria-hidden="true"') == 2


@pytest.mark.parametrize(
    "number, digits, keyword",
    [
        ("85258 (text SHOUT)", "85258", "SHOUT"),
        ("116 123", "116123", ""),
        ("+44 800 123 456", "+44800123456", ""),
        ("none", "", ""),
    ],
)
def test_numbers_become_links(number, digits, keyword):
    assert dial(number) == digits
    assert text_keyword(number) == keyword


@pytest.mark.django_db
def test_pages_load_nothing_from_another_host(client, home_page):
    page = client.get("/").content.decode()
    for url in re.findall(r'(?:href|src)="([^"]+)"', page):
        if url.endswith((".css", ".js", ".svg", ".png", ".ico")) or ".css?" in url:
            assert not url.startswith(("http:", "https:", "//")), url
    assert "/static/css/site.css" in page
