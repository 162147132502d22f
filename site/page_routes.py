"""Wagtail's page routing from cache: which Site a request is for, and which page a
path leads to, kept under the page-cache generation (`peer_site.page_cache.
content_cached`).

Serving a page walks the tree one query (and one `.specific` query) per level,
after a query for the Site, then two more for the view restrictions of the page and
its ancestors: six to eight queries before the page does anything. Every event that
changes a route (publishing, unpublishing, moving or deleting a page, a Site, a view
restriction) purges the page cache, so the route found once holds until then:

- `site_for_request` keeps the Site per host and port (and on the request, as
  Wagtail does), for page views and every other view alike.
- `serve` looks the path up; on a miss it lets Wagtail route, and stores the page
  only if it is live, restricted to nobody and reached by a route without parameters
  (so the number of entries stays bounded by the pages there are; an unknown path is
  never stored). A hit still asks the page itself to route what is left of the path,
  so a routable page resolves its sub-path as Wagtail would.
- A page stored this way knows no view restriction applies to it
  (`KnownRestrictionsMixin`), so Wagtail's restriction check costs no query either.
  A restricted page is never stored: it is routed, and checked, afresh every time.
- A page model may name related rows its page shows (`route_cache_prefetch`) that
  only purging events change; they are fetched once and stored with the page.
  Nothing about people is stored this way: a pseudonym changes without a purge.

Previews and the admin never come through `serve`, so they always see the database.
"""

import hashlib

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction, Site

from .page_cache import content_cached


def _host_port(request) -> tuple[str, int]:
    # As Wagtail's own Site lookup does: the host without its port, and the port the
    # request came in on. The host was checked against ALLOWED_HOSTS by then.
    return split_domain_port(request.get_host())[0], request.get_port()


def site_for_request(request) -> Site | None:
    """`Site.find_for_request`, from cache, and kept on the request as Wagtail does."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        hostname, port = _host_port(request)
        request._wagtail_site = content_cached(
            f"site:{hostname}:{port}", lambda: Site.find_for_request(request)
        )
    return request._wagtail_site


class KnownRestrictionsMixin:
    """For page models: a page routed by `serve` from cache is known to be restricted
    to nobody, so asking costs no query."""

    def get_view_restrictions(self):
        if getattr(self, "_routed_unrestricted", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _route_key(site: Site, path: str) -> str:
    digest = hashlib.sha256(path.encode()).hexdigest()
    # With Wagtail's content languages on, routing starts from the root page in the
    # active language.
    return f"route:{site.pk}:{get_language()}:{digest}"


def _has_parameters(args, kwargs) -> bool:
    """Whether a route result carries values from the path: a routable page's view
    comes as `(view, view_args, view_kwargs)`."""
    if kwargs:
        return True
    if len(args) == 3 and callable(args[0]):
        return bool(args[1] or args[2])
    return bool(args)


def _storable_route(request, site: Site, path: str) -> tuple[Page, int] | None:
    """Wagtail's route for `path`, as (page, number of path segments the tree used),
    or None when it should not be stored."""
    result = Page.route_for_request(request, path)
    if result is None:
        return None
    page, args, kwargs = result
    if _has_parameters(args, kwargs) or page.get_view_restrictions().exists():
        return None
    prefetch = getattr(page, "route_cache_prefetch", ())
    if prefetch:
        prefetch_related_objects([page], *prefetch)
    page._routed_unrestricted = True
    return page, page.depth - site.root_page.depth


def serve(request, path):
    """Wagtail's `serve` view, with the Site and the page found from cache."""
    # Imported here: page models import this module, before Wagtail's views can load.
    from wagtail.views import serve as wagtail_serve

    site = site_for_request(request)
    if site is not None:
        stored = content_cached(
            _route_key(site, path), lambda: _storable_route(request, site, path)
        )
        if stored is not None and not hasattr(request, "_wagtail_route_for_request"):
            page, used = stored
            segments = [segment for segment in path.split("/") if segment]
            try:
                request._wagtail_route_for_request = page.route(
                    request, segments[used:]
                )
            except Http404:
                request._wagtail_route_for_request = None
    return wagtail_serve(request, path)
