"""Site search: the page of results asked for, like `Paginator.get_page` over
Wagtail's `.search()`, best match first.

On PostgreSQL the match and the order are Wagtail's own (its tsquery, its rank, then
the newest page first), but the query starts from the search index
(`peer_site.search_index`), ranks the matching entries once with their count beside
them (Wagtail matches and ranks everything a second time to count), and reads only the
pages shown. Other backends (SQLite in `make run`) go through Wagtail's own query.
"""

import hashlib

from django.core.paginator import Page as ResultsPage
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Window
from modelsearch.query import SearchQuery
from wagtail.models import Page

from peer_site.page_cache import content_cached
from peer_site.search_index import IndexMatch, index_match, indexed

# What a result shows: its title, its description and its address.
RESULT_FIELDS = ("title", "search_description", "url_path")
# A page number past this never reaches the database as an OFFSET.
MAX_PAGE_NUMBER = 100_000


def search_results(
    pages: QuerySet, query: SearchQuery, *, number, per_page: int, name: str
) -> ResultsPage:
    """Page `number` of the `pages` matching `query`, best first; a number that is
    no page gives the first or the last page, as `Paginator.get_page` does.

    On PostgreSQL the page's ids and the number of matches are kept until the next
    content purge (pages published, moved, unpublished or made private), which is
    what changes them, under `name` (which `pages` these are: one name, one set of
    pages), the search and the page number. A page kept is shown without building
    the search or the pages' query again."""
    if not indexed(query):
        return Paginator(pages.search(query), per_page).get_page(number)
    digest = hashlib.sha256(
        repr((name, repr(query), str(number), per_page)).encode()
    ).hexdigest()
    shown, ids, count = content_cached(
        f"search-results:{digest}",
        lambda: _found(index_match(pages, query), number, per_page),
    )
    paginator = Paginator([], per_page)
    paginator.count = count
    return ResultsPage(_pages_in_order(ids), shown, paginator)


def _found(match: IndexMatch, number, per_page: int) -> tuple[int, list[int], int]:
    """The page number shown for `number`, the ids on it, and the matches in all."""
    ranked = _ranked_page_ids(match)
    paginator = Paginator(ranked, per_page)
    try:
        wanted = int(number or 1)
    except (TypeError, ValueError):
        return _ids_on(paginator, 1)
    if not 1 <= wanted <= MAX_PAGE_NUMBER:
        return _ids_on(paginator, paginator.num_pages)
    start = (wanted - 1) * per_page
    found = list(
        ranked.annotate(matches=Window(Count("*"))).values_list("page_id", "matches")[
            start : start + per_page
        ]
    )
    if not found and wanted > 1:
        return _ids_on(paginator, paginator.num_pages)
    return wanted, [page_id for page_id, _ in found], found[0][1] if found else 0


def _ranked_page_ids(match: IndexMatch) -> QuerySet:
    """The matching pages in Wagtail's order, as `page_id`s."""
    return match.entries.order_by(match.rank.desc(), F("page_id").desc()).values(
        "page_id"
    )


def _ids_on(paginator: Paginator, number: int) -> tuple[int, list[int], int]:
    page = paginator.page(number)
    return number, [row["page_id"] for row in page.object_list], paginator.count


def _pages_in_order(ids: list[int]) -> list[Page]:
    by_id = Page.objects.only(*RESULT_FIELDS).in_bulk(ids)
    return [by_id[page_id] for page_id in ids if page_id in by_id]
