"""The one calendar builder (iCalendar) for group meetings, live sessions and rota
shifts.

Event times are written in the service zone with a `TZID` and the calendar carries that
zone's VTIMEZONE (built by icalendar from zoneinfo, covering only the years the events
span), so a calendar application shows 19:00 as 19:00 on both sides of a clock change
without guessing at the zone. DTSTAMP is when the file was made, in UTC, as RFC 5545
asks; clients use it to tell a newer copy of an event from an older one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from peer_support import timeutils


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across downloads, so calendars update rather than duplicate
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def _zone_component(events: list[CalendarEvent]) -> Timezone:
    zone = timeutils.service_zone()
    if events:
        first = min(timeutils.to_local(e.start).date() for e in events)
        last = max(timeutils.to_local(e.end).date() for e in events)
    else:
        first = last = timezone.localdate()
    return Timezone.from_tzinfo(
        zone,
        tzid=zone.key,
        first_date=date(first.year - 1, 1, 1),
        last_date=date(last.year + 1, 12, 31),
    )


def calendar_build(
    *, name: str, events: Iterable[CalendarEvent], stamp: datetime | None = None
) -> Calendar:
    events = list(events)
    stamp = (stamp or timezone.now()).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timeutils.service_zone().key)
    calendar.add_component(_zone_component(events))
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", timeutils.to_local(item.start))
        event.add("dtend", timeutils.to_local(item.end))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    return calendar


def calendar_response(
    *, name: str, filename: str, events: Iterable[CalendarEvent]
) -> HttpResponse:
    response = HttpResponse(
        calendar_build(name=name, events=events).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
