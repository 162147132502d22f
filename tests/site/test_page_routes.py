"""Wagtail's page routing from cache (`peer_site.page_routes`): a page's route is
found once and kept until a content event purges it; a private page is routed, and
checked, afresh every time.

The page cache itself is off here (as in every test but its own), so each visit runs
the page: a visit whose routing came from cache runs fewer queries than the first."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.models import SiteSettings, StandardPage
from peer_support.groups.models import GroupCancelledDate, GroupFormat
from peer_support.spaces.models import JoinPolicy, SpaceFacilitator
from peer_support.spaces.services import membership_join, membership_leave
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    PeerWorkerFactory,
    UserFactory,
)
from tests.site_builders import finder_make, group_make, topic_make, venue_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_settings_made():
    SiteSettings.load()  # made on first use, which would purge the first route


@pytest.fixture
def info(home_page):
    return home_page.add_child(
        instance=StandardPage(title="Coping with sleep", slug="sleep")
    )


def visit(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_an_information_page_routed_once_is_then_served_without_a_query(client, info):
    first, first_queries = visit(client, info.url)
    second, second_queries = visit(client, info.url)

    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content


def test_a_page_published_with_a_new_slug_moves_at_once(client, info):
    client.get(info.url)
    info.slug = "sleeping-better"
    info.save_revision().publish()

    assert client.get("/sleep/").status_code == 404
    assert client.get("/sleeping-better/").status_code == 200


def test_a_draft_never_shows_on_the_live_page(client, info):
    client.get(info.url)
    info.title = "Draft title nobody approved"
    info.save_revision()

    html = client.get(info.url).content.decode()
    assert "Coping with sleep" in html
    assert "Draft title" not in html


def test_an_unpublished_page_is_gone_at_once(client, info):
    client.get(info.url)
    info.unpublish()
    assert client.get(info.url).status_code == 404


def test_a_moved_page_is_found_at_its_new_address_only(client, home_page, info):
    other = home_page.add_child(instance=StandardPage(title="Help", slug="help"))
    client.get(info.url)

    info.move(other, pos="last-child")

    assert client.get("/sleep/").status_code in (301, 404)
    assert client.get("/help/sleep/").status_code == 200


def test_a_deleted_page_is_gone_at_once(client, info):
    client.get(info.url)
    info.delete()
    assert client.get("/sleep/").status_code == 404


def test_a_page_made_private_asks_visitors_to_sign_in_at_once(client, info):
    assert client.get(info.url).status_code == 200

    PageViewRestriction.objects.create(
        page=info, restriction_type=PageViewRestriction.LOGIN
    )

    for _ in range(2):
        response = client.get(info.url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(info.url).status_code == 200


def test_a_private_section_covers_the_pages_under_it(client, home_page):
    section = home_page.add_child(instance=StandardPage(title="Staff", slug="staff"))
    child = section.add_child(instance=StandardPage(title="Rota notes", slug="notes"))
    assert client.get(child.url).status_code == 200

    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )

    assert client.get(child.url).status_code == 302


def test_a_password_protected_page_still_asks_for_its_password(client, info):
    PageViewRestriction.objects.create(
        page=info, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    for _ in range(2):
        response = client.get(info.url)
        assert "password" in response.content.decode().lower()
        assert "Coping with sleep" not in response.content.decode()


def test_an_unknown_address_is_not_found_and_a_page_made_there_later_is(
    client, home_page
):
    assert client.get("/later/").status_code == 404
    assert client.get("/later/").status_code == 404

    home_page.add_child(instance=StandardPage(title="Later", slug="later"))

    assert client.get("/later/").status_code == 200


def test_a_groups_calendar_file_is_routed_from_the_same_page(client, home_page):
    group = group_make(finder_make(home_page), title="Calm Walkers")
    client.get(group.url)

    for _ in range(2):
        response = client.get(group.url + "calendar/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")


def test_a_cancelled_meeting_written_on_its_own_shows_at_once(client, home_page):
    group = group_make(finder_make(home_page), title="Calm Walkers")
    upcoming = group.next_meetings(2)
    first_meeting = upcoming[0][0].strftime("%-d %B %Y")
    assert first_meeting in client.get(group.url).content.decode()

    GroupCancelledDate.objects.create(page=group, date=upcoming[0][0].date())

    assert first_meeting not in client.get(group.url).content.decode()


def test_a_facilitators_new_pseudonym_shows_at_once(client, home_page):
    group = group_make(finder_make(home_page), title="Calm Walkers")
    worker = PeerWorkerFactory(pseudonym="Maple Owl")
    SpaceFacilitator.objects.create(page=group, worker=worker)
    assert "Maple Owl" in client.get(group.url).content.decode()

    worker.pseudonym = "Quiet Heron"
    worker.save()

    html = client.get(group.url).content.decode()
    assert "Quiet Heron" in html
    assert "Maple Owl" not in html


def group_page_queries(client, group) -> int:
    client.get(group.url)
    _response, queries = visit(client, group.url)
    return queries


def test_group_page_queries_do_not_grow_with_topics_or_cancelled_meetings(
    client, home_page
):
    finder = finder_make(home_page)
    venue = venue_make()
    fields = {
        "format": GroupFormat.HYBRID,
        "venue": venue,
        "weekday": 2,
        "start_time": time(19, 0),
        "starts_on": date(2026, 1, 1),
    }
    small = group_make(finder, title="Small", topics=[topic_make("Anxiety")], **fields)
    large = group_make(
        finder,
        title="Large",
        topics=[topic_make(f"Topic {n}") for n in range(5)],
        **fields,
    )
    for day in (date(2026, 12, 23), date(2026, 12, 30), date(2027, 1, 6)):
        GroupCancelledDate.objects.create(page=large, date=day)

    assert group_page_queries(client, large) == group_page_queries(client, small)
    # Routing, the topics, the venue and the cancelled meetings come with the page.
    assert group_page_queries(client, small) <= 4


def test_course_page_queries_do_not_grow_with_topics(client, home_page):
    index = CourseIndexPageFactory(parent=home_page)
    small = CoursePageFactory(parent=index, title="Small course", topics=1)
    large = CoursePageFactory(parent=index, title="Large course", topics=24)

    client.get(small.url)
    _response, small_queries = visit(client, small.url)
    client.get(large.url)
    response, large_queries = visit(client, large.url)

    assert large_queries == small_queries <= 3
    html = response.content.decode()
    # Still grouped by week, in order.
    assert html.index("Week 1") < html.index("Week 2")


def test_places_left_change_at_once_when_someone_joins_or_leaves(client, home_page):
    group = group_make(
        finder_make(home_page),
        title="Calm Walkers",
        capacity=5,
        join_policy=JoinPolicy.OPEN,
    )
    member = UserFactory()
    assert "5 places left." in client.get(group.url).content.decode()

    membership = membership_join(space_id=group.pk, member=member)
    assert "4 places left." in client.get(group.url).content.decode()

    membership_leave(membership_id=membership.pk, member=member)
    assert "5 places left." in client.get(group.url).content.decode()


def test_a_course_list_shows_a_new_or_unpublished_course_at_once(client, home_page):
    index = CourseIndexPageFactory(parent=home_page)
    early = CoursePageFactory(parent=index, title="Early course", topics=0)
    assert "Early course" in client.get(index.url).content.decode()

    CoursePageFactory(parent=index, title="Later course", topics=0)
    early.unpublish()

    html = client.get(index.url).content.decode()
    assert "Later course" in html
    assert "Early course" not in html


def test_a_course_list_visited_again_runs_no_query(client, home_page):
    index = CourseIndexPageFactory(parent=home_page)
    for number in range(3):
        CoursePageFactory(parent=index, title=f"Course {number}", topics=0)
    first = client.get(index.url)

    again, queries = visit(client, index.url)

    assert queries == 0
    assert again.content == first.content


def test_views_outside_the_page_tree_find_their_site_from_cache(client, home_page):
    client.get("/search/")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/")

    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if "wagtailcore_site" in q["sql"]]
