"""The bench's own arithmetic: queries counted past Django's 9,000-entry log, and
each measured call paired with a bare one."""

import pytest
from django.db import connection

from tests.perf.bench import QueryCounter, report_table, timed

pytestmark = pytest.mark.django_db


def test_query_counter_counts_past_the_query_log_limit():
    with QueryCounter() as counted, connection.cursor() as cursor:
        for _ in range(9_500):
            cursor.execute("SELECT 1")
    assert counted.n == 9_500


def test_each_call_is_paired_with_a_bare_call_and_reported_as_a_ratio():
    calls = []

    def bare():
        calls.append("bare")

    def measured():
        calls.append("measured")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")

    timing = timed(measured, bare, 4)
    # one warming call of each, bare-measured pairs, one call counting warm queries
    assert calls == ["measured", "bare"] + ["bare", "measured"] * 4 + ["measured"]
    assert timing.queries == timing.warm_queries == 2
    assert len(timing.times) == len(timing.bare_times) == len(timing.ratios) == 4
    row = report_table([("a page", timing), ("(built it)", 1234.0)])
    assert row[2].startswith("| a page |") and row[2].endswith("x |")
    assert row[3] == "| (built it) | build 1234 ms | | | | | |"


def test_queries_are_reported_for_the_first_call_and_once_caches_are_warm():
    cache = {}

    def measured():
        if "page" not in cache:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            cache["page"] = "built"

    timing = timed(measured, lambda: None, 2)
    assert (timing.queries, timing.warm_queries) == (1, 0)
    assert "| 1 / 0 |" in report_table([("a cached page", timing)])[2]


def test_a_call_that_does_not_answer_200_stops_the_bench():
    class Response:
        status_code = 500

    with pytest.raises(RuntimeError, match="answered 500"):
        timed(lambda: Response(), lambda: None, 2)
