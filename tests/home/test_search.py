"""Site search: which pages a visitor finds, in what order, a page at a time.

On PostgreSQL the view ranks the search index itself (`home.search`); these tests
hold it to what Wagtail's own `.search()` answers."""

import re

import pytest
from django.core.paginator import Paginator
from wagtail.models import Page
from wagtail.search.utils import parse_query_string

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def titles_found(client, query: str, page: str | None = None) -> list[str]:
    data = {"query": query} | ({"page": page} if page else {})
    html = client.get("/search/", data).content.decode()
    return re.findall(r'<h2 class="h5"><a href="[^"]*">([^<]*)</a>', html)


def info_page(parent, title: str, intro: str = "") -> StandardPage:
    return parent.add_child(
        instance=StandardPage(
            title=title, slug=title.lower().replace(" ", "-"), intro=intro
        )
    )


def wagtails_own_order(query: str, number: int) -> list[str]:
    _filters, parsed = parse_query_string(query)
    found = Page.objects.live().search(parsed)
    return [page.title for page in Paginator(found, 10).get_page(number)]


def test_search_lists_pages_in_wagtails_order_ten_at_a_time(client, home_page):
    for number in range(7):
        info_page(home_page, f"Page {number} about rest", "Sleep and low mood.")
    info_page(home_page, "Sleep diary", "Keep a note each night.")
    info_page(home_page, "Sleep and sleep hygiene", "Better sleep.")
    info_page(home_page, "Night worries", "When sleep will not come.")
    info_page(home_page, "Naps", "Short sleep in the day.")
    info_page(home_page, "Walking", "Fresh air helps.")

    first, second = titles_found(client, "sleep"), titles_found(client, "sleep", "2")

    assert first == wagtails_own_order("sleep", 1)
    assert second == wagtails_own_order("sleep", 2)
    assert len(first) == 10 and len(second) == 1
    assert "Walking" not in first + second


def test_search_pages_past_the_end_show_the_last_page(client, home_page):
    for number in range(12):
        info_page(home_page, f"Sleep page {number}")

    html = client.get("/search/", {"query": "sleep", "page": "7"}).content.decode()

    assert "Page 2 of 2" in html
    last = titles_found(client, "sleep", "2")
    assert titles_found(client, "sleep", "7") == last
    assert titles_found(client, "sleep", "-1") == last
    assert titles_found(client, "sleep", "999999") == last
    assert titles_found(client, "sleep", "abc") == titles_found(client, "sleep")


def test_search_needs_every_word_somewhere_in_the_page(client, home_page):
    info_page(home_page, "Sleep diary", "Notes on anxiety at night.")
    info_page(home_page, "Sleep tips", "Notes on routine.")

    assert titles_found(client, "sleep anxiety") == ["Sleep diary"]
    assert titles_found(client, '"sleep tips"') == ["Sleep tips"]


def test_search_with_no_match_says_so(client, home_page):
    info_page(home_page, "Sleep diary")

    html = client.get("/search/", {"query": "gardening"}).content.decode()

    assert "Nothing matched" in html
    assert titles_found(client, "gardening") == []


def test_search_queries_do_not_grow_from_five_results_to_fifty(
    client, home_page, query_count
):
    for number in range(5):
        info_page(home_page, f"Sleep page {number}")

    def forty_five_more():
        for number in range(5, 50):
            info_page(home_page, f"Sleep page {number}")

    query_count.assert_unchanged("/search/?query=sleep", forty_five_more)
    assert len(titles_found(client, "sleep", "5")) == 10


@pytest.mark.postgres  # Wagtail's own search (SQLite) is not kept
def test_a_search_is_ranked_once_until_a_page_is_published_or_unpublished(
    client, home_page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    diary = info_page(home_page, "Sleep diary")
    assert titles_found(client, "sleep") == ["Sleep diary"]
    with CaptureQueriesContext(connection) as captured:
        assert titles_found(client, "sleep") == ["Sleep diary"]
    index_reads = [q for q in captured if "wagtailsearch_indexentry" in q["sql"]]
    assert not index_reads, "the same search is not ranked again"

    info_page(home_page, "Sleep tips")
    assert sorted(titles_found(client, "sleep")) == ["Sleep diary", "Sleep tips"]

    diary.unpublish()
    assert titles_found(client, "sleep") == ["Sleep tips"]
