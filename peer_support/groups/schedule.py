"""When a group meets: occurrences of a weekly or fortnightly pattern.

Occurrences are built as wall-clock times in Europe/London and only then made aware,
so a 19:00 meeting stays 19:00 for the people going to it when the clocks change
(its UTC time moves instead); its length is real time (`peer_support.timeutils`).
Fortnightly parity counts from the first meeting on or
after the start date, so cancelling a meeting never shifts the ones after it.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peer_support import timeutils


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every other week")


@dataclass(frozen=True)
class MeetingPattern:
    frequency: str
    weekday: int  # Monday is 0
    start_time: time
    duration_minutes: int
    starts_on: date
    ends_on: date | None = None
    cancelled: frozenset[date] = field(default_factory=frozenset)

    @property
    def step_days(self) -> int:
        return 14 if self.frequency == Frequency.FORTNIGHTLY else 7

    @property
    def first_date(self) -> date:
        return self.starts_on + timedelta(
            days=(self.weekday - self.starts_on.weekday()) % 7
        )

    def occurrence(self, day: date) -> tuple[datetime, datetime]:
        """The meeting on `day` as aware UTC instants. Not in local time: Python never
        finds a time in the repeated autumn hour equal to one in another zone."""
        return timeutils.local_span(day, self.start_time, self.duration_minutes)

    def dates_from(self, day: date):
        """Meeting dates on or after `day`, in order, skipping cancelled ones."""
        first, step_days = self.first_date, self.step_days
        if day <= first:
            current = first
        else:
            steps = math.ceil((day - first).days / step_days)
            current = first + timedelta(days=steps * step_days)
        step = timedelta(days=step_days)
        while self.ends_on is None or current <= self.ends_on:
            if current not in self.cancelled:
                yield current
            current += step

    def next_meetings(
        self, n: int, *, after: datetime | None = None
    ) -> list[tuple[datetime, datetime]]:
        """The next `n` meetings that have not yet finished by `after` (now)."""
        after = after or timezone.now()
        found = []
        local_day = timeutils.to_local(after).date()
        for day in self.dates_from(local_day - timedelta(days=1)):
            start, end = self.occurrence(day)
            if end <= after:
                continue
            found.append((start, end))
            if len(found) >= n:
                break
        return found

    def between(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Meetings that overlap the window [start, end)."""
        found = []
        local_day = timeutils.to_local(start).date()
        for day in self.dates_from(local_day - timedelta(days=1)):
            meeting_start, meeting_end = self.occurrence(day)
            if meeting_start >= end:
                break
            if meeting_end > start:
                found.append((meeting_start, meeting_end))
        return found


def time_of_day(value: time) -> str:
    if value.hour < 12:
        return "morning"
    if value.hour < 17:
        return "afternoon"
    return "evening"
