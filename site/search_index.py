"""Matching pages on PostgreSQL by starting from Wagtail's search index.

Wagtail's PostgreSQL backend joins every page to every matching index entry through a
text cast of the page's id, which the planner cannot estimate, so it compares every
pair (90,000 pairs for 300 matches). Here the matching entries are found first, with
Wagtail's own tsquery and rank, and pages are joined by their numeric id. Other
backends (SQLite in `make run`) have no such index: these functions give None and
the caller goes through Wagtail's `.search()`.

Wagtail matches a query against an entry's title and body joined into one vector,
which PostgreSQL has no statistics for: it guesses a handful of matches, and a word
found in nearly every entry then costs a nested loop per entry. Each word that must
match is tested against the title and the body columns instead, which is the same
match for words and their alternatives, and which the planner can estimate.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Expression, F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.query import And, MatchAll, Or, PlainText, SearchQuery
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

# How Wagtail's PostgreSQL backend splits a plain-text search into words.
WORD_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class IndexMatch:
    entries: QuerySet  # the matching index entries of the pages, with `page_id`
    rank: Expression  # Wagtail's relevance for an entry, best highest


def index_match(pages: QuerySet, query: SearchQuery) -> IndexMatch | None:
    """The index entries of `pages` that match `query`, with Wagtail's rank; None
    where the search backend is not PostgreSQL's, or the query matches everything."""
    found = _compiler(pages, query)
    if found is None:
        return None
    compiler, config = found
    rank = (
        compiler.build_tsrank(F("title"), compiler.query, config=config)
        * F("title_norm")
        + compiler.build_tsrank(F("body"), compiler.query, config=config) * 1.0
    )
    entries = _matching_entries(compiler, config, Page).filter(
        page_id__in=pages.values("pk")
    )
    return IndexMatch(entries=entries, rank=rank)


def matching_page_ids(pages: QuerySet, query: SearchQuery) -> QuerySet | None:
    """The ids (`page_id`) of the pages of `pages`' model that match `query`, live
    or not and wherever they are, for a query that narrows `pages` itself (as
    `pk__in=`); None as for `index_match`."""
    found = _compiler(pages, query)
    if found is None:
        return None
    compiler, config = found
    return _matching_entries(compiler, config, pages.model).values("page_id")


def indexed(query: SearchQuery) -> bool:
    """Whether the search index answers `query` here: the backend is PostgreSQL's
    and the query does not match everything."""
    backend = get_search_backend()
    return isinstance(backend, PostgresSearchBackend) and not isinstance(
        query, MatchAll
    )


def _compiler(pages: QuerySet, query: SearchQuery):
    """Wagtail's PostgreSQL query compiler for `query` and its text search
    configuration, or None."""
    if not indexed(query):
        return None
    backend = get_search_backend()
    compiler = backend.query_compiler_class(pages, query)
    return compiler, compiler.get_config(backend)


def _matching_entries(compiler, config, model) -> QuerySet:
    matches = []
    for term in _terms_each_required(compiler.query):
        tsquery = compiler.build_tsquery(term, config=config)
        if _matches_field_by_field(term):
            matches.append(Q(title=tsquery) | Q(body=tsquery))
        else:
            matches.append(Q(_vector_=tsquery))
    return (
        IndexEntry.objects.filter(
            content_type_id__in=get_descendants_content_types_pks(model)
        )
        .annotate(page_id=Cast("object_id", IntegerField()))
        .alias(_vector_=F("title")._combine(F("body"), "||", False))
        .filter(reduce(and_, matches))
    )


def _terms_each_required(query: SearchQuery) -> list[SearchQuery]:
    """The parts of `query` an entry must match all of."""
    if isinstance(query, And):
        return [
            term for part in query.subqueries for term in _terms_each_required(part)
        ]
    if isinstance(query, PlainText) and query.operator == "and":
        words = [word for word in WORD_SEPARATORS.split(query.query_string) if word]
        if len(words) > 1:
            return [PlainText(word, boost=query.boost) for word in words]
    return [query]


def _matches_field_by_field(term: SearchQuery) -> bool:
    """Whether `term` matches the title and body joined exactly when it matches one
    of them: a word, or words any one of which will do. A phrase (it may run from
    the title into the body) or a negation does not."""
    if isinstance(term, PlainText):
        words = [word for word in WORD_SEPARATORS.split(term.query_string) if word]
        return len(words) <= 1 or term.operator == "or"
    if isinstance(term, Or):
        return all(_matches_field_by_field(part) for part in term.subqueries)
    return False
