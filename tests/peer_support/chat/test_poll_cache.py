"""A poll answers from the cache (`peer_support.chat.stream`): each cached thing is
dropped by what changes it, what only one reader sees is never shared, and someone
who loses access is refused at once."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from peer_support.chat import services
from peer_support.chat.stream import _last_key
from peer_support.discussion.models import Post, PostStatus
from peer_support.discussion.services import post_moderate
from peer_support.spaces.models import Membership
from peer_support.spaces.services.facilitation import (
    membership_remove,
    membership_suspend,
)
from tests.factories import UserFactory

from .builders import chat_world

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


BROWSERS = {}


def browser(person) -> Client:
    """One browser per person, signed in once, as the page's script polls."""
    if person.pk not in BROWSERS:
        BROWSERS[person.pk] = Client()
        BROWSERS[person.pk].force_login(person)
    return BROWSERS[person.pk]


@pytest.fixture(autouse=True)
def _browsers_closed():
    yield
    BROWSERS.clear()


def poll(world, person, after=0):
    return browser(person).get(
        reverse("chat:events", args=[world.session.pk]), {"after": after}, **FETCH
    )


def say(world, person, text):
    answer = browser(person).post(
        reverse("chat:post", args=[world.session.pk]), {"text": text}, **FETCH
    )
    assert answer.status_code == 200, answer.content
    return Post.objects.get(comment=text)


def test_a_new_message_reaches_a_reader_whose_empty_poll_was_answered_from_cache(
    home_page,
):
    world = chat_world(home_page)
    reader, writer = world.members
    assert poll(world, reader).json()["events"] == []
    say(world, writer, "fresh news")
    events = poll(world, reader).json()["events"]
    assert [e["seq"] for e in events] == [1] and "fresh news" in events[0]["html"]


def test_a_member_removed_from_the_course_is_refused_on_the_next_poll(home_page):
    world = chat_world(home_page)
    member = world.members[0]
    assert poll(world, member).status_code == 200
    membership = Membership.objects.get(space=world.course, member=member)
    membership_remove(
        membership_id=membership.pk, actor=world.moderator, reason="Ground rules"
    )
    assert poll(world, member).status_code == 403


def test_a_suspended_member_reads_on_but_may_no_longer_write(home_page):
    world = chat_world(home_page)
    member, other = world.members
    say(world, other, "welcome")
    assert poll(world, member).status_code == 200
    membership = Membership.objects.get(space=world.course, member=member)
    membership_suspend(
        membership_id=membership.pk, actor=world.moderator, reason="Pause", days=2
    )
    assert "welcome" in poll(world, member).json()["events"][0]["html"]
    refused = browser(member).post(
        reverse("chat:post", args=[world.session.pk]), {"text": "still here"}, **FETCH
    )
    assert refused.status_code in (400, 403)
    assert not Post.objects.filter(comment="still here").exists()


def test_a_muted_member_is_told_so_on_the_next_poll(home_page):
    world = chat_world(home_page)
    member, other = world.members
    post = say(world, member, "too much")
    assert poll(world, member).json()["state"]["muted"] is False
    services.chat_member_mute(
        session=world.session, post_id=post.pk, moderator=world.moderator
    )
    say(world, other, "meanwhile")
    assert poll(world, member, after=1).json()["state"]["muted"] is True


def test_another_readers_cached_access_never_lets_a_stranger_in(home_page):
    world = chat_world(home_page)
    assert poll(world, world.members[0]).status_code == 200
    assert poll(world, UserFactory()).status_code == 403


def test_a_held_message_shows_only_to_its_author_even_from_the_cache(home_page):
    world = chat_world(home_page, covered=False)
    author, other = world.members
    post = say(world, author, "is anyone around?")
    assert post.status == PostStatus.HELD
    for _ in range(2):  # the second answers from the cache
        assert poll(world, other).json()["events"][0]["html"] == ""
        mine = poll(world, author).json()["events"][0]["html"]
        assert "is anyone around?" in mine and "only you can see" in mine

    post_moderate(post_id=post.pk, moderator=world.moderator, decision="approve")
    events = poll(world, other).json()["events"]
    assert [e["kind"] for e in events] == ["message", "message"]
    assert all("is anyone around?" in e["html"] for e in events)
    assert "only you can see" not in events[0]["html"]


def test_a_removed_message_leaves_every_reader_and_every_late_comer(home_page):
    world = chat_world(home_page, members=3)
    writer, reader, late = world.members
    post = say(world, writer, "take this away")
    assert "take this away" in poll(world, reader).json()["events"][0]["html"]

    services.chat_message_remove(
        session=world.session, post_id=post.pk, moderator=world.moderator
    )
    assert poll(world, reader, after=1).json()["events"] == [
        {"seq": 2, "kind": "removed", "post": post.pk, "html": ""}
    ]
    caught_up = poll(world, late).json()
    assert "take this away" not in str(caught_up)
    assert [e["kind"] for e in caught_up["events"]] == ["message", "removed"]


def test_moderators_buttons_are_never_shared_with_members(home_page):
    world = chat_world(home_page)
    member, other = world.members
    say(world, other, "hello all")
    first = poll(world, world.moderator).json()["events"][0]["html"]
    assert "Remove for everyone" in first and "csrfmiddlewaretoken" in first
    shared = poll(world, member).json()["events"][0]["html"]
    assert "hello all" in shared
    assert "Remove for everyone" not in shared and "csrfmiddlewaretoken" not in shared
    again = poll(world, world.moderator).json()["events"][0]["html"]
    assert "Remove for everyone" in again


def test_a_pause_reaches_the_next_poll(home_page):
    world = chat_world(home_page)
    member = world.members[0]
    say(world, member, "before the pause")
    assert not poll(world, member).json()["state"]["paused"]
    services.chat_settings_set(
        session=world.session, moderator=world.moderator, paused=True
    )
    answer = poll(world, member, after=1).json()
    assert answer["state"]["paused"] and "paused the chat" in answer["status"]


def test_changes_are_dropped_again_after_commit(
    home_page, django_capture_on_commit_callbacks
):
    """A reader may put back what it read just before a commit; the drop after
    commit takes it away again."""
    world = chat_world(home_page)
    member = world.members[0]
    assert poll(world, member).json()["last"] == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        say(world, world.members[1], "late commit")
    assert poll(world, member).json()["last"] == 1
    cache.set(_last_key(world.session.pk), 0)  # put back by a reader
    assert poll(world, member).json()["last"] == 0
    for callback in callbacks:
        callback()
    assert poll(world, member).json()["last"] == 1


def test_a_poll_of_many_new_events_costs_no_more_queries_than_of_one(
    home_page, django_assert_max_num_queries
):
    world = chat_world(home_page)
    for n in range(20):  # the moderator is not limited to one message per 3 s
        say(world, world.moderator, f"line {n}")
    poll(world, world.members[0], after=19)
    poll(world, world.members[0])  # renders each event once, for everyone
    poll(world, world.members[1], after=20)  # signed in, access decided
    events = reverse("chat:events", args=[world.session.pk])
    for after, count in ((0, 20), (19, 1)):
        with django_assert_max_num_queries(2):  # the browser session and the user
            answer = browser(world.members[1]).get(events, {"after": after}).json()
        assert len(answer["events"]) == count


def test_a_pinned_question_shows_above_the_chat_with_its_words(home_page):
    world = chat_world(home_page)
    browser(world.host).post(
        reverse("chat:post", args=[world.session.pk]),
        {"text": "What helped you this week?", "question": "1"},
        **FETCH,
    )
    pinned = poll(world, world.members[0]).json()["pinned"]
    assert "What helped you this week?" in pinned
    assert world.host.pseudonym in pinned
