"""The stream's promise: every reader sees every event exactly once, in commit
order, however messages race and however long a reader was away (real PostgreSQL,
real transactions in threads)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from peer_support.chat import services
from peer_support.chat.models import ChatEvent
from peer_support.chat.selectors import chat_events_after
from peer_support.discussion.models import Post
from peer_support.discussion.services import post_submit

from .builders import chat_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_messages_sent_at_the_same_moment_get_gapless_numbers_seen_once(home_page):
    world = chat_world(home_page, members=12)
    room, reader = world.room, world.moderator
    barrier = threading.Barrier(len(world.members) + 1)
    errors, seen, writing = [], [], threading.Event()
    writing.set()

    def write(member):
        try:
            barrier.wait()
            post_submit(author=member, thread_id=room.thread_id, text="hello")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def read():
        """A reader polling all the while, as the page's script does."""
        cursor = 0
        try:
            barrier.wait()
            while True:
                still_writing = writing.is_set()
                updates, _more = chat_events_after(room=room, user=reader, after=cursor)
                for update in updates:
                    seen.append((update.event.seq, update.event.post_id))
                    cursor = update.event.seq
                if not still_writing and not updates:
                    break
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(m,)) for m in world.members]
    polling = threading.Thread(target=read)
    polling.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=60)
    writing.clear()
    polling.join(timeout=60)

    assert errors == []
    posts = set(
        Post.objects.filter(thread_ref_id=room.thread_id).values_list("pk", flat=True)
    )
    assert len(posts) == 12
    assert list(
        ChatEvent.objects.filter(room=room).values_list("seq", flat=True)
    ) == list(range(1, 13))
    assert [seq for seq, _post in seen] == list(range(1, 13))
    assert {post for _seq, post in seen} == posts


def test_reader_away_for_thirty_seconds_catches_up_fully_once(home_page):
    world = chat_world(home_page, members=5)
    room, reader = world.room, world.members[0]
    start = timezone.now()
    first = post_submit(
        author=reader, thread_id=room.thread_id, text="before", now=start
    )
    updates, _more = chat_events_after(room=room, user=reader, after=0)
    cursor = updates[-1].event.seq
    sent = []
    for second in range(0, 30, 3):  # 30 seconds of chat while the reader is away
        for member in world.members[1:]:
            post = post_submit(
                author=member,
                thread_id=room.thread_id,
                text=f"at {second}s",
                now=start + timedelta(seconds=second + 3),
            )
            sent.append(post.pk)
    services.chat_message_remove(
        session=world.session, post_id=sent[0], moderator=world.moderator
    )

    updates, more = chat_events_after(room=room, user=reader, after=cursor)

    assert not more
    shown = [u.event.post_id for u in updates if u.visible]
    assert shown == sent[1:]
    assert [u.event.kind for u in updates][-1] == ChatEvent.Kind.REMOVED
    assert first.pk not in shown and len(set(shown)) == len(shown)
