"""Build group finders and groups for tests, e2e and the benchmark."""

from datetime import date, time
from decimal import Decimal

from peer_support.groups.models import (
    GroupFormat,
    GroupIndexPage,
    GroupPage,
    Topic,
    Venue,
)


def finder_make(home, *, slug="groups") -> GroupIndexPage:
    return home.add_child(instance=GroupIndexPage(title="Find a group", slug=slug))


def topic_make(name: str) -> Topic:
    return Topic.objects.get_or_create(
        slug=name.lower().replace(" ", "-"), defaults={"name": name}
    )[0]


def venue_make(town="Leeds", lat="53.800", lng="-1.549", **extra) -> Venue:
    return Venue.objects.create(
        name=extra.pop("name", f"{town} Community Centre"),
        address=extra.pop("address", f"12 Secret Street, {town} LS1 1AA"),
        town=town,
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        **extra,
    )


def group_make(finder, *, title="Hearing Voices", topics=(), **fields) -> GroupPage:
    defaults = {
        "slug": fields.pop("slug", None) or title.lower().replace(" ", "-"),
        "summary": f"{title}: a peer support group.",
        "format": GroupFormat.ONLINE,
        "meeting_link": "https://meet.example.org/secret-room",
        "weekday": 2,
        "start_time": time(19, 0),
        "duration_minutes": 90,
        "starts_on": date(2026, 1, 1),
    }
    defaults.update(fields)
    group = finder.add_child(instance=GroupPage(title=title, **defaults))
    if topics:
        group.topics.set(topics)
        group.save_revision().publish()
    return group
