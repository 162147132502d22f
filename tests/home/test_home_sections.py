"""The home page guides: ways in, what meets soon, how it works, when peer workers are
around; and the pages every member is pointed to when they join."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from home import demo
from home.models import HomePage
from peer_support.groups.models import GroupFormat, GroupStatus
from peer_support.spaces.models import JoinPolicy
from tests.factories import EditorFactory
from tests.site_builders import course_build, finder_make, group_make, venue_make

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def weekday_after(days: int) -> int:
    return (timezone.localdate() + timedelta(days=days)).weekday()


@pytest.fixture
def demo_home(home_page, roles):
    from peer_support.courses.models import CourseIndexPage

    finder = finder_make(home_page)
    courses = home_page.add_child(
        instance=CourseIndexPage(title="Courses", slug="courses")
    )
    demo.load()
    return home_page, finder, courses


def test_home_page_sections_show_routes_next_groups_courses_steps_and_cover(
    client, demo_home
):
    home, finder, courses = demo_home
    group_make(finder, title="Soon Circle", weekday=weekday_after(1))
    group_make(finder, title="Later Circle", weekday=weekday_after(3))
    group_make(finder, title="Latest Circle", weekday=weekday_after(5))
    group_make(finder, title="Far Circle", weekday=weekday_after(6))
    group_make(
        finder,
        title="Paused Circle",
        weekday=weekday_after(1),
        status=GroupStatus.PAUSED,
    )
    group_make(
        finder,
        title="Secret Circle",
        weekday=weekday_after(1),
        join_policy=JoinPolicy.INVITE,
    )
    today = timezone.localdate()
    course_build(
        courses,
        title="Coming Course",
        slug="coming",
        starts_on=today + timedelta(days=10),
        enrolment_opens_at=timezone.now(),
        enrolment_closes_at=timezone.now() + timedelta(days=9),
    )
    course_build(
        courses,
        title="Ended Course",
        slug="ended",
        starts_on=date(2020, 1, 1),
        enrolment_opens_at=datetime(2019, 12, 1, tzinfo=LONDON),
        enrolment_closes_at=datetime(2019, 12, 20, tzinfo=LONDON),
    )
    demo.home_sections_load()
    demo.home_sections_load()  # running it again adds nothing

    home = HomePage.objects.get()
    assert [block.block_type for block in home.body].count("routes") == 1
    page = client.get("/").content.decode()

    assert f'href="{finder.url}"' in page and "Find a group" in page
    assert f'href="{courses.url}"' in page
    assert page.index("Soon Circle") < page.index("Later Circle")
    assert page.index("Later Circle") < page.index("Latest Circle")
    assert "Far Circle" not in page  # three shown
    assert "Paused Circle" not in page and "Secret Circle" not in page
    assert "Coming Course" in page and "Ended Course" not in page
    assert "How it works" in page
    assert page.count('class="step"') == 3
    assert "When peer workers are around" in page
    assert "No peer worker is reading the discussions just now" in page
    assert page.count("peer-worker-status") == 1  # the section, not twice


def test_crisis_numbers_are_call_and_text_links(client, demo_home):
    page = client.get("/").content.decode()

    assert 'href="sms:85258?body=SHOUT"' in page
    assert 'href="tel:116123"' in page
    assert 'href="tel:111"' in page


def test_terms_privacy_and_contact_are_real_pages_linked_from_footer_and_joining(
    client, demo_home
):
    terms = client.get("/terms/")
    assert terms.status_code == 200
    assert "Terms of use" in terms.content.decode()
    privacy = client.get("/privacy/").content.decode()
    for heading in (
        "What other members see",
        "What staff see",
        "What safeguarding may do",
        "How long we keep things",
    ):
        assert heading in privacy
    assert client.get("/contact/").status_code == 200

    for url in ("/", "/accounts/login/", "/terms/"):
        footer = client.get(url).content.decode().split("site-footer")[1]
        for link in ('href="/terms/"', 'href="/privacy/"', 'href="/contact/"'):
            assert link in footer, (url, link)

    register = client.get("/accounts/register/").content.decode()
    consent = register.split("consent-links")[1].split("</p>")[0]
    assert 'href="/terms/"' in consent and 'href="/privacy/"' in consent


def test_loading_the_demo_again_keeps_one_of_each_policy_page(demo_home):
    from home.models import StandardPage

    demo.load()
    assert StandardPage.objects.filter(slug="terms").count() == 1
    assert StandardPage.objects.filter(slug="privacy").count() == 1


def test_an_editor_edits_the_terms_in_wagtail(client, demo_home):
    from home.models import StandardPage

    client.force_login(EditorFactory())
    terms = StandardPage.objects.get(slug="terms")
    assert client.get(f"/admin/pages/{terms.pk}/edit/").status_code == 200


def test_home_without_sections_still_says_when_peer_workers_are_around(
    client, home_page
):
    assert (
        "No peer worker is reading the discussions just now"
        in client.get("/").content.decode()
    )


def test_a_group_meeting_soon_links_to_its_page_and_says_where_it_meets(
    client, demo_home
):
    _home, finder, _courses = demo_home
    hybrid = group_make(
        finder,
        title="Harbour Circle",
        weekday=weekday_after(1),
        format=GroupFormat.HYBRID,
        venue=venue_make(town="Whitby"),
    )
    online = group_make(
        finder,
        title="Evening Online",
        weekday=weekday_after(2),
        format=GroupFormat.ONLINE,
    )
    demo.home_sections_load()

    page = client.get("/").content.decode()

    assert f'<a href="{hybrid.url}">Harbour Circle</a>' in page
    assert f'<a href="{online.url}">Evening Online</a>' in page
    harbour = page.split("Harbour Circle", 1)[1].split("</li>")[0]
    assert "Whitby and online" in harbour
    evening = page.split("Evening Online", 1)[1].split("</li>")[0]
    assert "Online" in evening and "Whitby" not in evening


def test_group_meeting_tonight_comes_before_one_meeting_tomorrow(demo_home):
    from home.selectors import groups_meeting_soon

    _home, finder, _courses = demo_home
    at = datetime(2026, 6, 3, 12, tzinfo=LONDON)  # a Wednesday
    group_make(finder, title="Thursday", weekday=3, start_time=time(9))
    group_make(finder, title="Wednesday", weekday=2, start_time=time(19))
    assert [g.title for g in groups_meeting_soon(at=at)] == [
        "Wednesday",
        "Thursday",
    ]


def test_groups_meeting_soon_are_kept_until_the_first_of_them_ends(demo_home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.selectors import groups_meeting_soon

    _home, finder, _courses = demo_home
    wednesday_noon = datetime(2026, 6, 3, 12, tzinfo=LONDON)
    for title, weekday in [("Wednesday", 2), ("Thursday", 3), ("Friday", 4)]:
        group_make(
            finder,
            title=title,
            weekday=weekday,
            start_time=time(19),
            duration_minutes=60,
        )
    assert [g.title for g in groups_meeting_soon(at=wednesday_noon)] == [
        "Wednesday",
        "Thursday",
        "Friday",
    ]

    with CaptureQueriesContext(connection) as captured:
        later = groups_meeting_soon(at=wednesday_noon + timedelta(hours=7, minutes=30))
    assert [g.title for g in later] == ["Wednesday", "Thursday", "Friday"]
    assert not captured.captured_queries

    # Wednesday's meeting has ended: its next one is a week away.
    after = groups_meeting_soon(at=wednesday_noon + timedelta(hours=8))
    assert [g.title for g in after] == ["Thursday", "Friday", "Wednesday"]
    assert after[2].starts == datetime(2026, 6, 10, 19, tzinfo=LONDON)

    # A group published in the meantime shows at once.
    group_make(finder, title="Thursday morning", weekday=3, start_time=time(9))
    assert [
        g.title for g in groups_meeting_soon(at=wednesday_noon + timedelta(hours=9))
    ] == [
        "Thursday morning",
        "Thursday",
        "Friday",
    ]


def test_courses_coming_up_are_read_once_a_day_until_a_course_is_published(
    client, demo_home
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.selectors import courses_coming_up

    _home, _finder, courses = demo_home
    today = timezone.localdate()

    def course(title: str, starts_in_days: int):
        return course_build(
            courses,
            title=title,
            slug=title.lower().replace(" ", "-"),
            starts_on=today + timedelta(days=starts_in_days),
            enrolment_opens_at=timezone.now(),
            enrolment_closes_at=timezone.now() + timedelta(days=starts_in_days - 1),
        )

    first = course("First Course", 10)
    assert [c.title for c in courses_coming_up()] == ["First Course"]
    with CaptureQueriesContext(connection) as captured:
        again = courses_coming_up()
    assert [c.url for c in again] == [first.url]
    assert not captured.captured_queries

    course("Sooner Course", 5)

    assert [c.title for c in courses_coming_up()] == ["Sooner Course", "First Course"]
    when_it_has_ended = timezone.now() + timedelta(days=400)
    assert courses_coming_up(at=when_it_has_ended) == []
