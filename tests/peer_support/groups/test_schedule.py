from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from peer_support.groups.schedule import Frequency, MeetingPattern

LONDON = ZoneInfo("Europe/London")


def pattern(**fields) -> MeetingPattern:
    values = {
        "frequency": Frequency.WEEKLY,
        "weekday": 6,  # Sunday: both 2026 clock changes fall on one
        "start_time": time(19, 0),
        "duration_minutes": 90,
        "starts_on": date(2026, 3, 1),
    }
    values.update(fields)
    return MeetingPattern(**values)


def test_weekly_meeting_stays_at_seven_pm_local_across_the_spring_clock_change():
    meetings = pattern().next_meetings(3, after=datetime(2026, 3, 21, 12, tzinfo=UTC))

    starts = [start for start, _ in meetings]
    assert [s.astimezone(LONDON).time() for s in starts] == [time(19, 0)] * 3
    assert [s.date() for s in starts] == [
        date(2026, 3, 22),
        date(2026, 3, 29),
        date(2026, 4, 5),
    ]
    # 19:00 GMT before the change, 18:00 UTC (19:00 BST) from 29 March.
    assert [s.astimezone(UTC).hour for s in starts] == [19, 18, 18]
    assert all(s.tzinfo is not None for s in starts)


def test_weekly_meeting_stays_at_seven_pm_local_across_the_autumn_clock_change():
    meetings = pattern().next_meetings(3, after=datetime(2026, 10, 17, 12, tzinfo=UTC))

    starts = [start for start, _ in meetings]
    assert [s.date() for s in starts] == [
        date(2026, 10, 18),
        date(2026, 10, 25),
        date(2026, 11, 1),
    ]
    assert [s.astimezone(LONDON).time() for s in starts] == [time(19, 0)] * 3
    assert [s.astimezone(UTC).hour for s in starts] == [18, 19, 19]


def test_meeting_that_spans_the_clock_change_lasts_its_real_duration():
    overnight = pattern(start_time=time(0, 30), duration_minutes=120)

    start, end = overnight.next_meetings(1, after=datetime(2026, 3, 28, tzinfo=UTC))[0]

    assert start.date() == date(2026, 3, 29)
    # Same-zone subtraction in Python is wall-clock; compare in UTC for real time.
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 2 * 3600
    assert end.astimezone(LONDON).time() == time(3, 30)  # the clock skipped an hour


def test_cancelled_dates_are_skipped():
    weekly = pattern(cancelled=frozenset({date(2026, 3, 29)}))

    meetings = weekly.next_meetings(2, after=datetime(2026, 3, 23, tzinfo=UTC))

    assert [s.date() for s, _ in meetings] == [date(2026, 4, 5), date(2026, 4, 12)]


def test_fortnightly_keeps_its_parity_from_the_first_meeting():
    fortnightly = pattern(
        frequency=Frequency.FORTNIGHTLY,
        weekday=1,
        starts_on=date(2026, 1, 1),  # a Thursday; first meeting Tuesday 6 January
        cancelled=frozenset({date(2026, 2, 3)}),
    )

    meetings = fortnightly.next_meetings(3, after=datetime(2026, 1, 28, tzinfo=UTC))

    assert [s.date() for s, _ in meetings] == [
        date(2026, 2, 17),
        date(2026, 3, 3),
        date(2026, 3, 17),
    ]


def test_nothing_before_the_start_date_or_after_the_end_date():
    bounded = pattern(starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 17))

    meetings = bounded.next_meetings(10, after=datetime(2026, 1, 1, tzinfo=UTC))

    assert [s.date() for s, _ in meetings] == [
        date(2026, 5, 3),
        date(2026, 5, 10),
        date(2026, 5, 17),
    ]


def test_a_meeting_in_progress_still_counts_as_next():
    start, _ = pattern().next_meetings(
        1, after=datetime(2026, 3, 29, 18, 30, tzinfo=UTC)
    )[0]

    assert start.date() == date(2026, 3, 29)


def test_between_returns_meetings_overlapping_the_window():
    found = pattern().between(
        datetime(2026, 3, 22, 20, 0, tzinfo=LONDON),
        datetime(2026, 4, 5, 19, 0, tzinfo=LONDON),
    )

    # 22 March 19:00-20:30 overlaps; 5 April starts exactly at the window's end.
    assert [s.date() for s, _ in found] == [date(2026, 3, 22), date(2026, 3, 29)]
