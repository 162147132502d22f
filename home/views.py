from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page
from wagtail.search.utils import MATCH_NONE, parse_query_string

from peer_site.public_pages import public
from peer_support.spaces.selectors import unlisted_space_ids

from .search import search_results

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("query", "").strip()[:MAX_QUERY_LENGTH]
    # Parsed, not passed raw: the search backends hand raw text to the database's
    # full-text syntax, where an unbalanced quote is an error.
    _filters, parsed = parse_query_string(query, zero_terms=MATCH_NONE)
    number = request.GET.get("page")
    if query and parsed is not MATCH_NONE:
        # Plain pages: a result shows only the title, description and address,
        # which every page has, so no query per page type builds the specific ones.
        pages = public(Page.objects.live()).exclude(pk__in=unlisted_space_ids())
        results = search_results(
            pages,
            parsed,
            number=number,
            per_page=RESULTS_PER_PAGE,
            name="site-search:public-pages",
        )
    else:
        results = Paginator(Page.objects.none(), RESULTS_PER_PAGE).get_page(number)
    return render(request, "search.html", {"query": query, "results": results})
