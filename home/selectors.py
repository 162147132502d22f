"""Reads for the home page's sections: the next groups to meet and the courses coming
up, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import ExpressionWrapper, F, IntegerField
from django.db.models.functions import ExtractHour, ExtractMinute, Mod
from django.utils import timezone
from wagtail.models import Page

from peer_site.page_cache import content_cached
from peer_support import timeutils
from peer_support.courses.models import CoursePage
from peer_support.groups.models import (
    PATTERN_FIELDS,
    GroupFormat,
    GroupPage,
    GroupStatus,
)
from peer_support.groups.selectors import cancelled_dates
from peer_support.spaces.selectors import spaces_listed_publicly

# What the home page shows of a group.
UPCOMING_FIELDS = ("pk", "title", "url_path", "summary", "format", "venue__town")
MINUTES_A_WEEK = 7 * 24 * 60
BATCH = 24


@dataclass(frozen=True)
class UpcomingGroup:
    """A group on the home page, with its next meeting."""

    starts: datetime
    title: str
    url: str
    summary: str
    town: str | None  # where it meets in person; None when only online
    meets_online: bool


@dataclass(frozen=True)
class SoonestMeetings:
    """The groups meeting soonest as seen at `seen_at`, each as (start, end, row)."""

    seen_at: datetime
    found: list[tuple[datetime, datetime, dict]]
    limit: int

    def hold_at(self, at: datetime) -> bool:
        """Whether these are still the soonest at `at`. Meetings that have not ended
        only drop out of the list, when they end; one that comes later than all of
        them cannot pass them. A list shorter than asked for may gain a meeting at
        any time, so it holds for no other moment."""
        if at < self.seen_at:
            return False
        if len(self.found) < self.limit:
            return at == self.seen_at
        return at < min(end for _start, end, _row in self.found)


def groups_meeting_soon(
    *, limit: int = 3, at: datetime | None = None, request=None
) -> list[UpcomingGroup]:
    """Running, publicly listed groups with their next meeting, soonest first; kept
    until the next content purge or until the first of them ends."""
    at = at or timezone.now()
    soonest = content_cached(
        f"groups-meeting-soon:{limit}",
        lambda: soonest_meetings(limit=limit, at=at),
        fresh=lambda stored: stored.hold_at(at),
    )
    return _shown(soonest.found, request)


def soonest_meetings(*, limit: int, at: datetime) -> SoonestMeetings:
    """Bounded whatever the number of groups: the database orders groups by the start
    of their weekly slot (weekday and time) as seen from `at`, which no real meeting
    comes before (a fortnightly, cancelled or not yet started meeting only comes
    later). Groups are read in that order, a batch at a time, until the next slot
    starts after the last of the `limit` soonest meetings found."""
    local = timeutils.to_local(at)
    # A clock change in the coming week moves a wall-clock slot against real time.
    shifted = (
        timeutils.to_local(at + timedelta(days=8)).utcoffset() != local.utcoffset()
    )
    slack = timedelta(hours=2 if shifted else 0)
    now_minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
    slot_end = (
        F("weekday") * 24 * 60
        + ExtractHour("start_time") * 60
        + ExtractMinute("start_time")
        + F("duration_minutes")
    )
    # Minutes from `at` to the start of the slot whose end is next to come (negative
    # while a meeting is on).
    minutes_to_slot = ExpressionWrapper(
        Mod(slot_end - now_minute + MINUTES_A_WEEK, MINUTES_A_WEEK)
        - F("duration_minutes"),
        output_field=IntegerField(),
    )
    groups = (
        spaces_listed_publicly(GroupPage.objects.filter(status=GroupStatus.RUNNING))
        .annotate(minutes_to_slot=minutes_to_slot)
        .order_by("minutes_to_slot", "pk")
        .values("minutes_to_slot", *UPCOMING_FIELDS, *PATTERN_FIELDS)
    )
    upcoming = []  # (start, title, end, row), soonest first
    offset = 0
    while True:
        batch = list(groups[offset : offset + BATCH])
        cancelled = cancelled_dates(group_ids=[row["pk"] for row in batch])
        for row in batch:
            earliest = at + timedelta(minutes=row["minutes_to_slot"])
            if len(upcoming) >= limit and earliest > upcoming[-1][0] + slack:
                return SoonestMeetings(at, _soonest_first(upcoming), limit)
            pattern = GroupPage.pattern_from_values(row, cancelled=cancelled[row["pk"]])
            meeting = pattern.next_meetings(1, after=at)
            if meeting:
                start, end = meeting[0]
                upcoming.append((start, row["title"], end, row))
                upcoming.sort(key=lambda found: found[:2])
                del upcoming[limit:]
        if len(batch) < BATCH:
            return SoonestMeetings(at, _soonest_first(upcoming), limit)
        offset += BATCH


def _soonest_first(upcoming) -> list[tuple[datetime, datetime, dict]]:
    return [(start, end, row) for start, _title, end, row in upcoming]


def _shown(soonest, request) -> list[UpcomingGroup]:
    return [
        UpcomingGroup(
            starts=starts,
            title=row["title"],
            # Wagtail works an address out from the page's place in the tree (and
            # the sites' roots), which a page holding only that gives without
            # reading the group again.
            url=Page(pk=row["pk"], url_path=row["url_path"]).get_url(request) or "",
            summary=row["summary"],
            town=None if row["format"] == GroupFormat.ONLINE else row["venue__town"],
            meets_online=row["format"] != GroupFormat.IN_PERSON,
        )
        for starts, _end, row in soonest
    ]


@dataclass(frozen=True)
class UpcomingCourse:
    """A course on the home page."""

    title: str
    url: str
    starts_on: date
    ends_on: date
    summary: str


def courses_coming_up(
    *, limit: int = 3, request=None, at: datetime | None = None
) -> list[UpcomingCourse]:
    """Publicly listed courses that have not ended, the earliest start first, read
    once a day until the next content purge (a course published, moved or
    unpublished)."""
    today = timezone.localdate(at or timezone.now())
    rows = content_cached(
        f"courses-coming-up:{today.isoformat()}:{limit}",
        lambda: list(
            spaces_listed_publicly(CoursePage.objects.filter(ends_on__gte=today))
            .order_by("starts_on", "title")
            .values("pk", "url_path", "title", "starts_on", "ends_on", "summary")[
                :limit
            ]
        ),
    )
    return [
        UpcomingCourse(
            title=row["title"],
            url=Page(pk=row["pk"], url_path=row["url_path"]).get_url(request) or "",
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            summary=row["summary"],
        )
        for row in rows
    ]
