from datetime import UTC, datetime

from icalendar import Calendar

from peer_support.ical import CalendarEvent, calendar_response


def test_calendar_file_parses_with_each_event_and_its_times():
    events = [
        CalendarEvent(
            uid="meeting-1@peer-support",
            start=datetime(2026, 3, 29, 18, 0, tzinfo=UTC),
            end=datetime(2026, 3, 29, 19, 30, tzinfo=UTC),
            summary="Hearing Voices group",
            location="Online",
        ),
        CalendarEvent(
            uid="meeting-2@peer-support",
            start=datetime(2026, 4, 5, 17, 0, tzinfo=UTC),
            end=datetime(2026, 4, 5, 18, 30, tzinfo=UTC),
            summary="Hearing Voices group",
        ),
    ]

    response = calendar_response(name="Meetings", filename="meetings", events=events)

    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="meetings.ics"' in response["Content-Disposition"]
    parsed = Calendar.from_ical(response.content)
    found = [
        (str(e["uid"]), e.decoded("dtstart"), str(e["summary"]))
        for e in parsed.walk("VEVENT")
    ]
    assert found == [
        ("meeting-1@peer-support", events[0].start, "Hearing Voices group"),
        ("meeting-2@peer-support", events[1].start, "Hearing Voices group"),
    ]
