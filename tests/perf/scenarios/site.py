"""The home page, an information page and site search over a few hundred
information pages."""

from home.models import HomePage, StandardPage
from peer_site import page_cache

PAGES = 300


def build() -> None:
    home = HomePage.objects.get()
    for number in range(PAGES):
        home.add_child(
            instance=StandardPage(
                title=f"Information page {number}",
                slug=f"info-{number}",
                intro="Coping with low mood, sleep and anxiety.",
            )
        )


def measurements(client):
    return [
        ("home page", lambda: client.get("/")),
        ("information page", lambda: client.get("/info-150/")),
        ("site search", lambda: client.get("/search/", {"query": "sleep"})),
        (
            "site search, nothing kept (just after a content change)",
            lambda: search_after_a_purge(client),
        ),
    ]


def search_after_a_purge(client):
    """What the first visitor after a content change waits for."""
    page_cache.purge()
    return client.get("/search/", {"query": "sleep"})
