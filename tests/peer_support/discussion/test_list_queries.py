"""The moderators' lists make the same queries with 5 posts as with 50."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.discussion.models import Post

from .builders import member_make, posts_bulk_make, space_make, thread_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(home_page, roles):
    return space_make(home_page)


def test_review_queue_queries_do_not_grow_with_held_posts(client, space, query_count):
    members = [member_make(space) for _ in range(3)]
    thread = thread_make(space)
    posts_bulk_make(thread, members, 5, held=True, tops_only=True)
    client.force_login(space.facilitators.first().worker)
    url = reverse("discussion_queue:index")

    query_count.assert_unchanged(
        url, lambda: posts_bulk_make(thread, members, 45, held=True, tops_only=True)
    )
    assert Post.objects.filter(thread_ref=thread, status="held").count() == 50
    assert client.get(url).content.count(b"Bench post") >= 20


def test_unanswered_list_queries_do_not_grow_with_posts(client, space, query_count):
    members = [member_make(space) for _ in range(3)]
    client.force_login(space.facilitators.first().worker)
    url = reverse("discussion_unanswered")

    def posts_add(count):
        thread = thread_make(space, author=members[0])
        posts_bulk_make(thread, members[1:], count, held=False, tops_only=True)
        Post.objects.filter(thread_ref=thread).update(
            submit_date=timezone.now() - timedelta(days=3)
        )

    posts_add(5)
    query_count.assert_unchanged(url, lambda: posts_add(45))
    assert client.get(url).content.count(b"Bench post") >= 45
