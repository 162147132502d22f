from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from peer_support.courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseTopic,
    LiveSession,
)
from peer_support.spaces.models import (
    Membership,
    MembershipStatus,
    SpaceFacilitator,
    SpaceRole,
)

LONDON = ZoneInfo("Europe/London")


def course_build(
    index,
    *,
    title="Using the Internet in mental health practice",
    starts_on=date(2026, 3, 25),
    topics=3,
    sessions=2,
    **fields,
):
    """A published course; sessions at 6 pm London time on the start day and the
    week after."""
    defaults = {
        "summary": "A week of discussion for practitioners and service users.",
        "enrolment_opens_at": datetime(2026, 3, 1, 9, tzinfo=LONDON),
        "enrolment_closes_at": datetime(2026, 3, 24, 17, tzinfo=LONDON),
        "starts_on": starts_on,
        "ends_on": starts_on + timedelta(days=7),
        "consent_text": "I agree that the course team may read my posts.",
        "capacity": 32,
        "max_service_users": 20,
        "max_professionals": 12,
        "max_professional_share": 50,
        "certificate_min_live_sessions": 2,
    }
    defaults.update(fields)
    course = CoursePage(title=title, **defaults)
    for number in range(topics):
        course.topics.add(
            CourseTopic(
                week=1 + number // 12,
                title=f"Topic {number + 1}",
                prompt=f"What do you think about topic {number + 1}?",
            )
        )
    for number in range(sessions):
        day = starts_on + timedelta(days=7 * number)
        course.live_sessions.add(
            LiveSession(
                title=f"Live session {number + 1}",
                starts_at=datetime(day.year, day.month, day.day, 18, tzinfo=LONDON),
                duration=timedelta(hours=1),
                webcast_url=f"https://webcast.example.org/session-{number + 1}",
            )
        )
    index.add_child(instance=course)
    return course


def enrol(course, member, *, role=SpaceRole.MEMBER, status=MembershipStatus.ACTIVE):
    return Membership.objects.create(
        space=course, member=member, role=role, status=status
    )


def facilitate(course, worker):
    SpaceFacilitator.objects.create(page=course, worker=worker)


@pytest.fixture
def course_index(home_page):
    return home_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )


@pytest.fixture
def course(course_index):
    return course_build(course_index)
