"""The chat's four endpoints, for everyone who might ask: who may read and write,
what the page's script receives, and the page without JavaScript."""

import pytest
from django.urls import reverse

from peer_support.chat.models import ChatRoom
from peer_support.courses.models import LiveSessionAttendance
from peer_support.discussion.models import Post, PostStatus
from peer_support.spaces.models import MembershipStatus
from tests.factories import UserFactory
from tests.peer_support.discussion.builders import member_make

from .builders import chat_world

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def world(home_page):
    world = chat_world(home_page)
    other = chat_world(home_page, slug="other")
    world.people = {
        "anonymous": None,
        "stranger": UserFactory(),
        "other_course": other.members[0],
        "suspended": member_make(world.course, status=MembershipStatus.SUSPENDED),
        "member": world.members[0],
        "host": world.host,
        "moderator": world.moderator,
    }
    return world


def url(world, name):
    return reverse(f"chat:{name}", args=[world.session.pk])


def as_(client, world, role):
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    return person


READERS = ("suspended", "member", "host", "moderator")
REFUSED = ("stranger", "other_course")


@pytest.mark.parametrize("role", [*REFUSED, *READERS, "anonymous"])
def test_who_may_open_the_chat_and_read_its_events(client, world, role):
    as_(client, world, role)
    page = client.get(url(world, "room"))
    events = client.get(url(world, "events"), {"after": 0}, **FETCH)
    if role == "anonymous":
        assert page.status_code == 302 and events.status_code == 403
        assert "/accounts/login/" in page["Location"]
    elif role in REFUSED:
        assert page.status_code == events.status_code == 403
        assert "How to enrol" in page.content.decode()
        assert "webcast.example.org" not in page.content.decode()
    else:
        assert page.status_code == events.status_code == 200
        assert events.json() == {"last": 0, "more": False, "events": []}


@pytest.mark.parametrize("role", [*REFUSED, "suspended", "anonymous"])
def test_who_may_not_write(client, world, role):
    as_(client, world, role)
    response = client.post(url(world, "post"), {"text": "hello"}, **FETCH)
    assert response.status_code in (302, 400, 403)
    assert not Post.objects.filter(
        thread_ref__chat_room__session=world.session
    ).exists()


@pytest.mark.parametrize("role", ["member", "host", "moderator"])
def test_who_may_write_and_everyone_reads_it_from_the_stream(client, world, role):
    as_(client, world, role)
    response = client.post(url(world, "post"), {"text": f"hello from {role}"}, **FETCH)
    assert response.json() == {"ok": True, "held": False}
    client.force_login(world.members[1])
    events = client.get(url(world, "events"), {"after": 0}).json()
    assert events["last"] == 1
    assert f"hello from {role}" in events["events"][0]["html"]


@pytest.mark.parametrize("role", [*REFUSED, "suspended", "member", "host"])
def test_who_may_not_pause_the_chat(client, world, role):
    as_(client, world, role)
    response = client.post(url(world, "act"), {"action": "pause"})
    assert response.status_code in (302, 403)
    room = ChatRoom.objects.filter(session=world.session).first()
    assert room is None or not room.thread.locked


def test_moderator_pauses_and_the_host_marks_the_start(client, world):
    as_(client, world, "moderator")
    client.post(url(world, "act"), {"action": "pause"})
    as_(client, world, "host")
    client.post(url(world, "act"), {"action": "start"})
    room = ChatRoom.objects.get(session=world.session)
    assert room.thread.locked and room.started_at is not None
    as_(client, world, "member")
    events = client.get(url(world, "events"), {"after": 0}, **FETCH).json()
    assert [e["kind"] for e in events["events"]] == ["paused", "started"]
    assert "paused the chat" in events["status"]
    refused = client.post(url(world, "post"), {"text": "hello"}, **FETCH)
    assert refused.status_code == 400 and "paused" in refused.json()["error"]


@pytest.mark.parametrize("role", [*REFUSED, "suspended", "member", "host"])
def test_who_may_not_remove_or_mute(client, world, role):
    client.force_login(world.members[1])
    client.post(url(world, "post"), {"text": "hello"}, **FETCH)
    post = Post.objects.get(comment="hello")
    as_(client, world, role)
    for action in ("remove", "mute"):
        client.post(url(world, "act"), {"action": action, "post_id": post.pk})
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
    assert not ChatRoom.objects.get(session=world.session).mutes.exists()


def test_moderator_removes_a_message_and_the_next_poll_takes_it_away(client, world):
    as_(client, world, "member")
    client.post(url(world, "post"), {"text": "take this away"}, **FETCH)
    post = Post.objects.get(comment="take this away")
    seen = client.get(url(world, "events"), {"after": 0}).json()["last"]
    as_(client, world, "moderator")
    client.post(url(world, "act"), {"action": "remove", "post_id": post.pk})
    as_(client, world, "member")
    events = client.get(url(world, "events"), {"after": seen}).json()["events"]
    assert events == [{"seq": 2, "kind": "removed", "post": post.pk, "html": ""}]
    assert "take this away" not in client.get(url(world, "room")).content.decode()


def test_opening_the_chat_records_attendance_once(client, world):
    as_(client, world, "member")
    client.get(url(world, "room"))
    client.get(url(world, "events"), {"after": 0})
    assert LiveSessionAttendance.objects.filter(session=world.session).count() == 1
    as_(client, world, "host")  # not enrolled: nothing to record
    client.get(url(world, "room"))
    assert LiveSessionAttendance.objects.filter(session=world.session).count() == 1


def test_without_javascript_the_form_posts_and_returns_to_the_chat(client, world):
    as_(client, world, "member")
    response = client.post(url(world, "post"), {"text": "no script here"}, follow=True)
    assert response.redirect_chain[-1][0] == url(world, "room")
    assert "no script here" in response.content.decode()
    refused = client.post(url(world, "post"), {"text": "too fast"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "between chat messages" in body and "too fast" in body


def test_a_bad_cursor_is_refused_clearly(client, world):
    as_(client, world, "member")
    assert client.get(url(world, "events"), {"after": "x"}).status_code == 400
    assert client.get(url(world, "events"), {"after": -1}).status_code == 400


def test_a_poll_costs_the_same_few_queries_however_long_the_chat(
    client, world, django_assert_max_num_queries
):
    as_(client, world, "member")
    for n, member in enumerate([world.host, world.moderator]):
        client.force_login(member)
        for m in range(10):
            client.post(url(world, "post"), {"text": f"{n}-{m}"}, **FETCH)
    as_(client, world, "member")
    client.get(url(world, "events"), {"after": 0})
    with django_assert_max_num_queries(17):
        assert (
            len(client.get(url(world, "events"), {"after": 0}).json()["events"]) == 20
        )
    with django_assert_max_num_queries(7):
        assert client.get(url(world, "events"), {"after": 20}).json()["events"] == []
