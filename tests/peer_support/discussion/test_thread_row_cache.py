"""The thread row a page is shown from, kept in the cache: every write to the
thread, its opening post, its space or its course topic shows on the next page, and
a thread that not every reader sees is still decided for each reader by the
database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peer_support.discussion.models import Post, PostStatus, Thread

from .builders import member_make, thread_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(space):
    return member_make(space)


def _get(client, user, thread):
    client.force_login(user)
    return client.get(reverse("discussion:thread", args=[thread.pk]))


def _page(client, user, thread) -> str:
    response = _get(client, user, thread)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_reads_no_thread_row(client, space, reader):
    thread = thread_make(space)
    _page(client, reader, thread)
    with CaptureQueriesContext(connection) as queries:
        _page(client, reader, thread)
    assert not [
        q for q in queries.captured_queries if 'FROM "discussion_thread"' in q["sql"]
    ]


def test_a_new_title_shows_at_once(client, space, reader):
    thread = thread_make(space, title="Old title")
    assert "Old title" in _page(client, reader, thread)
    thread.title = "New title"
    thread.save()
    page = _page(client, reader, thread)
    assert "New title" in page and "Old title" not in page


def test_a_lock_written_by_a_queryset_update_shows_at_once(client, space, reader):
    thread = thread_make(space)
    assert "reply-form" in _page(client, reader, thread)
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    assert "reply-form" not in _page(client, reader, thread)


def test_a_held_opening_hides_the_thread_from_others_not_its_author(
    client, space, reader
):
    author = member_make(space)
    thread = thread_make(space, author=author, title="Mine")
    Post.objects.filter(pk=thread.opening_id).update(status=PostStatus.PUBLISHED)
    assert _get(client, reader, thread).status_code == 200

    Post.objects.filter(pk=thread.opening_id).update(status=PostStatus.HELD)
    assert _get(client, reader, thread).status_code == 404
    assert "Mine" in _page(client, author, thread)

    Post.objects.filter(pk=thread.opening_id).update(status=PostStatus.PUBLISHED)
    assert _get(client, reader, thread).status_code == 200


def test_a_new_space_title_and_an_unpublished_space_show_at_once(client, space, reader):
    thread = thread_make(space)
    _page(client, reader, thread)
    space.title = "Morning group"
    space.save_revision().publish()
    assert "Morning group" in _page(client, reader, thread)

    space.unpublish()
    assert _get(client, reader, thread).status_code == 404
