"""The one calendar builder: a file any calendar application parses, with the
service zone's VTIMEZONE and a real DTSTAMP."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peer_support import timeutils
from peer_support.ical import CalendarEvent, calendar_build, calendar_response
from peer_support.rotas import services
from tests.factories import PeerWorkerFactory, ShiftFactory

EVENTS = [
    CalendarEvent(
        uid="meeting-1@peer-support",
        start=datetime(2026, 3, 29, 18, 0, tzinfo=UTC),
        end=datetime(2026, 3, 29, 19, 30, tzinfo=UTC),
        summary="Hearing Voices group",
        location="Online",
    ),
    CalendarEvent(
        uid="meeting-2@peer-support",
        start=datetime(2026, 10, 25, 19, 0, tzinfo=UTC),
        end=datetime(2026, 10, 25, 20, 30, tzinfo=UTC),
        summary="Hearing Voices group",
    ),
]


def test_calendar_file_parses_with_each_event_and_its_times():
    response = calendar_response(name="Meetings", filename="meetings", events=EVENTS)

    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="meetings.ics"' in response["Content-Disposition"]
    parsed = Calendar.from_ical(response.content)
    found = [
        (str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]))
        for e in parsed.walk("VEVENT")
    ]
    assert found == [(e.uid, e.start, e.end, e.summary) for e in EVENTS]


def test_event_times_name_the_service_zone_which_the_calendar_defines():
    body = calendar_build(name="Meetings", events=EVENTS).to_ical().decode()
    parsed = Calendar.from_ical(body)

    (zone,) = parsed.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert parsed.get_missing_tzids() == set()
    # Local wall-clock times: 19:00 on both sides of the spring change.
    assert "DTSTART;TZID=Europe/London:20260329T190000" in body
    assert "DTSTART;TZID=Europe/London:20261025T190000" in body
    # The zone the calendar carries gives the right offsets for those dates.
    tz = zone.to_tz()
    assert datetime(2026, 3, 29, 19, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 10, 25, 19, tzinfo=tz).utcoffset() == timedelta(0)


def test_dtstamp_is_when_the_file_was_made_in_utc():
    made = datetime(2026, 11, 1, 12, 30, tzinfo=UTC)
    parsed = Calendar.from_ical(
        calendar_build(name="Meetings", events=EVENTS, stamp=made).to_ical()
    )
    stamps = [e.decoded("dtstamp") for e in parsed.walk("VEVENT")]
    assert stamps == [made, made]
    assert "DTSTAMP:20261101T123000Z" in parsed.to_ical().decode()


def test_dtstamp_defaults_to_now_not_the_event_start():
    before = timezone.now().replace(microsecond=0)
    parsed = Calendar.from_ical(calendar_build(name="M", events=EVENTS).to_ical())
    for event in parsed.walk("VEVENT"):
        assert event.decoded("dtstamp") >= before
        assert event.decoded("dtstamp") != event.decoded("dtstart")


def test_empty_calendar_still_parses_with_its_zone():
    parsed = Calendar.from_ical(calendar_build(name="Nothing yet", events=[]).to_ical())
    assert [str(z["tzid"]) for z in parsed.walk("VTIMEZONE")] == ["Europe/London"]
    assert parsed.walk("VEVENT") == []


@pytest.mark.django_db
def test_rota_feed_is_a_parseable_calendar_with_the_zone(client, roles):
    worker = PeerWorkerFactory()
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    shift = ShiftFactory(start=start, hours=4)
    services.shift_claim(shift_id=shift.pk, worker=worker)
    client.force_login(worker)
    client.post(reverse("rotas:calendar"), {"action": "renew"})
    worker.rota_calendar.refresh_from_db()
    client.logout()

    feed = client.get(reverse("rotas:feed", args=[worker.rota_calendar.token]))

    parsed = Calendar.from_ical(feed.content)
    assert [str(z["tzid"]) for z in parsed.walk("VTIMEZONE")] == ["Europe/London"]
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart") == shift.start
    assert timeutils.elapsed(event.decoded("dtstart"), event.decoded("dtend")) == (
        timedelta(hours=4)
    )
