"""Anonymous visitors' pages from cache (`peer_site.page_cache`): who is served from
it, what is stored, and each event that purges it, on real pages through the client.

A page served from cache renders no template, which is how these tests tell a hit
from a fresh page (which may run no query: its route and chrome come from cache)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import SiteSettings, StandardPage
from peer_site import page_cache
from peer_support.rotas import services as rota_services
from peer_support.rotas.models import Duty
from peer_support.spaces.models import JoinPolicy
from peer_support.spaces.services import membership_join
from tests.factories import (
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    ShiftFactory,
    UserFactory,
)
from tests.site_builders import finder_make, group_make, topic_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    SiteSettings.load()  # made on first use, which would purge the first page
    caches[page_cache.CACHE_ALIAS].clear()
    yield
    caches[page_cache.CACHE_ALIAS].clear()


@pytest.fixture
def info(home_page):
    return home_page.add_child(
        instance=StandardPage(title="Coping with sleep", slug="sleep")
    )


def visit(client, url, data=None):
    """The page, and how many templates rendered it (0: it came from cache)."""
    response = client.get(url, data)
    return response, len(response.templates)


def test_second_anonymous_visit_comes_from_cache(client, info):
    first, first_rendered = visit(client, info.url)
    second, second_rendered = visit(client, info.url)

    assert first.status_code == second.status_code == 200
    assert first_rendered > 0
    assert second_rendered == 0
    assert second.content == first.content


def test_a_page_from_cache_has_the_same_headers_as_a_fresh_one(client, info):
    fresh = client.get(info.url)
    cached, rendered = visit(client, info.url)

    assert rendered == 0
    assert dict(cached.items()) == dict(fresh.items())
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "SAMEORIGIN"


def test_head_is_served_from_the_entry_a_get_stored(client, info):
    client.get(info.url)
    response = client.head(info.url)
    assert response.status_code == 200
    assert not response.templates


def test_finder_filters_in_any_order_share_one_entry(client, home_page):
    finder = finder_make(home_page)
    group_make(finder, title="Calm Walkers", topics=[topic_make("Anxiety")])

    first, _ = visit(client, finder.url + "?topic=anxiety&day=weekend")
    second, rendered = visit(client, finder.url + "?day=weekend&topic=anxiety")

    assert rendered == 0
    assert second.content == first.content


def test_unknown_or_private_parameters_are_served_fresh_and_never_stored(
    client, home_page
):
    finder = finder_make(home_page)
    long_search = "?q=" + "x" * page_cache.MAX_QUERY_LENGTH
    for query in ("?utm_source=leaflet", "?lat=53.8&lng=-1.5", long_search):
        client.get(finder.url + query)
        _response, rendered = visit(client, finder.url + query)
        assert rendered > 0, query


def test_signed_in_member_is_never_served_a_visitors_page_nor_stores_theirs(
    client, info
):
    visitor = client.__class__()
    visitor.get(info.url)  # stored for visitors
    member = UserFactory(pseudonym="Quiet Heron")
    client.force_login(member)

    page, rendered = visit(client, info.url)

    assert rendered > 0
    assert "Quiet Heron" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    again, _ = visit(visitor, info.url)
    assert "Quiet Heron" not in again.content.decode()


def test_visitor_who_signs_in_from_a_stored_group_page_sees_their_own(
    client, home_page
):
    finder = finder_make(home_page)
    group = group_make(finder, title="Calm Walkers", join_policy=JoinPolicy.OPEN)
    assert "Sign in to join" in client.get(group.url).content.decode()

    client.force_login(UserFactory())
    page = client.get(group.url).content.decode()

    assert "Sign in to join" not in page
    assert reverse("spaces:join", args=[group.pk]) in page


def test_finder_results_for_htmx_and_the_whole_finder_are_kept_apart(client, home_page):
    finder = finder_make(home_page)
    group_make(finder, title="Calm Walkers")
    htmx = {"HX-Request": "true", "HX-Target": "finder-results"}
    partial = client.get(finder.url, {"q": "calm"}, headers=htmx).content.decode()

    whole, rendered = visit(client, finder.url, {"q": "calm"})

    assert rendered > 0
    assert "<html" not in partial
    assert "<html" in whole.content.decode()


def test_visitor_with_a_session_or_messages_is_served_fresh(client, info, settings):
    client.get(info.url)
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    _response, rendered = visit(client, info.url)
    assert rendered > 0

    visitor = client.__class__()
    visitor.cookies[CookieStorage.cookie_name] = "anything"
    _response, rendered = visit(visitor, info.url)
    assert rendered > 0


def test_a_page_with_a_view_restriction_is_never_stored(client, info):
    PageViewRestriction.objects.create(
        page=info, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    first, _ = visit(client, info.url)
    other_visitor = client.__class__()
    second, rendered = visit(other_visitor, info.url)

    assert first.status_code == second.status_code == 200  # the password form
    assert rendered > 0
    # Each visitor gets their own CSRF token for the form.
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


@pytest.mark.parametrize(
    "spoil",
    [
        "csrf_token",
        "cookie",
        "message",
        "no_store",
        "private",
        "csp_nonce",
        "csp_decorator",
        "vary_on_header",
        "not_ok",
        "preview",
    ],
)
def test_responses_that_must_not_be_shared_are_not_stored(spoil, info):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get(info.url)
    request.page_cache_page = info
    request.session = {}
    request._messages = FallbackStorage(request)
    response = HttpResponse("page")
    assert page_cache._response_storable(request, response)

    if spoil == "csrf_token":
        get_token(request)
    elif spoil == "cookie":
        response.set_cookie("seen", "1")
    elif spoil == "message":
        from django.contrib import messages

        messages.info(request, "Saved.")
        assert len(get_messages(request)) == 1
    elif spoil == "no_store":
        response["Cache-Control"] = "no-store"
    elif spoil == "private":
        response["Cache-Control"] = "private, max-age=60"
    elif spoil == "csp_nonce":
        request._csp_nonce = "abc"
    elif spoil == "csp_decorator":
        response._csp_update = {"img-src": ["https://example.org"]}
    elif spoil == "vary_on_header":
        response["Vary"] = "User-Agent"
    elif spoil == "not_ok":
        response.status_code = 404
    elif spoil == "preview":
        request.is_preview = True
    assert not page_cache._response_storable(request, response)


def test_views_outside_wagtail_pages_are_not_stored(client, home_page):
    client.get("/search/", {"query": "sleep"})
    _response, rendered = visit(client, "/search/", {"query": "sleep"})
    assert rendered > 0


# Purges: the first response is stored, an event happens, the next shows it.


def test_publishing_a_page_shows_at_once(client, info):
    client.get(info.url)
    info.title = "Sleeping better"
    info.save_revision().publish()

    page, rendered = visit(client, info.url)
    assert rendered > 0
    assert "Sleeping better" in page.content.decode()


def test_a_new_page_shows_in_the_listings_of_its_parent(client, home_page):
    finder = finder_make(home_page)
    group_make(finder, title="Calm Walkers")
    assert "Calm Walkers" in client.get(finder.url).content.decode()

    group_make(finder, title="Evening Writers").save_revision().publish()

    assert "Evening Writers" in client.get(finder.url).content.decode()


def test_unpublishing_a_page_shows_at_once(client, info):
    client.get(info.url)
    info.unpublish()
    assert client.get(info.url).status_code == 404


def test_moving_a_page_shows_at_once(client, home_page, info):
    other = home_page.add_child(instance=StandardPage(title="Help", slug="help"))
    old_url = info.url
    client.get(old_url)

    info.move(other, pos="last-child")

    moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, "/help/sleep/")
    assert client.get("/help/sleep/").status_code == 200


def test_deleting_a_page_shows_at_once(client, info):
    client.get(info.url)
    info.delete()
    assert client.get("/sleep/").status_code == 404


def test_changing_the_crisis_lines_shows_at_once(client, info):
    client.get(info.url)
    site_settings = SiteSettings.load()
    site_settings.crisis_heading = "Talk to someone tonight"
    site_settings.save()

    assert "Talk to someone tonight" in client.get(info.url).content.decode()


def test_joining_a_space_updates_places_left_at_once(client, home_page):
    finder = finder_make(home_page)
    group = group_make(
        finder, title="Calm Walkers", capacity=5, join_policy=JoinPolicy.OPEN
    )
    assert "5 places left." in client.get(group.url).content.decode()

    membership_join(space_id=group.pk, member=UserFactory())

    page = client.get(group.url).content.decode()
    assert "4 places left." in page


def test_a_peer_worker_coming_on_shift_shows_at_once(client, home_page, roles):
    now = timezone.now()
    shift = ShiftFactory(
        duty=Duty.MODERATION,
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=2),
    )
    assert "No peer worker is reading" in client.get("/").content.decode()

    rota_services.shift_assign(
        shift_id=shift.pk,
        worker=PeerWorkerFactory(),
        actor=RotaCoordinatorFactory(),
        confirm_warnings=True,
    )

    assert "A peer worker is reading the discussions now" in (
        client.get("/").content.decode()
    )


def test_renaming_a_topic_shows_in_the_finder_at_once(client, home_page):
    finder = finder_make(home_page)
    topic = topic_make("Anxiety")
    group_make(finder, title="Calm Walkers", topics=[topic])
    client.get(finder.url)

    topic.name = "Worry and anxiety"
    topic.save()

    assert "Worry and anxiety" in client.get(finder.url).content.decode()


def test_a_page_is_kept_no_later_than_the_next_shift_start_or_end(client, info):
    now = timezone.now()
    shift = ShiftFactory(start=now + timedelta(minutes=2), hours=1)

    assert page_cache._timeout(now=now) == pytest.approx(120, abs=1)
    running = ShiftFactory(
        start=now - timedelta(hours=1), end=now + timedelta(seconds=90)
    )
    assert page_cache._timeout(now=now) == pytest.approx(90, abs=1)

    for moved in (shift, running):
        moved.start, moved.end = now + timedelta(hours=2), now + timedelta(hours=3)
        moved.save()
    assert page_cache._timeout(now=now) == 300


def test_a_lost_generation_never_brings_back_old_pages(client, info):
    client.get(info.url)
    caches[page_cache.CACHE_ALIAS].delete(page_cache.GENERATION_KEY)
    StandardPage.objects.filter(pk=info.pk).update(title="Renamed quietly")

    _response, rendered = visit(client, info.url)
    assert rendered > 0


@pytest.mark.redis
def test_pages_are_stored_and_purged_in_redis(client, info, settings):
    import os

    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "peer_site.redis_cache.PooledRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "page-cache-test",
        },
    }
    caches[page_cache.CACHE_ALIAS].clear()
    client.get(info.url)
    _response, rendered = visit(client, info.url)
    assert rendered == 0

    page_cache.purge()

    _response, rendered = visit(client, info.url)
    assert rendered > 0
    caches[page_cache.CACHE_ALIAS].clear()
