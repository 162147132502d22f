"""Local wall-clock time (Europe/London) to and from stored UTC instants."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_tz())


def local_instant(day: date, at: time) -> datetime:
    """The instant a wall clock in London shows `at` on `day`.

    In the missing hour of spring (01:00-02:00 on the last Sunday of March) the clock
    time does not exist; `fold=0` reads it with the winter offset, i.e. an hour later
    in summer time. In the repeated autumn hour it means the first occurrence.
    """
    return datetime.combine(day, at, tzinfo=local_tz())


def local_span(day: date, at: time, minutes: int) -> tuple[datetime, datetime]:
    """A wall-clock span: 22:00 for 9 hours ends at 07:00 local, whatever the
    clocks did overnight (so the real length is 8 or 10 hours on those nights)."""
    start_naive = datetime.combine(day, at)
    end_naive = start_naive + timedelta(minutes=minutes)
    # In UTC: Python subtracts two datetimes sharing a tzinfo as wall-clock times.
    return (
        local_instant(start_naive.date(), start_naive.time()).astimezone(UTC),
        local_instant(end_naive.date(), end_naive.time()).astimezone(UTC),
    )


def local_week_start(moment: datetime) -> date:
    day = to_local(moment).date()
    return day - timedelta(days=day.weekday())


def local_days(start: datetime, end: datetime) -> list[date]:
    """Local dates a span touches (an end at exactly midnight touches no new day)."""
    first = to_local(start).date()
    last = to_local(end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def is_night(start: datetime, end: datetime) -> bool:
    """Any part of the shift between 23:00 and 06:00 local time."""
    for day in local_days(start, end) + [to_local(start).date() - timedelta(days=1)]:
        night_start = local_instant(day, time(23))
        night_end = local_instant(day + timedelta(days=1), time(6))
        if start < night_end and end > night_start:
            return True
    return False


def is_weekend(start: datetime) -> bool:
    return to_local(start).weekday() >= 5
