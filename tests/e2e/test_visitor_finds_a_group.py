from datetime import time
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from peer_support.groups.models import GroupFormat
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    TopicFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_an_online_weekday_evening_group_and_saves_its_meetings(
    live_server, page: Page
):
    home = wagtail_tree_ensure()
    finder = GroupIndexPageFactory(parent=home)
    voices = TopicFactory(name="Hearing voices")
    target = GroupPageFactory(
        parent=finder,
        title="Tuesday Evening Voices",
        weekday=1,
        start_time=time(19, 30),
        topics=[voices],
    )
    GroupPageFactory(
        parent=finder, title="Sunday Evening Online", weekday=6, start_time=time(19)
    )
    GroupPageFactory(
        parent=finder, title="Online Breakfast Club", weekday=2, start_time=time(8)
    )
    GroupPageFactory(
        parent=finder,
        title="Leeds Evening Circle",
        format=GroupFormat.IN_PERSON,
        venue=VenueFactory(town="Leeds"),
        weekday=3,
        start_time=time(18),
    )

    page.goto(live_server.url + finder.url)
    page.get_by_label("How it meets").select_option(label="Online")
    page.get_by_label("Day of the week").select_option(label="Monday to Friday")
    page.get_by_label("Time of day").select_option(label="Evening (from 5pm)")
    page.get_by_role("button", name="Show groups").click()

    results = page.locator(".group-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Tuesday Evening Voices")
    assert "format=online" in page.url and "time=evening" in page.url

    results.first.get_by_role("link", name="Tuesday Evening Voices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday Evening Voices")
    expect(page.locator(".next-meetings li").first).to_contain_text("19:30")
    expect(page.get_by_text("meet.example.org")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add these meetings to my calendar").click()
    download = download_info.value
    assert download.suggested_filename == "tuesday-evening-voices.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = calendar.walk("VEVENT")
    expected = target.next_meetings(12)
    assert len(events) == len(expected) == 12
    assert [event.decoded("dtstart") for event in events] == [s for s, _ in expected]
    for event in events:
        start = event.decoded("dtstart")
        assert start.weekday() == 1
        assert (start.hour, start.minute) == (19, 30)
        assert str(event["summary"]) == "Tuesday Evening Voices"
        assert "meet.example.org" not in str(event.get("location", ""))
