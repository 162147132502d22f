from django import template
from django.utils.translation import get_language
from wagtail.models import Page, Site

from peer_site.page_cache import site_wide

register = template.Library()


def _menu(request) -> list[dict]:
    site = Site.find_for_request(request)
    pages = Page.objects.none()
    if site is not None:
        pages = site.root_page.get_children().live().public().in_menu()
    return [
        {"href": page.get_url(request), "path": page.url, "title": page.title}
        for page in pages
    ]


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """Top-level pages editors ticked "Show in menus" for, in tree order; the same
    for every visitor to a host, so kept until pages change (`site_wide`)."""
    request = context.get("request")
    items = []
    if request is not None:
        items = site_wide(
            f"main-nav:{request.get_host()}:{get_language()}",
            lambda: _menu(request),
        )
    return {"items": items, "request": request}
