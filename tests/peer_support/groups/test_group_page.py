from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from home.models import HomePage
from peer_support.groups.models import (
    GroupCancelledDate,
    GroupFormat,
    GroupIndexPage,
    GroupPage,
)
from peer_support.spaces.models import (
    GroundRules,
    JoinPolicy,
    Membership,
    MembershipStatus,
    SpaceFacilitator,
    SpacePage,
)
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    PeerWorkerFactory,
    TopicFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room"


@pytest.fixture
def group(home_page):
    finder = GroupIndexPageFactory(parent=home_page)
    rules = GroundRules.objects.create(title="Our rules", body="<p>Be kind.</p>")
    rules.save_revision().publish()
    group = GroupPageFactory(
        parent=finder,
        title="Evening Voices",
        format=GroupFormat.HYBRID,
        venue=VenueFactory(town="Leeds", accessibility="Step-free entrance"),
        weekday=2,
        start_time=time(19, 0),
        starts_on=date(2026, 1, 1),
        capacity=10,
        join_policy=JoinPolicy.REQUEST,
        ground_rules=rules,
        topics=[TopicFactory(name="Hearing voices")],
    )
    worker = PeerWorkerFactory(pseudonym="Maple Owl", email="maple@example.org")
    SpaceFacilitator.objects.create(page=group, worker=worker)
    return group


def member_with(group, status):
    member = UserFactory()
    Membership.objects.create(space=group, member=member, status=status)
    return member


def test_page_types_accept_only_sensible_parents_and_children():
    assert GroupIndexPage in HomePage.allowed_subpage_models()
    assert GroupIndexPage.allowed_subpage_models() == [GroupPage]
    assert GroupPage.allowed_parent_page_models() == [GroupIndexPage]
    assert GroupPage.allowed_subpage_models() == []


def test_visitor_sees_when_and_the_town_but_not_the_address_or_link(client, group):
    html = client.get(group.url).content.decode()

    assert "Leeds" in html
    assert "Step-free entrance" in html
    assert "Secret Street" not in html
    assert LINK not in html
    assert "Members of the group see the meeting link" in html
    assert "Maple Owl" in html and "maple@example.org" not in html
    assert "Be kind." in html
    assert html.count("<time") == 6
    assert "19:00" in html


def test_active_member_sees_the_address_and_the_meeting_link(client, group):
    client.force_login(member_with(group, MembershipStatus.ACTIVE))

    html = client.get(group.url).content.decode()

    assert "Secret Street" in html
    assert LINK in html


@pytest.mark.parametrize(
    "status", [MembershipStatus.REQUESTED, MembershipStatus.SUSPENDED]
)
def test_member_who_is_not_active_does_not_see_private_details(client, group, status):
    client.force_login(member_with(group, status))

    html = client.get(group.url).content.decode()

    assert "Secret Street" not in html
    assert LINK not in html


def test_ground_rules_show_the_published_version_not_a_draft(client, group):
    rules = group.ground_rules
    rules.body = "<p>Draft wording nobody approved.</p>"
    rules.save_revision()  # a draft: the live row keeps the published text

    html = client.get(group.url).content.decode()

    assert "Be kind." in html
    assert "Draft wording" not in html


def test_membership_panel_shows_join_policy_and_places_left(client, group):
    for _ in range(3):
        member_with(group, MembershipStatus.ACTIVE)
    member_with(group, MembershipStatus.LEFT)

    html = client.get(group.url).content.decode()

    assert "Request to join: a facilitator approves" in html
    assert "7 places left." in html


def test_cancelled_meeting_is_not_listed(client, group):
    upcoming = group.next_meetings(2)
    GroupCancelledDate.objects.create(
        page=group, date=upcoming[0][0].date(), reason="Venue closed"
    )

    html = client.get(group.url).content.decode()

    assert upcoming[0][0].strftime("%-d %B %Y") not in html
    assert upcoming[1][0].strftime("%-d %B %Y") in html


def test_calendar_file_lists_upcoming_meetings_without_private_details(client, group):
    response = client.get(group.url + group.reverse_subpage("meetings_ical"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    expected = group.next_meetings(12)
    assert len(events) == 12
    assert [e.decoded("dtstart") for e in events] == [s for s, _ in expected]
    assert all(str(e["summary"]) == "Evening Voices" for e in events)
    assert LINK not in response.content.decode()
    assert "Secret Street" not in response.content.decode()


def test_calendar_file_for_an_active_member_carries_the_link(client, group):
    client.force_login(member_with(group, MembershipStatus.ACTIVE))

    response = client.get(group.url + group.reverse_subpage("meetings_ical"))

    assert LINK in response.content.decode().replace("\r\n ", "")


def test_sessions_between_answers_through_the_space_page(group):
    space = SpacePage.objects.get(pk=group.pk)

    sessions = space.specific.sessions_between(
        datetime(2026, 3, 23, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC)
    )

    assert [start.date() for start, _ in sessions] == [
        date(2026, 3, 25),
        date(2026, 4, 1),
    ]
    assert SpacePage.sessions_between(space, datetime.now(UTC), datetime.now(UTC)) == []


def test_paused_group_lists_no_meetings(client, group):
    group.status = "paused"
    group.save_revision().publish()

    html = client.get(group.url).content.decode()

    assert "No meetings are planned at the moment." in html


def test_in_person_group_without_a_venue_is_refused(group):
    from django.core.exceptions import ValidationError

    group.format = GroupFormat.IN_PERSON
    group.venue = None
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "venue" in error.value.message_dict


def test_editor_finds_groups_in_the_admin_search(admin_client, group):
    response = admin_client.get("/admin/pages/search/", {"q": "Evening Voices"})

    assert response.status_code == 200
    assert "Evening Voices" in response.content.decode()


def test_editor_creates_a_group_in_the_admin(admin_client, home_page):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        streamfield,
    )

    finder = GroupIndexPageFactory(parent=home_page)
    venue = VenueFactory(town="York")
    topic = TopicFactory(name="Anxiety")
    data = nested_form_data(
        {
            "title": "Admin Made Group",
            "slug": "admin-made-group",
            "summary": "Made in the admin.",
            "who_for": "Anyone",
            "body": streamfield([]),
            "status": "running",
            "format": "in_person",
            "venue": venue.pk,
            "meeting_link": "",
            "frequency": "fortnightly",
            "weekday": "3",
            "start_time": "18:30",
            "duration_minutes": "60",
            "starts_on": "2026-01-01",
            "ends_on": "",
            "cancelled_dates": inline_formset([{"date": "2026-12-24", "reason": ""}]),
            "join_policy": "open",
            "capacity": "8",
            "max_professionals": "",
            "max_professional_share": "",
            "ground_rules": "",
            "moderation_mode": "pre",
            "facilitators": inline_formset([]),
            "eligibility_questions": inline_formset([]),
            "action-publish": "publish",
        }
    )

    data["topics"] = [topic.pk]  # a multiple choice, not a nested list

    response = admin_client.post(
        f"/admin/pages/add/groups/grouppage/{finder.pk}/", data
    )

    assert response.status_code == 302, response.context["form"].errors
    group = GroupPage.objects.get(slug="admin-made-group")
    assert group.live
    assert list(group.topics.all()) == [topic]
    assert group.cancelled_dates.get().date == date(2026, 12, 24)
