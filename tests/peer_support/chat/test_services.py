"""The chat's rules, through the one posting pipeline: who may write, when, how
fast; what is held and who sees it; the moderators' and host's actions, recorded;
and what is kept afterwards."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from peer_support.chat import services
from peer_support.chat.models import ChatEvent, ChatRoom
from peer_support.chat.selectors import chat_events_after, chat_lines, chat_transcript
from peer_support.discussion.models import (
    Label,
    ModerationAction,
    Post,
    PostStatus,
    Thread,
    WatchedWord,
)
from peer_support.discussion.selectors import space_threads
from peer_support.discussion.services import (
    DiscussionError,
    RateLimited,
    post_moderate,
    post_submit,
)
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import MembershipStatus
from tests.factories import UserFactory
from tests.peer_support.discussion.builders import member_make

from .builders import chat_world

pytestmark = pytest.mark.django_db
Kind = ChatEvent.Kind


def say(world, author, text, **kwargs):
    return post_submit(
        author=author, thread_id=world.room.thread_id, text=text, **kwargs
    )


def kinds(room):
    return list(room.events.order_by("seq").values_list("kind", flat=True))


def test_member_message_shows_to_everyone_in_order_with_one_event_each(home_page):
    world = chat_world(home_page)
    first, second = world.members
    say(world, first, "Hello everyone")
    say(world, second, "Hi! Glad to be here")

    for reader in (first, second, world.moderator, world.host):
        lines = chat_lines(room=world.room, user=reader)
        assert [line.post.comment for line in lines] == [
            "Hello everyone",
            "Hi! Glad to be here",
        ]
    assert list(world.room.events.values_list("seq", flat=True)) == [1, 2]
    assert ChatRoom.objects.get(pk=world.room.pk).last_seq == 2


def test_chat_thread_stays_out_of_the_course_discussion(home_page):
    world = chat_world(home_page)
    say(world, world.members[0], "Hello")
    listed = space_threads(space=world.course, user=world.members[0])
    assert world.room.thread_id not in [thread.pk for thread in listed]


def test_held_message_shows_to_its_author_as_waiting_and_to_no_one_else(home_page):
    world = chat_world(home_page, covered=False)
    author, other = world.members
    post = say(world, author, "Is anyone around?")

    assert post.status == PostStatus.HELD
    assert [line.post.pk for line in chat_lines(room=world.room, user=author)] == [
        post.pk
    ]
    for reader in (other, world.moderator, world.host):
        assert chat_lines(room=world.room, user=reader) == []
        updates, _more = chat_events_after(room=world.room, user=reader, after=0)
        assert [update.visible for update in updates] == [False]

    post_moderate(post_id=post.pk, moderator=world.moderator, decision="approve")
    updates, _more = chat_events_after(room=world.room, user=other, after=1)
    assert [(u.event.kind, u.event.post_id, u.visible) for u in updates] == [
        (Kind.MESSAGE, post.pk, True)
    ]


def test_screened_message_is_held_and_raises_a_concern(home_page):
    from safeguarding.models import Concern

    world = chat_world(home_page)
    post = say(world, world.members[0], "I want to die tonight")
    assert post.status == PostStatus.HELD
    assert post.hold_reason == "safeguarding"
    assert Concern.objects.filter(member=world.members[0]).exists()
    assert chat_lines(room=world.room, user=world.members[1]) == []


def test_watched_word_blocks_a_chat_message_and_nothing_is_written(home_page):
    world = chat_world(home_page)
    WatchedWord.objects.create(text="spamword", action=WatchedWord.Action.BLOCK)
    with pytest.raises(DiscussionError):
        say(world, world.members[0], "buy spamword now")
    assert not Post.objects.filter(thread_ref_id=world.room.thread_id).exists()
    assert kinds(world.room) == []


@override_settings(CHAT_MESSAGE_SECONDS=3)
def test_chat_rate_limit_is_one_message_every_few_seconds(home_page):
    world = chat_world(home_page)
    member = world.members[0]
    now = timezone.now()
    say(world, member, "one", now=now)
    with pytest.raises(RateLimited, match="between chat messages"):
        say(world, member, "two", now=now + timedelta(seconds=1))
    say(world, member, "three", now=now + timedelta(seconds=4))
    # The host and moderators are not limited.
    say(world, world.host, "a", now=now)
    say(world, world.host, "b", now=now)


def test_new_member_writes_freely_in_the_chat(home_page):
    """A new member's first forum posts wait (probation) and are paced; in the
    chat, moderators are there as it happens."""
    world = chat_world(home_page)
    newcomer = member_make(world.course, seasoned=False)
    now = timezone.now()
    for n in range(4):
        post = say(world, newcomer, f"hello {n}", now=now + timedelta(seconds=5 * n))
        assert post.status == PostStatus.PUBLISHED


@pytest.mark.parametrize("who", ["stranger", "other_course", "suspended"])
def test_who_may_not_write_in_the_chat(home_page, who):
    world = chat_world(home_page)
    author = UserFactory()
    if who == "other_course":
        other = chat_world(home_page, slug="other")
        author = other.members[0]
    if who == "suspended":
        author = member_make(world.course, status=MembershipStatus.SUSPENDED)
    with pytest.raises(NotAllowed):
        say(world, author, "hello")
    assert kinds(world.room) == []


def test_host_who_is_not_enrolled_writes_and_is_never_held(home_page):
    world = chat_world(home_page, covered=False)
    post = say(world, world.host, "Welcome, everyone")
    assert post.status == PostStatus.PUBLISHED


def test_chat_is_closed_before_its_window_and_after_the_end(home_page):
    early = chat_world(home_page, started_ago=-30, slug="early")
    with pytest.raises(DiscussionError, match="opens 15 minutes before"):
        say(early, early.members[0], "too soon")
    world = chat_world(home_page)
    services.chat_session_mark(session=world.session, actor=world.host, started=True)
    say(world, world.members[0], "during")
    services.chat_session_mark(session=world.session, actor=world.host, started=False)
    with pytest.raises(DiscussionError, match="has ended"):
        say(world, world.members[1], "after the end")
    with pytest.raises(DiscussionError, match="has ended"):
        say(world, world.host, "after the end")
    assert kinds(world.room) == [Kind.STARTED, Kind.MESSAGE, Kind.ENDED]
    recorded = ModerationAction.objects.filter(thread_id=world.room.thread_id)
    assert set(recorded.values_list("kind", flat=True)) == {
        "session_started",
        "session_ended",
    }


def test_members_cannot_start_or_end_a_session(home_page):
    world = chat_world(home_page)
    with pytest.raises(NotAllowed):
        services.chat_session_mark(
            session=world.session, actor=world.members[0], started=False
        )
    assert world.room.ended_at is None


def test_removal_reaches_every_reader_as_an_event_and_is_recorded(home_page):
    world = chat_world(home_page)
    post = say(world, world.members[0], "something unkind")
    services.chat_message_remove(
        session=world.session, post_id=post.pk, moderator=world.moderator
    )
    updates, _more = chat_events_after(room=world.room, user=world.members[1], after=1)
    assert [(u.event.kind, u.visible) for u in updates] == [(Kind.REMOVED, False)]
    assert chat_lines(room=world.room, user=world.members[1]) == []
    assert ModerationAction.objects.filter(post=post, kind="removed").exists()
    assert post not in chat_transcript(room=world.room)


def test_members_and_the_host_cannot_remove_mute_or_pause(home_page):
    world = chat_world(home_page)
    post = say(world, world.members[0], "hello")
    for actor in (world.members[1], world.host):
        with pytest.raises(NotAllowed):
            services.chat_message_remove(
                session=world.session, post_id=post.pk, moderator=actor
            )
        with pytest.raises(NotAllowed):
            services.chat_member_mute(
                session=world.session, post_id=post.pk, moderator=actor
            )
        with pytest.raises(NotAllowed):
            services.chat_settings_set(
                session=world.session, moderator=actor, paused=True
            )
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
    assert kinds(world.room) == [Kind.MESSAGE]


def test_muted_member_cannot_write_for_the_rest_of_the_session(home_page):
    world = chat_world(home_page)
    noisy, other = world.members
    post = say(world, noisy, "first")
    services.chat_member_mute(
        session=world.session, post_id=post.pk, moderator=world.moderator
    )
    with pytest.raises(NotAllowed, match="muted"):
        say(world, noisy, "again", now=timezone.now() + timedelta(seconds=10))
    say(world, other, "still fine")
    assert ModerationAction.objects.filter(post=post, kind="chat_muted").exists()


def test_paused_chat_refuses_members_but_not_moderators_and_slow_mode_paces(home_page):
    world = chat_world(home_page)
    member = world.members[0]
    services.chat_settings_set(
        session=world.session, moderator=world.moderator, paused=True
    )
    with pytest.raises(DiscussionError, match="paused"):
        say(world, member, "hello")
    say(world, world.moderator, "We'll be back in a minute")
    services.chat_settings_set(
        session=world.session,
        moderator=world.moderator,
        paused=False,
        slow_mode_seconds=30,
    )
    now = timezone.now()
    say(world, member, "back", now=now)
    with pytest.raises(RateLimited, match="slow mode"):
        say(world, member, "again", now=now + timedelta(seconds=10))
    assert kinds(world.room) == [
        Kind.PAUSED,
        Kind.MESSAGE,
        Kind.RESUMED,
        Kind.SLOW_MODE,
        Kind.MESSAGE,
    ]
    recorded = set(
        ModerationAction.objects.filter(thread_id=world.room.thread_id).values_list(
            "kind", flat=True
        )
    )
    assert {"locked", "unlocked", "slow_mode"} <= recorded


def test_host_question_is_pinned_for_everyone(home_page):
    world = chat_world(home_page)
    question = services.chat_question_post(
        session=world.session, host=world.host, text="What helps on a bad day?"
    )
    room = ChatRoom.objects.get(pk=world.room.pk)
    assert room.pinned_post_id == question.pk
    assert kinds(room) == [Kind.MESSAGE, Kind.PINNED]
    with pytest.raises(NotAllowed):
        services.chat_message_pin(
            session=world.session, post_id=question.pk, actor=world.members[0]
        )


def test_summary_is_published_as_a_pinned_summary_thread(home_page):
    world = chat_world(home_page)
    say(world, world.members[0], "Walking helps me")
    removed = say(world, world.members[1], "something removed")
    services.chat_message_remove(
        session=world.session, post_id=removed.pk, moderator=world.moderator
    )
    assert [p.comment for p in chat_transcript(room=world.room)] == ["Walking helps me"]

    thread = services.chat_summary_publish(
        room_id=world.room.pk,
        moderator=world.moderator,
        title="Session summary: Wednesday webcast",
        text="We talked about what helps: walking.",
    )
    assert thread.pinned and thread.label == Label.SUMMARY
    assert thread in space_threads(space=world.course, user=world.members[0])
    with pytest.raises(NotAllowed):
        services.chat_summary_publish(
            room_id=world.room.pk, moderator=world.members[0], title="x", text="y"
        )


@override_settings(CHAT_TRANSCRIPT_RETENTION_DAYS=30)
def test_purge_erases_transcripts_older_than_the_setting_only(home_page):
    world = chat_world(home_page)
    post = say(world, world.members[0], "hello")
    assert services.chat_transcripts_purge(now=timezone.now() + timedelta(days=29)) == 0
    assert services.chat_transcripts_purge(now=timezone.now() + timedelta(days=31)) == 1
    assert Post.objects.get(pk=post.pk).comment == ""
    assert not world.room.events.exists()
    assert ChatRoom.objects.get(pk=world.room.pk).purged_at is not None


def test_refused_chat_message_is_a_service_error_with_words_for_the_person(home_page):
    world = chat_world(home_page)
    with pytest.raises(ServiceError) as refused:
        say(world, world.members[0], "   ")
    assert "write something" in refused.value.message
    assert Thread.objects.filter(pk=world.room.thread_id).exists()
