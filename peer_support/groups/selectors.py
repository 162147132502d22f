"""Reads for the group finder: one queryset whose query count does not grow with the
number of groups (venue joined, topics and cancelled dates prefetched, active members
counted in a subquery)."""

import math
import re
from dataclasses import dataclass
from datetime import time

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
    Value,
)
from django.db.models.functions import Cast, Coalesce
from wagtail.search.query import And, Or, PlainText

from peer_site.page_cache import content_cached
from peer_site.public_pages import public
from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus

from .models import GroupFormat, GroupPage, GroupStatus, Topic, Venue

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


def finder_choices() -> FinderChoices:
    """The finder's topics and towns, kept until the next content purge (topics,
    venues and group pages all purge)."""
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
        ),
    )


def town_origin(*, town: str) -> Origin | None:
    centre = Venue.objects.filter(town=town).aggregate(
        lat=Avg(Cast("latitude", FloatField())),
        lng=Avg(Cast("longitude", FloatField())),
    )
    if centre["lat"] is None:
        return None
    return Origin(centre["lat"], centre["lng"])


def groups_listed(*, index_page) -> QuerySet:
    """Groups anyone may find: live, public, not invite-only, not ended."""
    return (
        public(GroupPage.objects.child_of(index_page).live())
        .exclude(join_policy=JoinPolicy.INVITE)
        .exclude(status=GroupStatus.ENDED)
        .select_related("venue")
        .prefetch_related("topics", "cancelled_dates")
    )


def active_count_subquery():
    active = (
        Membership.objects.filter(space=OuterRef("pk"), status=MembershipStatus.ACTIVE)
        .values("space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(active, output_field=IntegerField()), 0)


def active_counts(*, groups) -> dict[int, int]:
    """Active members of each listed group, in one query for the page shown (counting
    in the listing query itself would count every matching group before the sort)."""
    return dict(
        Membership.objects.filter(
            space_id__in=[group.pk for group in groups],
            status=MembershipStatus.ACTIVE,
        )
        .values("space_id")
        .annotate(n=Count("pk"))
        .values_list("space_id", "n")
    )


def search_words(text: str) -> list[str]:
    """The words of a search, lower case, without punctuation (an unbalanced quote or
    a stray operator is just ignored)."""
    return [word.lower() for word in WORD.findall(text)][:MAX_SEARCH_WORDS]


def groups_matching_text(*, text: str) -> QuerySet:
    """Ids of groups whose words match every word searched for, in any field the
    search index holds (title, summary, who it is for, body, topics, town).

    Wagtail's search backend does the matching: PostgreSQL full-text search (with
    English stemming, so "walks" finds "walking") in production, the database backend
    under `make run`. Each word may also match its related words ("anxious" finds
    "anxiety")."""
    words = search_words(text)
    if not words:
        return GroupPage.objects.none().values("pk")
    terms = []
    for word in words:
        forms = next((group for group in RELATED_WORDS if word in group), {word})
        alternatives = [PlainText(form) for form in sorted(forms)]
        terms.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    query = terms[0] if len(terms) == 1 else And(terms)
    results = GroupPage.objects.live().search(query, order_by_relevance=False)
    # The database backends hand over their query, so the ids are a subquery of the
    # finder's own rather than a page object built for each of a thousand matches.
    return results[:MAX_SEARCH_MATCHES].get_queryset().values("pk")


def groups_for_finder(
    *, index_page, filters: dict, origin: Origin | None = None
) -> QuerySet:
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
    if text := filters.get("q", "").strip():
        groups = groups.filter(pk__in=groups_matching_text(text=text))
    if origin is None:
        return groups.order_by("title", "pk")
    scale = math.cos(math.radians(origin.latitude))
    lat = Cast("venue__latitude", FloatField()) - Value(origin.latitude)
    lng = (Cast("venue__longitude", FloatField()) - Value(origin.longitude)) * Value(
        scale
    )
    return groups.annotate(distance_sq=lat * lat + lng * lng).order_by(
        F("distance_sq").asc(nulls_last=True), "title", "pk"
    )


def distance_km(group) -> float | None:
    value = getattr(group, "distance_sq", None)
    if value is None or group.format == GroupFormat.ONLINE:
        return None
    return math.sqrt(value) * KM_PER_DEGREE


def places_left(group, *, active: int) -> int | None:
    if group.capacity is None:
        return None
    return max(group.capacity - active, 0)
