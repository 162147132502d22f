"""`make bench`: build a large database, time the pages that list things, and report.

Each scenario module in `tests.perf.scenarios` has `build()` (fill the database once)
and `measurements()` (label and a zero-argument callable to time). Every figure is also
given as a ratio to a bare Django view timed in the same process and run, so the report
compares like with like on any machine. The report goes to `bench-report.md`.
"""

import os
import statistics
import sys
import time
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
REPEATS = int(os.environ.get("BENCH_REPEATS", "40"))


def timed(call, repeats: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = call()  # warm caches and lazy imports
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise RuntimeError(f"benchmark call answered {status}, not 200")
    times = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return times, queries


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings.test")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.ROOT_URLCONF = "tests.perf.urls"
    settings.DEBUG = False
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
        bare_times, _ = timed(lambda: client.get("/bench/bare/"), REPEATS)
        bare_median, bare_p95 = statistics.median(bare_times), p95(bare_times)
        rows = []
        extra = []
        for dotted in SCENARIOS:
            scenario = import_module(dotted)
            started = time.perf_counter()
            scenario.build()
            build_seconds = time.perf_counter() - started
            for label, call in scenario.measurements(client):
                times, queries = timed(call, REPEATS)
                rows.append(
                    (
                        label,
                        statistics.median(times),
                        p95(times),
                        queries,
                        p95(times) / bare_p95,
                    )
                )
            rows.append((f"(built {dotted.rsplit('.', 1)[-1]})", build_seconds * 1000))
            if hasattr(scenario, "report"):  # figures that are not page timings
                extra += scenario.report()
        write_report(rows, bare_median, bare_p95, extra)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    sys.stdout.write(REPORT.read_text())
    return 0


def write_report(rows, bare_median: float, bare_p95: float, extra=()) -> None:
    from django.db import connection

    lines = [
        "# Benchmark report",
        "",
        f"Database: {connection.vendor}; {REPEATS} requests per row; times in ms.",
        f"Bare Django view: median {bare_median:.2f}, p95 {bare_p95:.2f}.",
        "",
        "| what | median | p95 | queries | p95 / bare p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        if len(row) == 2:
            lines.append(f"| {row[0]} | build {row[1]:.0f} ms | | | |")
        else:
            label, median, p95_ms, queries, ratio = row
            lines.append(
                f"| {label} | {median:.2f} | {p95_ms:.2f} | {queries} | {ratio:.1f}x |"
            )
    lines += list(extra)
    REPORT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
