"""What every page shows around its content: the service name, the crisis heading,
the main menu and the footer (crisis lines and the about links).

Built once per site and language and kept until the next content purge
(`peer_site.page_cache.content_cached`): site settings, publishing, moving, deleting
or restricting a page all purge, so a change shows on the next request. Nothing in it
depends on who is visiting; the header adds the member's own links around it.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from peer_site.page_cache import content_cached
from peer_site.page_routes import site_for_request
from peer_site.public_pages import public

from .models import SiteSettings


@dataclass(frozen=True)
class MenuItem:
    url: str
    title: str


@dataclass(frozen=True)
class Chrome:
    service_name: str
    crisis_heading: str
    menu: tuple[MenuItem, ...]
    footer: str

    @property
    def footer_html(self) -> SafeString:
        return mark_safe(self.footer)  # rendered, autoescaped, by `_build`


def _menu(site: Site | None, request) -> tuple[MenuItem, ...]:
    """Top-level pages editors ticked "Show in menus" for, in tree order."""
    if site is None:
        return ()
    pages = public(site.root_page.get_children().live().in_menu())
    return tuple(
        MenuItem(url=page.get_url(request), title=page.title) for page in pages
    )


def _build(request, site: Site | None) -> Chrome:
    settings = SiteSettings.load(request_or_site=request)
    footer = render_to_string(
        "includes/footer.html", {"site_settings": settings, "request": request}
    )
    return Chrome(
        service_name=settings.service_name,
        crisis_heading=settings.crisis_heading,
        menu=_menu(site, request),
        footer=footer,
    )


def site_chrome(request) -> Chrome:
    """The chrome for this request's site, from cache when it can be; once per
    request at most either way. Without a request: the default settings, no menu."""
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        site = site_for_request(request)
        name = f"chrome:{site.pk if site else 0}:{get_language()}"
        chrome = content_cached(name, lambda: _build(request, site))
        if request is not None:
            request._site_chrome = chrome
    return chrome
