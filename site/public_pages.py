"""Wagtail's `.public()` without its query: `PageQuerySet.public()` reads every view
restriction each time it is called (two or three times a page: the menu, the finder,
the home page's sections). The restricted pages are kept here until the next content
purge (`peer_site.page_cache`: adding, changing or removing a restriction purges, and
so do moving and deleting pages), and the same filter Wagtail builds is built from them.
"""

from django.db.models import Q, QuerySet
from wagtail.models import Page, PageViewRestriction

from .page_cache import content_cached


def _restricted_pages() -> list[Page]:
    return [
        Page(pk=page_id, path=path, depth=depth)
        for page_id, path, depth in PageViewRestriction.objects.values_list(
            "page_id", "page__path", "page__depth"
        )
    ]


def public(queryset: QuerySet) -> QuerySet:
    """`queryset.public()`: pages in no private section."""
    private = Q()
    for page in content_cached("restricted-pages", _restricted_pages):
        private |= queryset.descendant_of_q(page, inclusive=True)
    return queryset.exclude(private) if private else queryset
