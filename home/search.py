"""Site search: the page of results asked for, like `Paginator.get_page` over
Wagtail's `.search()`, best match first.

On PostgreSQL the match and the order are Wagtail's own (its tsquery, its rank, then
the newest page first), but the query starts from the search index. Wagtail's joins
every page to every matching index entry through a text cast of the page's id, which
the planner cannot estimate, so it compares every pair (90,000 pairs for 300 matches),
and it then matches and ranks everything a second time to count. Here the matching
entries are ranked once, with their count beside them, and only the pages shown are
read. Other backends (SQLite in `make run`) go through Wagtail's own query.
"""

from django.core.paginator import Page as ResultsPage
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, QuerySet, Window
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.query import MatchAll, SearchQuery
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

# What a result shows: its title, its description and its address.
RESULT_FIELDS = ("title", "search_description", "url_path")
# A page number past this never reaches the database as an OFFSET.
MAX_PAGE_NUMBER = 100_000


def search_results(
    pages: QuerySet, query: SearchQuery, *, number, per_page: int
) -> ResultsPage:
    """Page `number` of the `pages` matching `query`, best first; a number that is
    no page gives the first or the last page, as `Paginator.get_page` does."""
    backend = get_search_backend()
    if not isinstance(backend, PostgresSearchBackend) or isinstance(query, MatchAll):
        return Paginator(pages.search(query), per_page).get_page(number)
    ranked = _ranked_page_ids(backend, pages, query)
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


def _ranked_page_ids(backend, pages: QuerySet, query: SearchQuery) -> QuerySet:
    """The index entries of `pages` that match, in Wagtail's order, as `page_id`s."""
    compiler = backend.query_compiler_class(pages, query)
    config = compiler.get_config(backend)
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    rank = (
        compiler.build_tsrank(F("title"), compiler.query, config=config)
        * F("title_norm")
        + compiler.build_tsrank(F("body"), compiler.query, config=config) * 1.0
    )
    return (
        IndexEntry.objects.filter(
            content_type_id__in=get_descendants_content_types_pks(Page)
        )
        .annotate(
            page_id=Cast("object_id", IntegerField()),
            _vector_=F("title")._combine(F("body"), "||", False),
        )
        .filter(_vector_=tsquery, page_id__in=pages.values("pk"))
        .order_by(rank.desc(), F("page_id").desc())
        .values("page_id")
    )


def _page_of(paginator: Paginator, number: int) -> ResultsPage:
    page = paginator.page(number)
    page.object_list = _pages_in_order([row["page_id"] for row in page.object_list])
    return page


def _pages_in_order(ids: list[int]) -> list[Page]:
    by_id = Page.objects.only(*RESULT_FIELDS).in_bulk(ids)
    return [by_id[page_id] for page_id in ids if page_id in by_id]
