"""`make bench`: build a large database, time the pages that list things, and report.

Each scenario module in `tests.perf.scenarios` has `build()` (fill the database once),
`measurements(client)` (label and a zero-argument callable to time) and optionally
`report()` (extra lines for figures that are not page timings). The report goes to
`bench-report.md`.

The machine may be busy with other work, so each measured call is paired with a call
to a bare Django view made just before it, and the report gives the median of the
per-pair ratios beside the times: a burst of load slows both calls of a pair and
cancels out of its ratio. Queries are counted by a wrapper around every execution,
which (unlike `CaptureQueriesContext`, whose log keeps only the last 9,000) never
runs out of room. After each scenario is built, what is in memory is frozen out of
the garbage collector's full passes, as the production server does once it has
loaded the app; otherwise a page that makes many objects pays for scanning the whole
process, the bench's built data included, on every other call.
"""

import gc
import os
import statistics
import sys
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import django

REPORT = Path(__file__).resolve().parents[2] / "bench-report.md"
SCENARIOS = [
    "tests.perf.scenarios.site",
    "tests.perf.scenarios.groups",
    "tests.perf.scenarios.courses",
    "tests.perf.scenarios.rotas",
    "tests.perf.scenarios.discussion",
    "tests.perf.scenarios.safeguarding",
    "tests.perf.scenarios.cached",
]
if os.environ.get("BENCH_SCENARIOS"):
    # For example BENCH_SCENARIOS=site,discussion: only those, in that order.
    SCENARIOS = [
        f"tests.perf.scenarios.{name.strip()}"
        for name in os.environ["BENCH_SCENARIOS"].split(",")
    ]
REPEATS = int(os.environ.get("BENCH_REPEATS", "40"))


class QueryCounter:
    """`with QueryCounter() as counted:` ... `counted.n`: every query the default
    connection runs inside the block, however many."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapped.__exit__(*exc)


@dataclass(frozen=True)
class Timing:
    times: list[float]  # ms, the measured call
    bare_times: list[float]  # ms, the bare view called just before each
    queries: int  # the first call's, caches cold
    warm_queries: int  # a call's once the first has filled the caches

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return p95(self.times)

    @property
    def bare_median(self) -> float:
        return statistics.median(self.bare_times)

    @property
    def ratios(self) -> list[float]:
        return [t / b for t, b in zip(self.times, self.bare_times, strict=True)]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def p95_ratio(self) -> float:
        return p95(self.ratios)


def timed(call, bare, repeats: int) -> Timing:
    """Time `call` `repeats` times, each right after a call to `bare`; count the
    queries of the first call and of one more after them."""
    with QueryCounter() as counted:
        response = call()  # also warms caches and lazy imports
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise RuntimeError(f"benchmark call answered {status}, not 200")
    bare()
    times, bare_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        bare()
        middle = time.perf_counter()
        call()
        ended = time.perf_counter()
        bare_times.append((middle - started) * 1000)
        times.append((ended - middle) * 1000)
    with QueryCounter() as warm:
        call()
    return Timing(
        times=times, bare_times=bare_times, queries=counted.n, warm_queries=warm.n
    )


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings.test")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.ROOT_URLCONF = "tests.perf.urls"
    settings.DEBUG = False
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        production_caches_use(settings, redis_url)
    setup_test_environment()
    if connection.vendor == "sqlite":
        # Its own file, so a bench never clobbers a test run's database.
        connection.settings_dict["TEST"]["NAME"] = str(
            settings.BASE_DIR / ".pytest-db-bench.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client

        client = Client()

        def bare():
            return client.get("/bench/bare/")

        rows = []
        extra = []
        for dotted in SCENARIOS:
            scenario = import_module(dotted)
            started = time.perf_counter()
            scenario.build()
            build_seconds = time.perf_counter() - started
            if connection.vendor == "postgresql":
                # A live database has planner statistics and its dead rows cleared;
                # a freshly filled one has neither until autovacuum (which may be
                # off) gets to it. After each write Wagtail's search index rewrites
                # every entry whose title weight is still the default (here nearly
                # all), so without this a search reads tens of thousands of dead rows.
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            # As gunicorn does after loading the app (gunicorn.conf.py): what is
            # loaded already stays out of the collector's full passes.
            gc.collect()
            gc.freeze()
            for label, call in scenario.measurements(client):
                rows.append((label, timed(call, bare, REPEATS)))
            rows.append((f"(built {dotted.rsplit('.', 1)[-1]})", build_seconds * 1000))
            if hasattr(scenario, "report"):
                extra += scenario.report()
        write_report(rows, extra)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    sys.stdout.write(REPORT.read_text())
    return 0


def production_caches_use(settings, redis_url: str) -> None:
    """As `peer_site.settings.production` does: every cache, sessions too, in Redis
    (the one database in `redis_url`, emptied first, each cache under a prefix of
    its own), so a cached page pays Redis's round trips as it does in production."""
    from django.core.cache import caches
    from django.test.utils import override_settings

    override_settings(  # through Django's signal, which resets the cache handlers
        CACHES={
            alias: {
                "BACKEND": "peer_site.redis_cache.PooledRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": f"bench-{alias}",
            }
            for alias in settings.CACHES
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
    ).enable()
    caches["default"].clear()


def report_table(rows) -> list[str]:
    lines = [
        "| what | median | p95 | bare median | queries (first / warm) "
        "| ratio (median of pairs) "
        "| ratio p95 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, timing in rows:
        if not isinstance(timing, Timing):
            lines.append(f"| {label} | build {timing:.0f} ms | | | | | |")
            continue
        lines.append(
            f"| {label} | {timing.median:.2f} | {timing.p95:.2f} | "
            f"{timing.bare_median:.2f} | "
            f"{timing.queries:,} / {timing.warm_queries:,} | "
            f"{timing.median_ratio:.1f}x | {timing.p95_ratio:.1f}x |"
        )
    return lines


def write_report(rows, extra=()) -> None:
    from django.db import connection

    lines = [
        "# Benchmark report",
        "",
        f"Database: {connection.vendor}; {REPEATS} requests per row, each paired "
        "with a bare Django view called just before it; times in ms. The ratios are "
        "measured call / bare call within each pair.",
        "",
        *report_table(rows),
        *extra,
    ]
    REPORT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
