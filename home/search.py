"""Site search: the page of results asked for, like `Paginator.get_page` over
Wagtail's `.search()`, best match first.

On PostgreSQL the match and the order are Wagtail's own (its tsquery, its rank, then
the newest page first), but the query starts from the search index
(`peer_site.search_index`), ranks the matching entries once with their count beside
them (Wagtail matches and ranks everything a second time to count), and reads only the
pages shown. Other backends (SQLite in `make run`) go through Wagtail's own query.
"""

from django.core.paginator import Page as ResultsPage
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Window
from modelsearch.query import SearchQuery
from wagtail.models import Page

from peer_site.search_index import IndexMatch, index_match

# What a result shows: its title, its description and its address.
RESULT_FIELDS = ("title", "search_description", "url_path")
# A page number past this never reaches the database as an OFFSET.
MAX_PAGE_NUMBER = 100_000


def search_results(
    pages: QuerySet, query: SearchQuery, *, number, per_page: int
) -> ResultsPage:
    """Page `number` of the `pages` matching `query`, best first; a number that is
    no page gives the first or the last page, as `Paginator.get_page` does."""
    match = index_match(pages, query)
    if match is None:
        return Paginator(pages.search(query), per_page).get_page(number)
    ranked = _ranked_page_ids(match)
    paginator = Paginator(ranked, per_page)
    try:
        wanted = int(number or 1)
    except (TypeError, ValueError):
        return _page_of(paginator, 1)
    if not 1 <= wanted <= MAX_PAGE_NUMBER:
        return _page_of(paginator, paginator.num_pages)
    start = (wanted - 1) * per_page
    found = list(
        ranked.annotate(matches=Window(Count("*"))).values_list("page_id", "matches")[
            start : start + per_page
        ]
    )
    if not found and wanted > 1:
        return _page_of(paginator, paginator.num_pages)
    paginator.count = found[0][1] if found else 0
    return ResultsPage(
        _pages_in_order([page_id for page_id, _ in found]), wanted, paginator
    )


def _ranked_page_ids(match: IndexMatch) -> QuerySet:
    """The matching pages in Wagtail's order, as `page_id`s."""
    return match.entries.order_by(match.rank.desc(), F("page_id").desc()).values(
        "page_id"
    )


def _page_of(paginator: Paginator, number: int) -> ResultsPage:
    page = paginator.page(number)
    page.object_list = _pages_in_order([row["page_id"] for row in page.object_list])
    return page


def _pages_in_order(ids: list[int]) -> list[Page]:
    by_id = Page.objects.only(*RESULT_FIELDS).in_bulk(ids)
    return [by_id[page_id] for page_id in ids if page_id in by_id]
