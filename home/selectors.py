"""Reads for the home page's sections: the next groups to meet and the courses coming
up, each in a fixed number of queries."""

from datetime import datetime

from django.utils import timezone

from peer_support.courses.models import CoursePage
from peer_support.groups.models import GroupPage, GroupStatus
from peer_support.spaces.selectors import spaces_listed_publicly


def groups_meeting_soon(
    *, limit: int = 3, at: datetime | None = None
) -> list[tuple[GroupPage, datetime]]:
    """Running, publicly listed groups with their next meeting, soonest first."""
    at = at or timezone.now()
    groups = spaces_listed_publicly(
        GroupPage.objects.filter(status=GroupStatus.RUNNING)
    ).prefetch_related("cancelled_dates", "topics")
    upcoming = []
    for group in groups:
        meeting = group.next_meeting(after=at)
        if meeting is not None:
            upcoming.append((group, meeting[0]))
    upcoming.sort(key=lambda item: (item[1], item[0].title))
    return upcoming[:limit]


def courses_coming_up(*, limit: int = 3, at: datetime | None = None) -> list:
    """Publicly listed courses that have not ended, the earliest start first."""
    today = timezone.localdate(at or timezone.now())
    return list(
        spaces_listed_publicly(CoursePage.objects.filter(ends_on__gte=today)).order_by(
            "starts_on", "title"
        )[:limit]
    )
