"""Public pages from cache: what an anonymous visitor sees of a Wagtail page, kept in
the `pages` cache and served without running the page again.

wagtail-cache would do this but pins Wagtail below 8, so this builds on Django's cache
framework around Wagtail's page serving:

- A `before_serve_page` hook marks the request with the page being served; only
  marked responses are stored, so nothing outside Wagtail's pages (accounts, spaces
  views, the admin, previews) ever is.
- `PageCacheMiddleware` sits inside the CSP, frame and session middleware, so a page
  served from cache still passes through them and gets the same headers as a fresh
  one; what it stores is the body and the view's own headers.
- Only anonymous GET/HEAD requests with no session or messages cookie are served or
  stored; only 200 responses that set no cookie, used no CSRF token or CSP nonce,
  carry no messages, say nothing private and belong to no restricted page are stored.
- The key is scheme, host, path, the query string with its parameters in name order,
  language and htmx target. Only parameters a page lists in `page_cache_params` are
  stored (others are served fresh), so junk parameters cannot fill the cache.
- Purging bumps a generation number that every key includes, so one write drops
  every page: any content event purges the whole site. Events are rare next to
  visits and most pages list others (home, finder, course list), so working out which
  pages an event touches would cost more than it saves and could miss one.
- What every page shows around its content (menu, footer, site settings) and the
  finder's choices are kept by `content_cached` under the same generation, so the
  one purge rule drops them with the pages; unlike pages, they are kept whatever
  the visitor (signed in or not) and whether or not `PAGE_CACHE_SECONDS` is 0.
- An entry lives `PAGE_CACHE_SECONDS` at most, and never past the next shift start or
  end (`rotas.selectors.next_cover_change`), when "a peer worker is around" changes
  with no event to purge on.
"""

import hashlib
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from wagtail import hooks
from wagtail.models import Page, get_page_models
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from peer_support.cache_versions import version_bump, versions_read

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
# Longer query strings are served fresh and never stored.
MAX_QUERY_LENGTH = 300
# Headers a stored page may vary on: the key or the request checks cover them.
VARY_ALLOWED = {"", "cookie", "accept-language", "accept-encoding"}
# django-csp's per-response policy changes (decorators); such responses are not stored.
CSP_RESPONSE_ATTRIBUTES = (
    "_csp_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt_ro",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
# Content entries of dead generations are never read again; this frees their room.
CONTENT_SECONDS = 24 * 60 * 60
# Saving or deleting one of these changes what public pages show. Pages and versioned
# snippets purge on Wagtail's own signals (publish, unpublish, move, delete), and a
# live page also on being saved.
SETTINGS = "home.SiteSettings"  # service name, crisis lines, footer links
PURGING_MODELS = (
    SETTINGS,
    "spaces.Membership",  # places left
    "rotas.Shift",  # a peer worker around
    "rotas.ShiftAssignment",
    "groups.Topic",
    "groups.Venue",
    # Saved with their page as a rule, but a group's cancelled meeting or a course's
    # topic written on its own changes the page too (`peer_site.page_routes` keeps
    # them with the page).
    "groups.GroupCancelledDate",
    "courses.CourseTopic",
    "wagtailcore.PageViewRestriction",  # a page made private leaves lists and menus
    "wagtailcore.Site",  # the menu is the site root's children
)


def _cache():
    return caches[CACHE_ALIAS]


def generation() -> int | None:
    found = versions_read([GENERATION_KEY], cache=_cache())
    return found and found[GENERATION_KEY]


def purge() -> None:
    """Drop every stored page, now and again once the current transaction commits:
    a page rendered in between from the old rows then sits under a dead key."""
    version_bump(GENERATION_KEY, cache=_cache())


def content_cached(name: str, compute, *, fresh=None):
    """`compute()`, kept until the next purge: for what public pages show that only
    the purging events change. `name` says what it is and for which site. What the
    clock also changes passes `fresh(value)`, which says whether a stored value
    still holds; one that does not is worked out and stored again."""
    cache = _cache()
    key = f"page-cache:{generation()}:content:{name}"
    value = cache.get(key)
    if value is None or (fresh is not None and not fresh(value)):
        value = compute()
        cache.set(key, value, timeout=CONTENT_SECONDS)
    return value


def content_cached_many(names: dict, compute) -> dict:
    """`content_cached` for several things read at once: `names` maps each thing to
    its name, and `compute(things)` works out those not stored, as a dict by thing."""
    cache = _cache()
    prefix = f"page-cache:{generation()}:content:"
    keys = {thing: prefix + name for thing, name in names.items()}
    stored = cache.get_many(keys.values())
    found = {thing: stored[key] for thing, key in keys.items() if key in stored}
    missing = [thing for thing in names if thing not in found]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {keys[thing]: value for thing, value in computed.items()},
            timeout=CONTENT_SECONDS,
        )
        found.update(computed)
    return found


def _purge_on_event(sender, **kwargs) -> None:
    purge()


def _purge_on_settings_save(sender, created: bool, **kwargs) -> None:
    # The settings row is made, with its defaults, by the first page that reads it:
    # nothing shown changes then, and purging would drop what that page stored.
    if not created:
        purge()


def _purge_on_live_page_save(sender, instance, **kwargs) -> None:
    # Publishing signals cover the editor's way; this covers a live page saved
    # without one (built by code, such as a data load).
    if instance.live:
        purge()


def _query_pairs(request) -> list[tuple[str, str]]:
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    # Stable: repeated parameters keep their order, which a page may rely on.
    return sorted(pairs, key=lambda pair: pair[0])


def page_key(request, *, generation: int) -> str:
    parts = (
        request.scheme,
        request.get_host(),
        request.path,
        urlencode(_query_pairs(request)),
        getattr(request, "LANGUAGE_CODE", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page-cache:{generation}:{digest}"


def _request_cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def _response_storable(request, response) -> bool:
    page = getattr(request, "page_cache_page", None)
    if (
        page is None
        or request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "_csp_nonce", None)
        or any(getattr(response, name, None) for name in CSP_RESPONSE_ATTRIBUTES)
        or len(get_messages(request))
        or getattr(request, "is_preview", False)
    ):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", ""))}
    if not vary <= VARY_ALLOWED:
        return False
    names = {name for name, _value in _query_pairs(request)}
    if not names <= getattr(page, "page_cache_params", frozenset()):
        return False
    return not page.get_view_restrictions().exists()


def _timeout(*, now: datetime) -> float:
    from peer_support.rotas.selectors import next_cover_change

    seconds = settings.PAGE_CACHE_SECONDS
    change = next_cover_change(at=now)
    if change is not None:
        seconds = min(seconds, (change - now).total_seconds())
    return max(seconds, 1)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_cacheable(request):
            return self.get_response(request)
        cache = _cache()
        key = page_key(request, generation=generation())
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        now = timezone.now()
        response = self.get_response(request)
        if _response_storable(request, response):
            cache.set(
                key,
                (response.status_code, list(response.items()), response.content),
                timeout=_timeout(now=now),
            )
        return response


def _mark_page(page, request, serve_args, serve_kwargs) -> None:
    request.page_cache_page = page


def connect() -> None:
    """Called once from `HomeConfig.ready()`: web and Celery processes alike purge."""
    hooks.register("before_serve_page", _mark_page)
    uid = "page_cache_purge"
    for signal in (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    ):
        signal.connect(_purge_on_event, dispatch_uid=uid)
    post_delete.connect(_purge_on_event, sender=Page, dispatch_uid=uid)
    for model in get_page_models():
        post_save.connect(_purge_on_live_page_save, sender=model, dispatch_uid=uid)
    for label in PURGING_MODELS:
        model = apps.get_model(label)
        on_save = _purge_on_settings_save if label == SETTINGS else _purge_on_event
        post_save.connect(on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_purge_on_event, sender=model, dispatch_uid=uid)
