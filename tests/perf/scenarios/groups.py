"""The group finder, a group page and the home page over 1,000 groups.

Pages are added one by one through treebeard (paths must be right), without revisions;
topics and memberships go in with `bulk_create`.
"""

from datetime import date, time
from decimal import Decimal

from home import demo as home_demo
from home.models import HomePage
from peer_site import page_cache
from peer_support.accounts.models import User
from peer_support.groups.models import (
    GroupCancelledDate,
    GroupFormat,
    GroupIndexPage,
    GroupPage,
    Topic,
    Venue,
)
from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus

GROUPS = 1000
TOWNS = [
    ("Leeds", "53.80", "-1.55"),
    ("York", "53.96", "-1.09"),
    ("Manchester", "53.48", "-2.24"),
    ("Bristol", "51.45", "-2.59"),
    ("Newcastle", "54.97", "-1.61"),
    ("Sheffield", "53.38", "-1.47"),
    ("Norwich", "52.63", "1.30"),
    ("Exeter", "50.72", "-3.53"),
]
TOPICS = ["Hearing voices", "Anxiety", "Bipolar", "Carers", "Walking", "Creative"]
FORMATS = [GroupFormat.ONLINE, GroupFormat.IN_PERSON, GroupFormat.HYBRID]
POLICIES = [JoinPolicy.OPEN, JoinPolicy.REQUEST, JoinPolicy.CLOSED, JoinPolicy.INVITE]

state = {}


def build(*, finder: GroupIndexPage | None = None, count: int = GROUPS) -> None:
    """`count` groups under `finder` (a new one under the home page by default);
    topics are shared with any that already exist, as in the demo content."""
    if finder is None:
        finder = HomePage.objects.get().add_child(
            instance=GroupIndexPage(title="Find a group", slug="groups")
        )
    venues = [
        Venue.objects.create(
            name=f"{town} Centre",
            address=f"1 High Street, {town}",
            town=town,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
        )
        for town, lat, lng in TOWNS
    ]
    topics = [
        Topic.objects.get_or_create(
            slug=name.lower().replace(" ", "-"), defaults={"name": name}
        )[0]
        for name in TOPICS
    ]
    members = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", pseudonym=f"Bench {n}") for n in range(50)
    )
    through = GroupPage.topics.through
    links, memberships, cancelled = [], [], []
    for number in range(count):
        group_format = FORMATS[number % 3]
        group = finder.add_child(
            instance=GroupPage(
                title=f"Peer group {number:04d}",
                slug=f"group-{number}",
                summary="Support with anxiety, low mood and sleep.",
                format=group_format,
                venue=None
                if group_format == GroupFormat.ONLINE
                else venues[number % len(venues)],
                meeting_link="https://meet.example.org/room",
                weekday=number % 7,
                start_time=time(9 + number % 12, 0),
                starts_on=date(2026, 1, 1),
                join_policy=POLICIES[number % 4],
                capacity=12 if number % 2 else None,
            )
        )
        links.append(through(grouppage_id=group.pk, topic_id=topics[number % 6].pk))
        for offset in range(number % 3):
            memberships.append(
                Membership(
                    space_id=group.pk,
                    member=members[(number + offset) % 50],
                    status=MembershipStatus.ACTIVE,
                )
            )
        cancelled.append(GroupCancelledDate(page_id=group.pk, date=date(2026, 12, 24)))
    through.objects.bulk_create(links)
    Membership.objects.bulk_create(memberships)
    GroupCancelledDate.objects.bulk_create(cancelled)
    # The home page as the demo has it: crisis lines, menu pages and the sections
    # that read groups, courses and the rota.
    home_demo.load()
    home_demo.home_sections_load()
    state["finder"] = finder.url
    state["group"] = GroupPage.objects.get(slug=f"group-{count // 2}").url


def text_search_after_a_purge(client, finder):
    """What the first visitor after a content change waits for: the matches, the
    cards and the choices are all worked out again."""
    page_cache.purge()
    return client.get(finder, {"q": "sleep"})


def measurements(client):
    finder, group = state["finder"], state["group"]
    return [
        ("group finder, no filter", lambda: client.get(finder)),
        (
            "group finder, two filters",
            lambda: client.get(finder, {"topic": "anxiety", "time": "evening"}),
        ),
        ("group finder, text search", lambda: client.get(finder, {"q": "sleep"})),
        (
            "group finder, text search, nothing kept (just after a content change)",
            lambda: text_search_after_a_purge(client, finder),
        ),
        (
            "group finder, nearest to a town",
            lambda: client.get(finder, {"near": "York", "format": "in_person"}),
        ),
        ("group page", lambda: client.get(group)),
        ("home page, 1,000 groups", lambda: client.get("/")),
    ]
