"""The finder's words search goes through Wagtail's search backend: several words must
all match (in any field), and word forms find each other."""

from datetime import time

import pytest
from django.db import connection

from peer_support.groups.models import GroupFormat
from peer_support.groups.selectors import search_words
from tests.site_builders import finder_make, group_make, topic_make, venue_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def finder(home_page):
    return finder_make(home_page)


@pytest.fixture
def groups(finder):
    york = venue_make(town="York", lat="53.9600", lng="-1.0873")
    leeds = venue_make(town="Leeds")
    anxiety = topic_make("Anxiety")
    return {
        "york_anxiety": group_make(
            finder,
            title="Calm Corner",
            summary="A gentle space to talk things through.",
            format=GroupFormat.IN_PERSON,
            venue=york,
            topics=[anxiety],
        ),
        "leeds_anxiety": group_make(
            finder,
            title="Leeds Worry Circle",
            format=GroupFormat.IN_PERSON,
            venue=leeds,
            topics=[anxiety],
        ),
        "york_walks": group_make(
            finder,
            title="York Rambles",
            summary="We go walking by the river, whatever the weather.",
            format=GroupFormat.IN_PERSON,
            venue=york,
            start_time=time(10),
        ),
    }


def titles(response) -> list[str]:
    return [item.title for item in response.context["results"]]


def test_several_words_must_all_match_across_topic_and_town(client, finder, groups):
    assert titles(client.get(finder.url, {"q": "anxiety york"})) == ["Calm Corner"]
    assert titles(client.get(finder.url, {"q": "York  ANXIETY"})) == ["Calm Corner"]


def test_a_related_word_finds_the_topic(client, finder, groups):
    assert titles(client.get(finder.url, {"q": "anxious"})) == [
        "Calm Corner",
        "Leeds Worry Circle",
    ]


@pytest.mark.postgres
def test_word_forms_match_on_postgresql(client, finder, groups):
    assert titles(client.get(finder.url, {"q": "walks"})) == ["York Rambles"]
    assert titles(client.get(finder.url, {"q": "rambling york"})) == ["York Rambles"]


@pytest.mark.parametrize("q", ['"anxiety', "anxiety AND", "-york", "((", "'", "%_"])
def test_odd_input_is_read_as_words_not_an_error(client, finder, groups, q):
    response = client.get(finder.url, {"q": q})
    assert response.status_code == 200


def test_search_words_drop_punctuation():
    assert search_words('"anxiety  (york') == ["anxiety", "york"]
    assert search_words("%_ --") == []


@pytest.mark.postgres
def test_word_forms_match_whatever_the_database_servers_own_language(
    client, finder, groups
):
    # The search names its configuration (English), so a server set up for another
    # language neither breaks the stemming nor makes the index mean something else.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL default_text_search_config = 'pg_catalog.simple'")

    assert titles(client.get(finder.url, {"q": "walks"})) == ["York Rambles"]
