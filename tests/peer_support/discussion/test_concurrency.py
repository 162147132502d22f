"""Replies posted to one thread at the same moment keep a consistent order with no
duplicate position (real PostgreSQL, real transactions in threads). comments-xtd
renumbers a thread without a lock; post_submit locks the thread row first."""

import threading

import pytest
from django.db import connection

from peer_support.discussion import services
from peer_support.discussion.models import Post, PostStatus

from .builders import member_make, on_duty_make, probation_end, space_make, thread_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_replies_get_distinct_positions(home_page):
    space = space_make(home_page)
    on_duty_make(space)
    facilitator = space.facilitators.first().worker
    thread = thread_make(space)
    top = services.post_submit(author=facilitator, thread_id=thread.pk, text="top")
    first = services.post_submit(
        author=facilitator, thread_id=thread.pk, parent_id=top.pk, text="first"
    )
    members = [member_make(space) for _ in range(12)]
    for member in members:
        probation_end(space, member)
    barrier = threading.Barrier(len(members))
    errors = []

    def reply(member, n):
        try:
            barrier.wait()
            # Half answer the top post, half the first reply: both renumber.
            parent = top.pk if n % 2 else first.pk
            services.post_submit(
                author=member, thread_id=thread.pk, parent_id=parent, text=f"r{n}"
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=reply, args=(member, n))
        for n, member in enumerate(members)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    branch = Post.objects.filter(thread_id=top.pk).order_by("order")
    orders = list(branch.values_list("order", flat=True))
    assert len(orders) == 2 + len(members)
    assert orders == list(range(1, len(orders) + 1))  # no gap, no duplicate
    assert all(post.status == PostStatus.PUBLISHED for post in branch)
    # Every reply sits after its parent.
    by_pk = {post.pk: post for post in branch}
    for post in branch:
        if post.pk != top.pk:
            assert post.order > by_pk[post.parent_id].order
    top.refresh_from_db()
    assert top.nested_count == 1 + len(members)
