from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from peer_support.spaces.selectors import unlisted_space_ids

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("query", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live()
            .public()
            .exclude(pk__in=unlisted_space_ids())
            .specific()
            .search(query)
        )
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "search.html", {"query": query, "results": page})
