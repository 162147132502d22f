"""Reads for the group finder: the groups a choice of filters lists (one query, kept
until the next content purge), and the cards for the page shown built from plain rows
(their fields, topics, cancelled dates and active members read in one query each for
the groups not kept), so no page object is made for a card."""

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, ngettext
from wagtail.search.query import And, Or, PlainText

from peer_site.page_cache import content_cached, content_cached_many
from peer_site.public_pages import public
from peer_site.search_index import matching_page_ids
from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus

from .models import (
    PATTERN_FIELDS,
    GroupCancelledDate,
    GroupFormat,
    GroupPage,
    GroupStatus,
    Topic,
    Venue,
)

KM_PER_DEGREE = 111.2
MAX_SEARCH_WORDS = 8
MAX_SEARCH_MATCHES = 1000

# Words people use for the same thing that a stemmer does not join ("anxious" stems to
# "anxious", "anxiety" to "anxieti"). Each word also finds the others in its set.
RELATED_WORDS = [
    {"anxious", "anxiety", "worry", "worried", "worries", "panic"},
    {"depressed", "depression", "low"},
    {"lonely", "loneliness", "isolated", "isolation"},
    {"grief", "grieving", "bereaved", "bereavement", "loss"},
    {"voices", "voice", "hearing"},
    {"psychosis", "psychotic"},
    {"bipolar", "manic", "mania"},
    {"carer", "carers", "caring"},
]
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class FinderChoices:
    topics: list[tuple[str, str]]  # slug, name
    towns: list[str]
    town_centres: dict[str, Origin]  # the middle of each town's venues


def _town_centres() -> dict[str, Origin]:
    centres = (
        Venue.objects.order_by()
        .values("town")
        .annotate(
            lat=Avg(Cast("latitude", FloatField())),
            lng=Avg(Cast("longitude", FloatField())),
        )
    )
    return {row["town"]: Origin(row["lat"], row["lng"]) for row in centres}


def finder_choices() -> FinderChoices:
    """The finder's topics and towns, with where each town is, kept until the next
    content purge (topics, venues and group pages all purge)."""
    return content_cached(
        "group-finder-choices",
        lambda: FinderChoices(
            topics=list(Topic.objects.values_list("slug", "name")),
            towns=list(
                Venue.objects.filter(groups__isnull=False)
                .order_by("town")
                .values_list("town", flat=True)
                .distinct()
            ),
            town_centres=_town_centres(),
        ),
    )


def groups_listed(*, index_page) -> QuerySet:
    """Groups anyone may find: live, public, not invite-only, not ended."""
    return (
        public(GroupPage.objects.child_of(index_page).live())
        .exclude(join_policy=JoinPolicy.INVITE)
        .exclude(status=GroupStatus.ENDED)
    )


def active_count_subquery():
    active = (
        Membership.objects.filter(space=OuterRef("pk"), status=MembershipStatus.ACTIVE)
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(active, output_field=IntegerField()), 0)


def active_counts(*, group_ids: list[int]) -> dict[int, int]:
    """Active members of each listed group, in one query for the page shown (counting
    in the listing query itself would count every matching group before the sort)."""
    return dict(
        Membership.objects.filter(
            space_id__in=group_ids,
            status=MembershipStatus.ACTIVE,
        )
        .values("space_id")
        .annotate(n=Count("pk"))
        .values_list("space_id", "n")
    )


def cancelled_dates(*, group_ids: list[int]) -> dict[int, set]:
    """The cancelled meeting dates of each of these groups, in one query."""
    found = defaultdict(set)
    for group_id, day in GroupCancelledDate.objects.filter(
        page_id__in=group_ids
    ).values_list("page_id", "date"):
        found[group_id].add(day)
    return found


def search_words(text: str) -> list[str]:
    """The words of a search, lower case, without punctuation (an unbalanced quote or
    a stray operator is just ignored)."""
    return [word.lower() for word in WORD.findall(text)][:MAX_SEARCH_WORDS]


def groups_matching_text(*, text: str) -> QuerySet:
    """Ids of groups whose words match every word searched for, in any field the
    search index holds (title, summary, who it is for, body, topics, town).

    Wagtail's search backend does the matching: PostgreSQL full-text search (with
    English stemming, so "walks" finds "walking") in production, started from the
    search index (`peer_site.search_index`), the database backend under `make run`.
    Each word may also match its related words ("anxious" finds "anxiety")."""
    words = search_words(text)
    if not words:
        return GroupPage.objects.none().values("pk")
    terms = []
    for word in words:
        forms = next((group for group in RELATED_WORDS if word in group), {word})
        alternatives = [PlainText(form) for form in sorted(forms)]
        terms.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    query = terms[0] if len(terms) == 1 else And(terms)
    groups = GroupPage.objects.live()
    # Either way the ids are a subquery of the finder's own, rather than a page
    # object built for each of a thousand matches. From the search index every
    # match is found (the finder's query keeps those it lists); Wagtail's own
    # search stops at a bound.
    ids = matching_page_ids(groups, query)
    if ids is not None:
        return ids
    results = groups.search(query, order_by_relevance=False)
    return results[:MAX_SEARCH_MATCHES].get_queryset().values("pk")


def groups_for_finder(*, index_page, filters: dict) -> QuerySet:
    """The groups the finder lists for `filters`, by title."""
    groups = groups_listed(index_page=index_page)
    if topic := filters.get("topic"):
        groups = groups.filter(topics__slug=topic)
    if group_format := filters.get("format"):
        groups = groups.filter(format=group_format)
    day = filters.get("day")
    if day == "weekdays":
        groups = groups.filter(weekday__lte=4)
    elif day == "weekend":
        groups = groups.filter(weekday__gte=5)
    elif day:
        groups = groups.filter(weekday=int(day))
    when = filters.get("time")
    if when == "morning":
        groups = groups.filter(start_time__lt=time(12))
    elif when == "afternoon":
        groups = groups.filter(start_time__gte=time(12), start_time__lt=time(17))
    elif when == "evening":
        groups = groups.filter(start_time__gte=time(17))
    if town := filters.get("town"):
        groups = groups.filter(venue__town=town)
    if filters.get("taking_new"):
        groups = (
            groups.filter(
                status=GroupStatus.RUNNING,
                join_policy__in=[JoinPolicy.OPEN, JoinPolicy.REQUEST],
            )
            .alias(active_count=active_count_subquery())
            .filter(Q(capacity__isnull=True) | Q(capacity__gt=F("active_count")))
        )
    if words := search_words(filters.get("q", "")):
        groups = groups.filter(pk__in=groups_matching_text(text=" ".join(words)))
    return groups.order_by("title", "pk")


# The filters that choose which groups are listed; the others (where from) only
# change their order.
MATCHING_FILTERS = ("topic", "format", "day", "time", "town", "taking_new")


def finder_matches(*, index_page, filters: dict) -> list[tuple[int, float, float]]:
    """Each group the finder lists for `filters` as (id, latitude, longitude), by
    title; the place is None for a group without a venue.

    Kept until the next content purge, which every change to what the filters read
    brings: a group page published, moved or unpublished (and with it the search
    index), a topic, a venue, a membership ("taking new members")."""
    chosen = sorted(
        (name, value) for name, value in filters.items() if name in MATCHING_FILTERS
    )
    words = search_words(filters.get("q", ""))
    digest = hashlib.sha256(repr((index_page.pk, chosen, words)).encode()).hexdigest()

    def matches():
        chosen_filters = dict(chosen) | {"q": " ".join(words)}
        rows = groups_for_finder(
            index_page=index_page, filters=chosen_filters
        ).values_list("pk", "venue__latitude", "venue__longitude")
        return [
            (
                pk,
                None if lat is None else float(lat),
                None if lng is None else float(lng),
            )
            for pk, lat, lng in rows
        ]

    return content_cached(f"group-finder-matches:{digest}", matches)


def degrees_away(origin: Origin, lat: float | None, lng: float | None) -> float | None:
    """How far a place is from `origin`, in degrees of latitude (flat-earth, which
    is close enough within a country); None for no place."""
    if lat is None or lng is None:
        return None
    scale = math.cos(math.radians(origin.latitude))
    return math.hypot(lat - origin.latitude, (lng - origin.longitude) * scale)


def nearest_first(matches: list[tuple], origin: Origin) -> list[tuple]:
    """`finder_matches` nearest `origin` first, those with no place last, and by
    title where as near."""

    def nearness(match):
        _pk, lat, lng = match
        away = degrees_away(origin, lat, lng)
        return (1, 0.0) if away is None else (0, away)

    return sorted(matches, key=nearness)  # stable: the title order stays for ties


# What a card shows of a group, read as plain values for the page shown.
CARD_FIELDS = (
    "pk",
    "title",
    "slug",
    "summary",
    "format",
    "join_policy",
    "capacity",
    "status",
    "venue__town",
    *PATTERN_FIELDS,
)


@dataclass(frozen=True)
class GroupCard:
    """One group in the finder's results, with everything its card shows."""

    url: str
    title: str
    summary: str
    format: str  # how it meets, in words
    town: str | None
    distance_km: float | None
    next_meeting: datetime | None
    places_left: int | None  # None: no limit
    joining: str  # the join policy, in words
    topics: list[str]

    # The card's two worded numbers, put in words here rather than by a translation
    # tag in the template's loop.
    @property
    def places(self) -> str:
        if self.places_left is None:
            return ""
        return ngettext("%(n)s place left", "%(n)s places left", self.places_left) % {
            "n": self.places_left
        }

    @property
    def distance(self) -> str:
        if self.distance_km is None:
            return ""
        return gettext("about %(km)s km away") % {
            "km": floatformat(self.distance_km, 0)
        }


def _card_facts(group_ids: list[int]) -> dict[int, tuple[dict, list, set, int]]:
    """What a card shows: the group's own fields (`CARD_FIELDS`), its topic names,
    cancelled dates and active members, in one query each. A content purge follows
    any change to them (a published page, a venue, cancelled dates, membership)."""
    rows = {
        row["pk"]: row
        for row in GroupPage.objects.filter(pk__in=group_ids).values(*CARD_FIELDS)
    }
    topics = defaultdict(list)
    for group_id, name in (
        GroupPage.topics.through.objects.filter(grouppage_id__in=group_ids)
        .order_by("topic__name")
        .values_list("grouppage_id", "topic__name")
    ):
        topics[group_id].append(name)
    cancelled = cancelled_dates(group_ids=group_ids)
    active = active_counts(group_ids=group_ids)
    return {
        pk: (rows[pk], topics[pk], cancelled[pk], active.get(pk, 0))
        for pk in group_ids
        if pk in rows
    }


def finder_cards(
    matches: list[tuple], *, index_url: str, origin: Origin | None = None
) -> list[GroupCard]:
    """Cards for the groups on the page shown (`finder_matches`, in their order),
    from what is kept of each group until the next content purge, or read for those
    not kept in at most four queries whatever their number (`_card_facts`). Groups
    are children of the finder, so each one's address is the finder's with its
    slug added; the distance is from `origin`, for groups that meet in person."""
    if not matches:
        return []
    facts = content_cached_many(
        {pk: f"group-finder-card:{pk}" for pk, _lat, _lng in matches}, _card_facts
    )
    formats = {value: str(label) for value, label in GroupFormat.choices}
    policies = {value: str(label) for value, label in JoinPolicy.choices}
    cards = []
    for pk, lat, lng in matches:
        if pk not in facts:  # deleted since the list was read
            continue
        row, topics, cancelled, active = facts[pk]
        in_person = row["format"] != GroupFormat.ONLINE
        next_meeting = None
        if row["status"] == GroupStatus.RUNNING:
            pattern = GroupPage.pattern_from_values(row, cancelled=cancelled)
            found = pattern.next_meetings(1)
            next_meeting = found[0][0] if found else None
        distance_km = None
        if origin is not None and in_person:
            away = degrees_away(origin, lat, lng)
            distance_km = None if away is None else away * KM_PER_DEGREE
        capacity = row["capacity"]
        cards.append(
            GroupCard(
                url=f"{index_url}{row['slug']}/",
                title=row["title"],
                summary=row["summary"],
                format=formats.get(row["format"], row["format"]),
                town=row["venue__town"],
                distance_km=distance_km,
                next_meeting=next_meeting,
                places_left=None if capacity is None else max(capacity - active, 0),
                joining=policies.get(row["join_policy"], row["join_policy"]),
                topics=topics,
            )
        )
    return cards
