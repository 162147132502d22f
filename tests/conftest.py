import fcntl
import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peer_support.accounts.roles import role_groups_sync
from tests.migrated_copy import migrated_copy_drop, migrated_copy_make

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname, parsed.port or 6379), timeout=1
        ):
            return True
    except OSError:
        return False


def service_missing_reason(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL"
    needs_redis = item.get_closest_marker("redis") or item.get_closest_marker(
        "celery_worker"
    )
    if needs_redis and not redis_reachable():
        return "needs Redis: set REDIS_URL to a running server"
    if item.get_closest_marker("e2e") and not os.path.exists(CHROMIUM):
        return f"needs Chromium at {CHROMIUM} (Debian package chromium)"
    return None


def pytest_runtest_setup(item):
    reason = service_missing_reason(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
    pytest.skip(reason)


CHROMIUM = "/usr/bin/chromium"
# Markers of tests that use the one Redis in REDIS_URL. They empty whole databases in
# it (a Redis cache's `clear()` is FLUSHDB; a worker test purges the broker; the load
# test empties its two), so no key prefix can keep them apart.
REDIS_MARKERS = ("redis", "celery_worker", "load")


@pytest.fixture(autouse=True)
def redis_turn(request, tmp_path_factory):
    """Under `pytest -n`, a test that uses Redis waits until no other worker is running
    one, so they run one after another as in a run without workers."""
    uses_redis = any(request.node.get_closest_marker(name) for name in REDIS_MARKERS)
    if not uses_redis or not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    # The workers' temporary folders share this parent, new for each run.
    with open(tmp_path_factory.getbasetemp().parent / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-gpu",
        ],
    }


MIGRATED_COPY = pytest.StashKey[str | None]()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The test database; on PostgreSQL, when the load test is to run, also a copy of
    it as the migrations left it (`migrated_database`)."""
    copy = None
    wanted = any(item.get_closest_marker("load") for item in request.session.items)
    # A reused database may hold what earlier runs wrote; one made without
    # migrations has no record of them.
    fresh = not (
        request.config.getoption("reuse_db") or request.config.getoption("nomigrations")
    )
    if wanted and connection.vendor == "postgresql" and fresh:
        with django_db_blocker.unblock():
            copy = migrated_copy_make()
    request.config.stash[MIGRATED_COPY] = copy
    yield
    if copy:
        migrated_copy_drop(copy)


@pytest.fixture(scope="session")
def migrated_database(request, django_db_setup) -> str | None:
    """The name of an untouched copy of the migrated test database, or None."""
    return request.config.stash[MIGRATED_COPY]


class QueryCount:
    """Counts the queries a page makes, to show a listing's count does not grow."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, data: dict | None = None, *, warm: bool = True) -> int:
        """The queries one GET of `url` makes; a first GET warms the caches (site
        settings, site root paths, content types, the menu and footer) so they do not
        count."""
        if warm:
            self.client.get(url, data)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, data)
        assert response.status_code == 200, f"GET {url} gave {response.status_code}"
        return len(captured)

    def assert_same(
        self,
        few_url: str,
        many_url: str,
        data: dict | None = None,
        *,
        at_most: int | None = None,
    ) -> int:
        """The page with few items and the page with many make the same queries."""
        few, many = self.get(few_url, data), self.get(many_url, data)
        assert few == many, (
            f"{few} queries for {few_url} but {many} for {many_url}: "
            "a query runs once per item"
        )
        if at_most is not None:
            assert many <= at_most
        return many

    def assert_unchanged(self, url: str, grow, data: dict | None = None) -> int:
        """`url` makes the same queries before and after `grow()` adds items."""
        few = self.get(url, data)
        grow()
        many = self.get(url, data)
        assert few == many, (
            f"{few} queries for {url} before, {many} after adding items: "
            "a query runs once per item"
        )
        return many


@pytest.fixture(autouse=True)
def caches_empty():
    """Each test starts with empty caches: a test's rows are rolled back after it
    without the events that purge stored pages, chrome and thread pages."""
    from django.core.cache import caches

    from peer_site import page_cache

    caches[page_cache.CACHE_ALIAS].clear()
    caches["default"].clear()


@pytest.fixture
def query_count(client) -> QueryCount:
    """`query_count.assert_same(few_url, many_url)` or
    `query_count.assert_unchanged(url, grow)` for a listing's query count."""
    return QueryCount(client)


@pytest.fixture
def roles(db):
    return role_groups_sync()


@pytest.fixture
def home_page(db):
    """The home page the migrations made; rebuilt when a live-server test flushed it."""
    return wagtail_tree_ensure()


def wagtail_tree_ensure():
    """`live_server` flushes every table, including the rows Wagtail's migrations make,
    so tests that follow one rebuild them."""
    from django.contrib.sites.models import Site as DjangoSite
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage

    if home := HomePage.objects.first():
        return home
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.add_child(
        instance=HomePage(title="Welcome to Peer Support", slug="home")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    DjangoSite.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "localhost"}
    )
    role_groups_sync()
    return home
