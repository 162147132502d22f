"""`make load`, small: 5 users for 10 s on the production stack, so the harness cannot
rot. No timing is asserted here (too noisy on a shared machine); `make load` does."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.perf import load

EVERY_PAGE = {
    "home",
    "static file",
    "finder",
    "finder, filters",
    "finder, search",
    "group page",
    "sign in (form)",
    "sign in",
    "my groups",
    "group page (member)",
    "conversations",
    "conversation",
    "join a group (form)",
    "join a group",
    "my shifts",
    "availability",
    "rota coverage",
}


def databases_named(name: str) -> list[str]:
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname = %s", [name]
        )
        return [row[0] for row in rows]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.load
def test_small_load_run_requests_every_page_without_errors_and_cleans_up(
    migrated_database,
):
    database = f"{settings.DATABASES['default']['NAME']}_loadsmoke"

    # On a busy machine a visitor's first round of pages can outlast the 10 s: it may
    # finish (`grace`), so that every page is requested however slow the machine.
    result = load.run(
        users=5,
        seconds=10,
        grace=45,
        groups=12,
        web_workers=2,
        database=database,
        think="0.2,1",
        template=migrated_database,
    )

    assert result.errors == 0, result.summary()
    assert result.failures == [], result.summary()
    requested = {page.name for page in result.pages if page.requests}
    assert requested >= EVERY_PAGE, f"never requested: {EVERY_PAGE - requested}"
    assert len(result.process_groups) == 5  # collectstatic, build, celery, web, locust
    still_running = [g for g in result.process_groups if load.group_alive(g)]
    assert still_running == [], f"process groups left running: {still_running}"
    assert databases_named(database) == []


def test_load_refuses_any_target_but_this_machine():
    with pytest.raises(load.LoadError, match="127.0.0.1 only"):
        load.run(host="10.0.0.5")


def test_load_refuses_a_database_on_another_machine(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example.org/peer")

    with pytest.raises(load.LoadError, match="DATABASE_URL must be on this machine"):
        load.run()


def page(name: str, p95_ms: float, failures: int = 0) -> load.PageStats:
    return load.PageStats(
        name=name,
        requests=10,
        failures=failures,
        per_second=1.0,
        median_ms=p95_ms / 2,
        p95_ms=p95_ms,
    )


def test_result_fails_on_a_page_over_300_ms_at_p95():
    result = load.LoadResult(users=1, seconds=1, pages=[page("finder", 310)])

    assert not result.passed
    assert "Over the p95 budget: finder." in result.summary()
    assert result.summary().rstrip().endswith("FAIL")


def test_result_fails_on_any_failed_request():
    result = load.LoadResult(users=1, seconds=1, pages=[page("home", 20, failures=1)])

    assert not result.passed
    assert "1 failed" in result.summary()


def test_result_holds_signing_in_to_the_same_budget_as_every_page():
    fast = load.LoadResult(
        users=1, seconds=1, pages=[page("home", 290), page("sign in", 290)]
    )
    slow_sign_in = load.LoadResult(
        users=1, seconds=1, pages=[page("home", 290), page("sign in", 310)]
    )

    assert fast.passed
    assert fast.summary().rstrip().endswith("PASS")
    assert not slow_sign_in.passed
    assert "Over the p95 budget: sign in." in slow_sign_in.summary()
