import re
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime
from wagtail.models import PageViewRestriction

from peer_support.groups.models import GroupFormat, GroupStatus
from peer_support.spaces.models import JoinPolicy, Membership, MembershipStatus
from tests.factories import (
    GroupIndexPageFactory,
    GroupPageFactory,
    TopicFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finder(home_page):
    return GroupIndexPageFactory(parent=home_page)


@pytest.fixture
def varied(finder):
    leeds = VenueFactory(town="Leeds", lat="53.7997", lng="-1.5492")
    york = VenueFactory(town="York", lat="53.9600", lng="-1.0873")
    bristol = VenueFactory(town="Bristol", lat="51.4545", lng="-2.5879")
    anxiety, carers = TopicFactory(name="Anxiety"), TopicFactory(name="Carers")
    return {
        "online_evening": GroupPageFactory(
            parent=finder,
            title="Online Evening Anxiety",
            weekday=1,
            start_time=time(19, 0),
            topics=[anxiety],
        ),
        "online_weekend": GroupPageFactory(
            parent=finder, title="Sunday Online Chat", weekday=6, start_time=time(19, 0)
        ),
        "leeds_morning": GroupPageFactory(
            parent=finder,
            title="Leeds Carers Coffee",
            format=GroupFormat.IN_PERSON,
            venue=leeds,
            weekday=0,
            start_time=time(10, 0),
            topics=[carers],
        ),
        "york_afternoon": GroupPageFactory(
            parent=finder,
            title="York Walking Group",
            format=GroupFormat.IN_PERSON,
            venue=york,
            weekday=3,
            start_time=time(14, 0),
            join_policy=JoinPolicy.OPEN,
        ),
        "bristol_hybrid": GroupPageFactory(
            parent=finder,
            title="Bristol Hybrid Circle",
            format=GroupFormat.HYBRID,
            venue=bristol,
            weekday=4,
            start_time=time(18, 30),
            capacity=1,
            join_policy=JoinPolicy.OPEN,
        ),
        "closed": GroupPageFactory(
            parent=finder, title="Closed Circle", join_policy=JoinPolicy.CLOSED
        ),
        "invite": GroupPageFactory(
            parent=finder, title="Invite Only Voices", join_policy=JoinPolicy.INVITE
        ),
        "ended": GroupPageFactory(
            parent=finder, title="Ended Group", status=GroupStatus.ENDED
        ),
    }


def titles(response) -> list[str]:
    return [item.title for item in response.context["results"]]


def titles_in(html: str) -> list[str]:
    return re.findall(r'<h3 class="h5 card-title"><a href="[^"]*">([^<]*)</a>', html)


def test_finder_lists_findable_groups_but_never_invite_only_or_ended(
    client, finder, varied
):
    response = client.get(finder.url)

    assert response.status_code == 200
    found = titles(response)
    assert "Online Evening Anxiety" in found and "Closed Circle" in found
    assert "Invite Only Voices" not in found
    assert "Ended Group" not in found
    assert "Invite Only Voices" not in response.content.decode()


def test_draft_group_is_not_listed(client, finder, varied):
    varied["online_weekend"].unpublish()

    assert "Sunday Online Chat" not in titles(client.get(finder.url))


def test_online_group_on_weekday_evenings(client, finder, varied):
    response = client.get(
        finder.url, {"format": "online", "day": "weekdays", "time": "evening"}
    )

    assert titles(response) == ["Closed Circle", "Online Evening Anxiety"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "carers"}, ["Leeds Carers Coffee"]),
        ({"day": "3"}, ["York Walking Group"]),
        ({"day": "weekend"}, ["Sunday Online Chat"]),
        ({"time": "morning"}, ["Leeds Carers Coffee"]),
        ({"time": "afternoon"}, ["York Walking Group"]),
        ({"town": "Bristol"}, ["Bristol Hybrid Circle"]),
        ({"format": "hybrid"}, ["Bristol Hybrid Circle"]),
        ({"q": "anxiety"}, ["Online Evening Anxiety"]),
        ({"q": "carers"}, ["Leeds Carers Coffee"]),  # matches the topic's name
        ({"q": "york"}, ["York Walking Group"]),  # matches the town
    ],
)
def test_each_filter_narrows_the_list(client, finder, varied, params, expected):
    assert titles(client.get(finder.url, params)) == expected


def test_taking_new_members_leaves_out_full_and_closed_groups(client, finder, varied):
    Membership.objects.create(
        space=varied["bristol_hybrid"],
        member=UserFactory(),
        status=MembershipStatus.ACTIVE,
    )

    found = titles(client.get(finder.url, {"taking_new": "on"}))

    assert "Bristol Hybrid Circle" not in found
    assert "Closed Circle" not in found
    assert "York Walking Group" in found


def test_result_shows_next_meeting_format_places_and_policy(client, finder, varied):
    html = client.get(finder.url, {"town": "Bristol"}).content.decode()

    assert "Hybrid (in person and online)" in html
    assert "1 place left" in html
    assert "Open: join at once" in html
    assert "18:30" in html
    assert "Secret Street" not in html


def test_each_result_links_to_its_group_and_names_its_topics(client, finder, varied):
    html = client.get(finder.url, {"town": "Leeds"}).content.decode()
    group = varied["leeds_morning"]

    assert f'<a href="{group.url}">Leeds Carers Coffee</a>' in html
    assert ">Carers</span>" in html
    assert "In person, Leeds" in html


def test_a_paused_group_is_listed_with_no_meeting_planned(client, finder, varied):
    GroupPageFactory(parent=finder, title="Paused Peers", status=GroupStatus.PAUSED)

    html = client.get(finder.url, {"q": "paused"}).content.decode()

    assert "Paused Peers" in html
    assert "None planned" in html


def test_sort_by_distance_from_a_town_puts_nearest_in_person_groups_first(
    client, finder, varied
):
    response = client.get(finder.url, {"near": "York"})

    found = titles(response)
    assert found[:3] == [
        "York Walking Group",
        "Leeds Carers Coffee",
        "Bristol Hybrid Circle",
    ]
    html = response.content.decode()
    assert "nearest first" in html
    leeds = html.split("Leeds Carers Coffee", 1)[1].split("</li>")[0]
    assert "In person, Leeds (about 35 km away)" in leeds
    online = html.split("Online Evening Anxiety", 1)[1].split("</li>")[0]
    assert "km away" not in online


def test_sort_by_distance_from_the_browser_location(client, finder, varied):
    near_bristol = {"lat": "51.45", "lng": "-2.59"}

    found = titles(client.get(finder.url, near_bristol))

    assert found[0] == "Bristol Hybrid Circle"


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "no-such-topic"},
        {"format": "teleport"},
        {"day": "9"},
        {"day": "monday; drop table"},
        {"time": "midnight"},
        {"town": "Atlantis"},
        {"near": "Atlantis"},
        {"lat": "not-a-number", "lng": "-1"},
        {"lat": "91", "lng": "0"},
        {"lat": "nan", "lng": "nan"},
        {"q": "x" * 500},
        {"page": "-1"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "99999999999999999999999999"},
    ],
)
def test_bad_input_gives_a_clean_page(client, finder, varied, params):
    response = client.get(finder.url, params)

    assert response.status_code == 200
    assert response.context["results"]


def test_choices_no_group_matches_say_so(client, finder, varied):
    response = client.get(finder.url, {"town": "York", "format": "online"})

    html = response.content.decode()
    assert titles(response) == []
    assert "0 groups found" in html
    assert "No group matches all of these choices" in html


def test_bad_value_is_explained_and_the_good_ones_still_filter(client, finder, varied):
    response = client.get(finder.url, {"topic": "no-such-topic", "town": "York"})

    assert "could not be used" in response.content.decode()
    assert titles(response) == ["York Walking Group"]


def test_results_page_through_and_keep_the_filters(client, finder):
    for number in range(23):
        GroupPageFactory(parent=finder, title=f"Online Group {number:02d}")

    first = client.get(finder.url, {"format": "online"})
    third = client.get(finder.url, {"format": "online", "page": "3"})

    assert len(first.context["results"]) == 10
    assert "?format=online&amp;page=2" in first.content.decode()
    assert len(third.context["results"]) == 3
    assert "Page 3 of 3" in third.content.decode()
    assert "23 groups found" in third.content.decode()


def test_a_page_past_the_last_shows_the_last(client, finder):
    for number in range(12):
        GroupPageFactory(parent=finder, title=f"Online Group {number:02d}")

    response = client.get(finder.url, {"page": "9"})

    assert titles(response) == ["Online Group 10", "Online Group 11"]
    assert "12 groups found" in response.content.decode()


def test_htmx_request_gets_only_the_results(client, finder, varied):
    response = client.get(
        finder.url,
        {"format": "online"},
        headers={"HX-Request": "true", "HX-Target": "finder-results"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert "Online Evening Anxiety" in html


def options_of(response, name: str) -> str:
    page = response.content.decode()
    return page.split(f'name="{name}"')[1].split("</select>")[0]


def test_topics_and_towns_are_read_once_and_new_ones_show_at_once(
    client, finder, varied
):
    assert "Anxiety" in options_of(client.get(finder.url), "topic")
    with CaptureQueriesContext(connection) as captured:
        client.get(finder.url)
    sql = [query["sql"] for query in captured]
    assert not [q for q in sql if 'FROM "groups_topic"' in q and "grouppage" not in q]
    assert not [q for q in sql if 'FROM "groups_venue"' in q]

    grief = TopicFactory(name="Grief")
    exeter = VenueFactory(town="Exeter", lat="50.72", lng="-3.53")
    GroupPageFactory(
        parent=finder,
        title="Exeter Grief Circle",
        format=GroupFormat.IN_PERSON,
        venue=exeter,
        topics=[grief],
    )
    response = client.get(finder.url)

    assert "Grief" in options_of(response, "topic")
    assert "Exeter" in options_of(response, "town")
    assert "Exeter" in options_of(response, "near")
    assert titles(client.get(finder.url, {"topic": "grief"})) == ["Exeter Grief Circle"]


def test_a_group_made_private_leaves_the_finder_at_once(client, finder, varied):
    group = varied["york_afternoon"]
    assert group.title in titles(client.get(finder.url))

    restriction = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.LOGIN
    )
    assert group.title not in titles(client.get(finder.url))

    restriction.delete()
    assert group.title in titles(client.get(finder.url))


def test_groups_under_a_private_finder_are_not_listed(client, finder, varied):
    PageViewRestriction.objects.create(
        page=finder, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(UserFactory())

    assert titles(client.get(finder.url)) == []


def test_a_card_shows_a_join_and_a_cancelled_meeting_on_the_next_visit(
    client, finder, varied
):
    from peer_support.groups.models import GroupCancelledDate

    group = varied["bristol_hybrid"]
    first = client.get(finder.url, {"town": "Bristol"}).content.decode()
    assert "1 place left" in first
    next_meeting = localtime(group.next_meetings(1)[0][0])
    assert f'datetime="{next_meeting.isoformat()}"' in first

    with CaptureQueriesContext(connection) as captured:
        client.get(finder.url, {"town": "Bristol"})
    card_reads = [
        query["sql"]
        for query in captured
        if "spaces_membership" in query["sql"] and "GROUP BY" in query["sql"]
    ]
    assert not card_reads, "a group's card facts are kept until the next purge"

    Membership.objects.create(
        space=group, member=UserFactory(), status=MembershipStatus.ACTIVE
    )
    GroupCancelledDate.objects.create(page=group, date=next_meeting.date())
    html = client.get(finder.url, {"town": "Bristol"}).content.decode()

    assert "Full at the moment" in html
    assert "1 place left" not in html
    assert f'datetime="{next_meeting.isoformat()}"' not in html


def test_a_card_shows_markup_in_a_title_as_text(client, finder):
    GroupPageFactory(parent=finder, title="<b>Bold</b> & brave", slug="bold")

    html = client.get(finder.url).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; brave</a>" in html
    assert "<b>Bold</b>" not in html


def listing_reads(captured) -> list[str]:
    return [query["sql"] for query in captured if "groups_grouppage" in query["sql"]]


def test_the_groups_a_choice_lists_are_read_once_until_a_join_changes_them(
    client, finder, varied
):
    choice = {"taking_new": "on", "q": "circle"}
    assert titles(client.get(finder.url, choice)) == ["Bristol Hybrid Circle"]
    with CaptureQueriesContext(connection) as captured:
        again = titles(client.get(finder.url, {"q": "CIRCLE ", "taking_new": "on"}))
    assert again == ["Bristol Hybrid Circle"]
    assert not listing_reads(captured), "the same choice is not searched again"

    Membership.objects.create(
        space=varied["bristol_hybrid"],
        member=UserFactory(),
        status=MembershipStatus.ACTIVE,
    )

    assert titles(client.get(finder.url, choice)) == []


def test_a_search_shown_before_lists_a_group_published_or_unpublished_since(
    client, finder, varied
):
    assert titles(client.get(finder.url, {"q": "walking"})) == ["York Walking Group"]

    GroupPageFactory(parent=finder, title="Walking Football")
    assert titles(client.get(finder.url, {"q": "walking"})) == [
        "Walking Football",
        "York Walking Group",
    ]

    varied["york_afternoon"].unpublish()
    assert titles(client.get(finder.url, {"q": "walking"})) == ["Walking Football"]


def test_nearest_first_follows_a_venue_that_moves(client, finder, varied):
    north_of_york = {"lat": "53.99", "lng": "-1.09"}
    assert titles(client.get(finder.url, north_of_york))[:2] == [
        "York Walking Group",
        "Leeds Carers Coffee",
    ]

    leeds = varied["leeds_morning"].venue
    leeds.latitude, leeds.longitude = "53.9900", "-1.0900"
    leeds.save()
    html = client.get(finder.url, north_of_york).content.decode()

    assert titles_in(html)[:2] == ["Leeds Carers Coffee", "York Walking Group"]
    leeds_card = html.split("Leeds Carers Coffee", 1)[1].split("</li>")[0]
    assert "(about 0 km away)" in leeds_card
