"""The one clock: wall-clock recurrences, real-time lengths, on both 2026 clock-change
weekends (Sunday 29 March, Sunday 25 October), for meetings, live sessions and shifts
alike."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from peer_support import timeutils
from peer_support.courses.models import LiveSession
from peer_support.groups.schedule import Frequency, MeetingPattern
from peer_support.rotas.models import Shift
from peer_support.timeutils import Weekday

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def test_service_zone_is_the_settings_zone(settings):
    assert timeutils.service_zone().key == settings.TIME_ZONE == "Europe/London"


@pytest.mark.parametrize(
    ("day", "at", "expected_utc"),
    [
        (date(2026, 3, 28), time(19), datetime(2026, 3, 28, 19, tzinfo=UTC)),
        (SPRING, time(19), datetime(2026, 3, 29, 18, tzinfo=UTC)),
        # 01:30 does not exist on the spring morning: read with the winter offset.
        (SPRING, time(1, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (date(2026, 10, 24), time(19), datetime(2026, 10, 24, 18, tzinfo=UTC)),
        # 01:30 happens twice on the autumn morning: the first one, still in BST.
        (AUTUMN, time(1, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (AUTUMN, time(19), datetime(2026, 10, 25, 19, tzinfo=UTC)),
    ],
)
def test_local_instant_is_aware_utc_for_the_wall_clock(day, at, expected_utc):
    instant = timeutils.local_instant(day, at)
    assert instant == expected_utc
    assert instant.utcoffset() == timedelta(0)
    if at != time(1, 30) or day != SPRING:
        assert timeutils.to_local(instant).time() == at


@pytest.mark.parametrize(
    ("day", "local_end"),
    [
        (date(2026, 3, 28), time(8)),  # 22:00 GMT + 9 h = 08:00 BST
        (date(2026, 10, 24), time(6)),  # 22:00 BST + 9 h = 06:00 GMT
        (date(2026, 5, 2), time(7)),  # no change: 07:00
    ],
)
def test_lengths_are_real_time_across_the_clock_change(day, local_end):
    start, end = timeutils.local_span(day, time(22), 9 * 60)
    assert timeutils.elapsed(start, end) == timedelta(hours=9)
    assert timeutils.to_local(end).time() == local_end


def test_elapsed_ignores_the_zone_the_instants_are_written_in():
    zone = timeutils.service_zone()
    start = datetime(2026, 10, 24, 22, tzinfo=zone)
    end = datetime(2026, 10, 25, 7, tzinfo=zone)
    # Python's own subtraction in one zone is wall-clock and says 9 hours.
    assert end - start == timedelta(hours=9)
    assert timeutils.elapsed(start, end) == timedelta(hours=10)


def test_end_after_adds_real_time_to_a_local_start():
    start = datetime(2026, 3, 29, 0, 30, tzinfo=timeutils.service_zone())
    end = timeutils.end_after(start, timedelta(hours=2))
    assert timeutils.elapsed(start, end) == timedelta(hours=2)
    assert timeutils.to_local(end).time() == time(3, 30)


def test_end_after_refuses_a_naive_start():
    with pytest.raises(ValueError, match="aware"):
        timeutils.end_after(datetime(2026, 3, 29, 0, 30), timedelta(hours=1))


@pytest.mark.parametrize("day", [SPRING, AUTUMN])
def test_meeting_live_session_and_shift_measure_a_length_the_same_way(day):
    """A 2-hour thing starting at 00:30 on a clock-change morning lasts 2 hours,
    whether it is a group meeting, a live session or a shift."""
    start = timeutils.local_instant(day, time(0, 30))
    length = timedelta(hours=2)

    meeting_start, meeting_end = MeetingPattern(
        frequency=Frequency.WEEKLY,
        weekday=Weekday.SUNDAY,
        start_time=time(0, 30),
        duration_minutes=120,
        starts_on=day,
    ).occurrence(day)
    session = LiveSession(starts_at=timeutils.to_local(start), duration=length)
    shift = Shift(start=start, end=timeutils.end_after(start, length))

    assert meeting_start == start
    assert timeutils.elapsed(meeting_start, meeting_end) == length
    assert timeutils.elapsed(session.starts_at, session.ends_at) == length
    assert session.ends_at == meeting_end
    assert shift.hours == 2


def test_weekday_numbers_match_python():
    assert Weekday(SPRING.weekday()) == Weekday.SUNDAY
    assert [day.value for day in Weekday] == list(range(7))


def test_night_and_weekend_use_the_local_clock():
    # 23:30 BST on Saturday 24 October is 22:30 UTC: still a local night and weekend.
    start = timeutils.local_instant(date(2026, 10, 24), time(23, 30))
    end = timeutils.end_after(start, timedelta(hours=1))
    assert timeutils.is_night(start, end)
    assert timeutils.is_weekend(start)
    day_start = timeutils.local_instant(date(2026, 10, 26), time(9))
    assert not timeutils.is_night(day_start, day_start + timedelta(hours=8))
    assert not timeutils.is_weekend(day_start)


def test_local_instant_follows_a_changed_service_zone(settings):
    """Instants are remembered per zone: a changed TIME_ZONE never reads the old
    zone's answer."""
    summer_day = date(2026, 7, 1)
    london = timeutils.local_instant(summer_day, time(19))
    settings.TIME_ZONE = "Europe/Paris"

    assert timeutils.local_instant(summer_day, time(19)) == datetime(
        2026, 7, 1, 17, tzinfo=UTC
    )
    assert london == datetime(2026, 7, 1, 18, tzinfo=UTC)


def test_a_meeting_follows_a_changed_service_zone(settings):
    """Meeting spans are remembered per zone too: 19:00 for 90 minutes in Paris is
    not London's, and its length stays real time."""
    summer_day = date(2026, 7, 1)
    london = timeutils.local_span(summer_day, time(19), 90)
    settings.TIME_ZONE = "Europe/Paris"

    assert timeutils.local_span(summer_day, time(19), 90) == (
        datetime(2026, 7, 1, 17, tzinfo=UTC),
        datetime(2026, 7, 1, 18, 30, tzinfo=UTC),
    )
    assert london == (
        datetime(2026, 7, 1, 18, tzinfo=UTC),
        datetime(2026, 7, 1, 19, 30, tzinfo=UTC),
    )
