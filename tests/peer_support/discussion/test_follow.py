"""Opt-in emails about new posts in a conversation: a link only, sent on commit,
never for held posts, never to the author, once per post."""

import pytest
from django.urls import reverse

from peer_support.discussion import services
from peer_support.discussion.models import ThreadFollow
from peer_support.errors import NotAllowed
from tests.factories import UserFactory

from .builders import member_make, on_duty_make, probation_end, space_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(home_page):
    return space_make(home_page)


def test_followers_get_a_link_only_after_commit(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    on_duty_make(space)
    author, follower = member_make(space), member_make(space)
    thread = probation_end(space, author)
    services.thread_follow_set(thread_id=thread.pk, member=follower, follow=True)
    services.thread_follow_set(thread_id=thread.pk, member=author, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            author=author, thread_id=thread.pk, text="secret words here"
        )
    assert [m.to for m in mailoutbox] == [[follower.email]]
    body = mailoutbox[0].body
    assert "secret words" not in body and author.pseudonym not in body
    assert reverse("discussion:thread", args=[thread.pk]) in body
    assert services.followers_notify(post_id=post.pk) == 0  # once per post


def test_held_posts_notify_no_one_until_approved(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author, follower = member_make(space), member_make(space)
    thread = probation_end(space, author)
    services.thread_follow_set(thread_id=thread.pk, member=follower, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(author=author, thread_id=thread.pk, text="waits")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(
            post_id=post.pk,
            moderator=space.facilitators.first().worker,
            decision="approve",
        )
    assert [m.to for m in mailoutbox if m.to == [follower.email]]


def test_only_readers_follow_and_the_button_works(client, space):
    thread = probation_end(space, member_make(space))
    with pytest.raises(NotAllowed):
        services.thread_follow_set(
            thread_id=thread.pk, member=UserFactory(), follow=True
        )
    member = member_make(space)
    client.force_login(member)
    client.post(reverse("discussion:follow", args=[thread.pk]), {"follow": "1"})
    assert ThreadFollow.objects.filter(thread=thread, member=member).exists()
    client.post(reverse("discussion:follow", args=[thread.pk]), {"follow": "0"})
    assert not ThreadFollow.objects.filter(thread=thread, member=member).exists()
