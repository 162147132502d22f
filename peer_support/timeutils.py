"""The service's one clock: local wall-clock time (Europe/London) and stored UTC.

Three rules, used by group meetings, course live sessions and rota shifts alike:

- Recurrences are wall-clock: "Sundays at 19:00" means 19:00 on the clock people in
  the service zone see, so its UTC instant moves when the clocks change.
- Lengths are real elapsed time: a 90-minute meeting lasts 90 minutes and a 9-hour
  night shift 9 hours, even on the nights the clocks change (so the 9-hour shift from
  22:00 ends at 08:00 in spring and 06:00 in autumn). Python subtracts or adds a
  `timedelta` to datetimes sharing a `tzinfo` as wall-clock arithmetic, ignoring the
  change; every length here is computed in UTC instead.
- Stored instants are UTC; `to_local` is for reading the clock, never for arithmetic.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    """Days as Python numbers them (`date.weekday()`): Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def service_zone() -> ZoneInfo:
    """The zone the service runs its clock in (`settings.TIME_ZONE`)."""
    return ZoneInfo(settings.TIME_ZONE)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(service_zone())


def local_instant(day: date, at: time) -> datetime:
    """The instant (aware, in UTC) a service-zone wall clock shows `at` on `day`.

    In the missing hour of spring (01:00-02:00 on the last Sunday of March) the clock
    time does not exist; `fold=0` reads it with the winter offset, i.e. an hour later
    in summer time. In the repeated autumn hour it means the first occurrence.
    """
    return _local_instant(day, at, settings.TIME_ZONE)


@lru_cache(maxsize=8192)
def _local_instant(day: date, at: time, zone: str) -> datetime:
    # Remembered: a rota report over a thousand groups asks for the same few meeting
    # times on the same days thousands of times. Keyed by zone, so a changed
    # TIME_ZONE never reads an old answer.
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def end_after(start: datetime, length: timedelta) -> datetime:
    """When something that starts at `start` and lasts `length` of real time ends."""
    if start.tzinfo is None:
        raise ValueError("end_after needs an aware start.")
    return start.astimezone(UTC) + length


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time between two aware instants, whatever the clocks did between."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def local_span(day: date, at: time, minutes: int) -> tuple[datetime, datetime]:
    """A recurrence's occurrence: starts at the wall-clock `at` on `day`, lasts
    `minutes` of real time. Both ends are aware UTC instants."""
    return _local_span(day, at, minutes, settings.TIME_ZONE)


@lru_cache(maxsize=8192)
def _local_span(
    day: date, at: time, minutes: int, zone: str
) -> tuple[datetime, datetime]:
    # Remembered like `_local_instant`: a thousand groups share a few meeting
    # times and lengths.
    start = _local_instant(day, at, zone)
    return start, end_after(start, timedelta(minutes=minutes))


def local_week_start(moment: datetime) -> date:
    day = to_local(moment).date()
    return day - timedelta(days=day.weekday())


def local_days(start: datetime, end: datetime) -> list[date]:
    """Local dates a span touches (an end at exactly midnight touches no new day)."""
    first = to_local(start).date()
    last = to_local(end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def is_night(start: datetime, end: datetime) -> bool:
    """Any part of the span between 23:00 and 06:00 local time."""
    for day in local_days(start, end) + [to_local(start).date() - timedelta(days=1)]:
        night_start = local_instant(day, time(23))
        night_end = local_instant(day + timedelta(days=1), time(6))
        if start < night_end and end > night_start:
            return True
    return False


def is_weekend(start: datetime) -> bool:
    return to_local(start).weekday() >= Weekday.SATURDAY
