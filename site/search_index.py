"""Matching pages on PostgreSQL by starting from Wagtail's search index.

Wagtail's PostgreSQL backend joins every page to every matching index entry through a
text cast of the page's id, which the planner cannot estimate, so it compares every
pair (90,000 pairs for 300 matches). Here the matching entries are found first, with
Wagtail's own tsquery and rank, and pages are joined by their numeric id. Other
backends (SQLite in `make run`) have no such index: `index_match` gives None and the
caller goes through Wagtail's `.search()`.
"""

from dataclasses import dataclass

from django.db.models import Expression, F, IntegerField, QuerySet
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.query import MatchAll, SearchQuery
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry


@dataclass(frozen=True)
class IndexMatch:
    entries: QuerySet  # the matching index entries of the pages, with `page_id`
    rank: Expression  # Wagtail's relevance for an entry, best highest


def index_match(pages: QuerySet, query: SearchQuery) -> IndexMatch | None:
    """The index entries of `pages` that match `query`; None where the search backend
    is not PostgreSQL's, or the query matches everything."""
    backend = get_search_backend()
    if not isinstance(backend, PostgresSearchBackend) or isinstance(query, MatchAll):
        return None
    compiler = backend.query_compiler_class(pages, query)
    config = compiler.get_config(backend)
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    rank = (
        compiler.build_tsrank(F("title"), compiler.query, config=config)
        * F("title_norm")
        + compiler.build_tsrank(F("body"), compiler.query, config=config) * 1.0
    )
    entries = (
        IndexEntry.objects.filter(
            content_type_id__in=get_descendants_content_types_pks(Page)
        )
        .annotate(
            page_id=Cast("object_id", IntegerField()),
            _vector_=F("title")._combine(F("body"), "||", False),
        )
        .filter(_vector_=tsquery, page_id__in=pages.values("pk"))
    )
    return IndexMatch(entries=entries, rank=rank)
