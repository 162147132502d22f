from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from peer_support.courses.models import CourseIndexPage, CoursePage
from peer_support.spaces.models import SpaceRole, SpaceSession
from tests.factories import (
    CoursePageFactory,
    MembershipFactory,
    PeerWorkerFactory,
    ProfessionalFactory,
    SpaceFacilitatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BEFORE_ENROLMENT = datetime(2026, 2, 1, 12, tzinfo=UTC)
DURING_ENROLMENT = datetime(2026, 3, 10, 12, tzinfo=UTC)
AFTER_ENROLMENT = datetime(2026, 3, 24, 18, tzinfo=UTC)


class CoursePageTreeTests(WagtailPageTestCase):
    def test_page_types_accept_only_sensible_parents_and_children(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, set())


def test_course_page_shows_dates_topics_by_week_and_sessions(client, course_index):
    course = CoursePageFactory(parent=course_index, topics=14)

    page = client.get(course.url).content.decode()

    assert "Wednesday 25 March 2026 to Wednesday 1 April 2026" in page
    assert "Week 1" in page and "Week 2" in page
    assert page.index("Topic 12") < page.index("Week 2") < page.index("Topic 13")
    # 6 pm London on both sides of the clocks going forward on 29 March.
    assert "Wednesday 25 March 2026, 18:00" in page
    assert "Wednesday 1 April 2026, 18:00" in page
    assert "60 minutes" in page


@pytest.mark.parametrize(
    ("now", "state", "words"),
    [
        (BEFORE_ENROLMENT, "not_yet_open", "Enrolment opens"),
        (DURING_ENROLMENT, "open", "Enrolment is open until"),
        (AFTER_ENROLMENT, "closed", "Enrolment has closed."),
    ],
)
def test_course_page_says_whether_enrolment_is_open(
    client, course, monkeypatch, now, state, words
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)

    page = client.get(course.url).content.decode()

    assert f'data-enrolment-state="{state}"' in page
    assert words in page


def test_course_page_shows_places_left_for_each_role(client, course):
    # Places are shown while the course takes people: enrolment open, not ended.
    now = timezone.now()
    course.enrolment_opens_at = now - timedelta(days=1)
    course.enrolment_closes_at = now + timedelta(days=1)
    course.starts_on = timezone.localdate(now) + timedelta(days=2)
    course.ends_on = course.starts_on + timedelta(days=7)
    course.save_revision().publish()
    for _ in range(3):
        MembershipFactory(space=course, member=UserFactory())
    for _ in range(2):
        MembershipFactory(
            space=course, member=ProfessionalFactory(), role=SpaceRole.PROFESSIONAL
        )

    page = client.get(course.url).content.decode()

    # 20 service users at most, 3 enrolled; at most 50% professionals: one more
    # makes 3 of 6.
    assert 'data-places="service-users">17<' in page
    assert 'data-places="professionals">1<' in page
    assert "18 places left." in page


def test_webcast_link_is_shown_to_enrolled_members_only(client, course):
    member = UserFactory()
    MembershipFactory(space=course, member=member)

    anonymous_page = client.get(course.url).content.decode()
    client.force_login(UserFactory())
    stranger_page = client.get(course.url).content.decode()
    client.force_login(member)
    member_page = client.get(course.url).content.decode()

    link = "https://webcast.example.org/session-1"
    assert link not in anonymous_page
    assert link not in stranger_page
    assert "Enrolled members see the webcast link here." in stranger_page
    assert link in member_page


def test_moderators_are_shown_by_pseudonym_never_by_email(client, course):
    worker = PeerWorkerFactory(pseudonym="Maple Owl")
    SpaceFacilitatorFactory(page=course, worker=worker)

    page = client.get(course.url).content.decode()

    assert "Maple Owl" in page
    assert worker.email not in page


def test_course_index_lists_live_courses(client, course_index):
    CoursePageFactory(parent=course_index, title="Course A")
    draft = CoursePageFactory(parent=course_index, title="Course B")
    draft.unpublish()

    page = client.get(course_index.url).content.decode()

    assert "Course A" in page
    assert "Course B" not in page


def test_ical_file_lists_live_sessions_without_the_link_for_strangers(client, course):
    response = client.get(course.url + "calendar/")

    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [
        datetime(2026, 3, 25, 18, tzinfo=UTC),  # GMT
        datetime(2026, 4, 1, 17, tzinfo=UTC),  # BST: 6 pm London
    ]
    assert b"webcast.example.org" not in response.content


def test_ical_file_carries_the_webcast_link_for_members(client, course):
    member = UserFactory()
    MembershipFactory(space=course, member=member)
    client.force_login(member)

    response = client.get(course.url + "calendar/")

    assert b"https://webcast.example.org/session-1" in response.content


def test_sessions_between_returns_the_live_sessions_in_the_window(course):
    sessions = course.sessions_between(
        datetime(2026, 3, 30, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC)
    )

    assert sessions == [
        (datetime(2026, 4, 1, 17, tzinfo=UTC), datetime(2026, 4, 1, 18, tzinfo=UTC))
    ]


def test_a_session_under_way_at_the_window_start_counts_and_one_just_ended_not(
    course,
):
    """For the course page and for the rota's read of every course alike."""
    meeting = (
        datetime(2026, 4, 1, 17, tzinfo=UTC),
        datetime(2026, 4, 1, 18, tzinfo=UTC),
    )
    under_way = (
        datetime(2026, 4, 1, 17, 30, tzinfo=UTC),
        datetime(2026, 4, 2, tzinfo=UTC),
    )
    just_ended = (meeting[1], datetime(2026, 4, 2, tzinfo=UTC))

    assert course.sessions_between(*under_way) == [meeting]
    assert course.sessions_between(*just_ended) == []
    assert CoursePage.live_sessions_between(*under_way) == [
        SpaceSession(course.pk, course.title, *meeting)
    ]
    assert CoursePage.live_sessions_between(*just_ended) == []


def test_course_page_query_count_does_not_grow_with_topics_sessions_or_moderators(
    client, course_index, query_count
):
    small = CoursePageFactory(parent=course_index, title="Small", topics=2, sessions=1)
    large = CoursePageFactory(
        parent=course_index, title="Large", topics=36, sessions=10
    )
    for course, moderators in ((small, 1), (large, 8)):
        for moderator in PeerWorkerFactory.create_batch(moderators):
            SpaceFacilitatorFactory(page=course, worker=moderator)
    member = UserFactory()
    MembershipFactory(space=small, member=member)
    MembershipFactory(space=large, member=member)
    client.force_login(member)

    query_count.assert_same(small.url, large.url, at_most=30)
    page = client.get(large.url).content.decode()
    assert page.count('class="member-pseudonym"') >= 8


def test_course_list_query_count_does_not_grow_with_courses(course_index, query_count):
    for number in range(2):
        CoursePageFactory(
            parent=course_index, title=f"Early {number}", topics=0, sessions=0
        )

    def grow():
        for number in range(10):
            CoursePageFactory(
                parent=course_index, title=f"Later {number}", topics=0, sessions=0
            )

    query_count.assert_unchanged(course_index.url, grow)


def test_sessions_stay_at_6pm_london_when_the_clocks_go_back(client, course_index):
    from datetime import date

    course = CoursePageFactory(
        parent=course_index,
        title="Autumn run",
        starts_on=date(2026, 10, 21),
        enrolment_closes_at=datetime(2026, 10, 20, 17, tzinfo=UTC),
    )

    response = client.get(course.url + "calendar/")
    page = client.get(course.url).content.decode()

    starts = [
        e.decoded("dtstart")
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert starts == [
        datetime(2026, 10, 21, 17, tzinfo=UTC),  # BST
        datetime(2026, 10, 28, 18, tzinfo=UTC),  # GMT after 25 October
    ]
    assert "Wednesday 21 October 2026, 18:00" in page
    assert "Wednesday 28 October 2026, 18:00" in page
