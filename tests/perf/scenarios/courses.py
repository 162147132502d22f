"""Fifty courses with twelve topics and two live sessions each: the course list and
one course page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from home.models import HomePage
from peer_support.courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseTopic,
    LiveSession,
)

COURSES = 50
LONDON = ZoneInfo("Europe/London")
state = {}


def build() -> None:
    home = HomePage.objects.get()
    index = home.add_child(
        instance=CourseIndexPage(title="Bench courses", slug="bench-courses")
    )
    first_start = date(2026, 1, 7)
    for number in range(COURSES):
        starts_on = first_start + timedelta(weeks=number)
        course = CoursePage(
            title=f"Course {number}",
            slug=f"course-{number}",
            summary="Using the Internet in mental health practice.",
            enrolment_opens_at=datetime(2025, 12, 1, 9, tzinfo=LONDON),
            enrolment_closes_at=datetime.combine(
                starts_on, datetime.min.time(), tzinfo=LONDON
            ),
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=7),
            consent_text="I agree.",
            capacity=32,
            max_service_users=20,
            max_professionals=12,
            max_professional_share=50,
        )
        for topic in range(12):
            course.topics.add(
                CourseTopic(week=1, title=f"Topic {topic}", prompt="What do you think?")
            )
        for session, day in enumerate((starts_on, starts_on + timedelta(days=7))):
            course.live_sessions.add(
                LiveSession(
                    title=f"Webcast {session}",
                    starts_at=datetime(day.year, day.month, day.day, 18, tzinfo=LONDON),
                    webcast_url="https://webcast.example.org/",
                )
            )
        index.add_child(instance=course)
    state["index"] = index.url
    state["course"] = CoursePage.objects.get(slug="course-25").url


def measurements(client):
    return [
        ("course list (50 courses)", lambda: client.get(state["index"])),
        ("course page (12 topics)", lambda: client.get(state["course"])),
    ]
