"""The anonymous public pages the other scenarios built, served from the page cache
(`peer_site.page_cache`), warm: the timing loop's first call stores each page.

The test settings keep the cache off so the other rows time the pages themselves;
each call here turns it on for itself only, so the order of the rows never matters.
"""

from django.conf import settings
from django.test import Client

from home.models import StandardPage
from peer_support.courses.models import CourseIndexPage, CoursePage
from peer_support.groups.models import GroupIndexPage, GroupPage

SECONDS = 300
state = {}


def build() -> None:
    finder = GroupIndexPage.objects.get(slug="groups").url
    state["pages"] = [
        ("home page", "/", None),
        ("information page", StandardPage.objects.get(slug="info-0").url, None),
        ("group finder, no filter", finder, None),
        (
            "group finder, two filters",
            finder,
            {"topic": "anxiety", "time": "evening"},
        ),
        ("group finder, text search", finder, {"q": "sleep"}),
        ("group page", GroupPage.objects.get(slug="group-500").url, None),
        (
            "course list (50 courses)",
            CourseIndexPage.objects.get(slug="bench-courses").url,
            None,
        ),
        ("course page", CoursePage.objects.get(slug="course-25").url, None),
    ]


def cached_get(client: Client, url: str, data: dict | None):
    def call():
        previous = settings.PAGE_CACHE_SECONDS
        settings.PAGE_CACHE_SECONDS = SECONDS
        try:
            return client.get(url, data)
        finally:
            settings.PAGE_CACHE_SECONDS = previous

    return call


def measurements(client):
    visitor = Client()  # anonymous, whatever other scenarios did with theirs
    return [
        (f"from cache: {label}", cached_get(visitor, url, data))
        for label, url, data in state["pages"]
    ]
