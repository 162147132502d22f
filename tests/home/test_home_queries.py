"""The home page's "groups meeting soon" reads a bounded number of groups: the same
queries with 5 groups as with 50, and the same answer as looking at every group."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import demo
from home.selectors import groups_meeting_soon
from peer_support.groups.models import GroupCancelledDate, GroupPage, GroupStatus
from peer_support.groups.schedule import Frequency
from tests.site_builders import finder_make, group_make

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def every_group_looked_at(*, at, limit=3):
    """The answer by brute force: every running, listed group's next meeting."""
    upcoming = []
    for group in GroupPage.objects.live().filter(status=GroupStatus.RUNNING):
        if group.join_policy == "invite":
            continue
        meeting = group.next_meeting(after=at)
        if meeting is not None:
            upcoming.append((meeting[0], group.title))
    return sorted(upcoming)[:limit]


def groups_add(finder, count, *, offset=0):
    """Groups that meet at many times of the week, some fortnightly, some not yet
    started, ended or paused, some with the next meeting cancelled."""
    for n in range(offset, offset + count):
        group = group_make(
            finder,
            title=f"Group {n:03d}",
            weekday=n % 7,
            start_time=time(7 + n % 15, 30 * (n % 2)),
            duration_minutes=60 + 30 * (n % 3),
            frequency=Frequency.FORTNIGHTLY if n % 4 == 1 else Frequency.WEEKLY,
            starts_on=date(2027, 1, 1) if n % 9 == 4 else date(2026, 1, 5),
            ends_on=date(2026, 2, 1) if n % 11 == 6 else None,
            status=GroupStatus.PAUSED if n % 13 == 7 else GroupStatus.RUNNING,
        )
        if n % 5 == 2:
            GroupCancelledDate.objects.bulk_create(
                GroupCancelledDate(
                    page=group, date=date(2026, 10, 20) + timedelta(days=day)
                )
                for day in range(31)
            )


def test_home_page_queries_and_answer_do_not_depend_on_the_number_of_groups(
    home_page, roles, query_count
):
    finder = finder_make(home_page)
    demo.load()
    demo.home_sections_load()
    groups_add(finder, 5)
    query_count.assert_unchanged("/", lambda: groups_add(finder, 45, offset=5))

    moments = [
        datetime(2026, 6, 3, 12, tzinfo=LONDON),  # a Wednesday noon
        datetime(2026, 6, 7, 23, 50, tzinfo=LONDON),  # Sunday night, week wraps
        datetime(2026, 10, 21, 8, 45, tzinfo=LONDON),  # during a meeting
        datetime(2026, 10, 24, 20, tzinfo=LONDON),  # the clocks go back tonight
        datetime(2027, 3, 27, 21, tzinfo=LONDON),  # the clocks go forward tonight
    ]
    for at in moments:
        found = [(g.starts, g.title) for g in groups_meeting_soon(at=at)]
        assert found == every_group_looked_at(at=at), at
    assert len(groups_meeting_soon(limit=6, at=moments[0])) == 6

    with CaptureQueriesContext(connection) as captured:
        groups_meeting_soon(at=moments[0])
    reads = [q["sql"] for q in captured if 'FROM "groups_grouppage"' in q["sql"]]
    assert reads and all("LIMIT 24" in sql for sql in reads), (
        "reads a batch of groups at a time, not all fifty"
    )
