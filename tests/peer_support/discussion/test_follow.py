"""Opt-in emails about new posts in a conversation: a link only, sent on commit,
never for held posts, never to the author, once per post."""

import pytest
from django.urls import reverse

from peer_support.discussion import notifications, services
from peer_support.discussion.models import FollowLevel, ThreadFollow
from peer_support.errors import NotAllowed
from tests.factories import UserFactory

from .builders import member_make, on_duty_make, probation_end

pytestmark = pytest.mark.django_db


def test_followers_get_a_link_only_after_commit(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    on_duty_make(space)
    author, follower = member_make(space), member_make(space)
    thread = probation_end(space, author)
    notifications.thread_follow_set(thread_id=thread.pk, member=follower, level="all")
    notifications.thread_follow_set(thread_id=thread.pk, member=author, level="all")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            author=author, thread_id=thread.pk, text="secret words here"
        )
    opener = space.facilitators.first().worker
    assert sorted(m.to[0] for m in mailoutbox) == sorted([follower.email, opener.email])
    assert next(m for m in mailoutbox if m.to == [opener.email]).subject == (
        "Someone replied to your post"
    )
    body = next(m for m in mailoutbox if m.to == [follower.email]).body
    assert "secret words" not in body and author.pseudonym not in body
    assert reverse("discussion:post", args=[post.pk]) in body
    assert notifications.post_notify(post_id=post.pk) == 0  # once per post


def test_held_posts_notify_no_one_until_approved(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author, follower = member_make(space), member_make(space)
    thread = probation_end(space, author)
    notifications.thread_follow_set(thread_id=thread.pk, member=follower, level="all")
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
        notifications.thread_follow_set(
            thread_id=thread.pk, member=UserFactory(), level="all"
        )
    member = member_make(space)
    client.force_login(member)
    url = reverse("discussion:follow", args=[thread.pk])
    client.post(url, {"level": "all"})
    assert ThreadFollow.objects.get(thread=thread, member=member).level == "all"
    client.post(url, {"level": "none"})
    assert ThreadFollow.objects.get(thread=thread, member=member).level == "none"
    response = client.post(url, {"level": "everything"}, follow=True)
    assert "Choose which emails" in response.content.decode()
    assert ThreadFollow.objects.get(thread=thread, member=member).level == "none"


def test_posting_chooses_replies_and_mentions_unless_the_member_chose(space):
    on_duty_make(space)
    author, quiet = member_make(space), member_make(space)
    thread = probation_end(space, author)
    assert ThreadFollow.objects.get(thread=thread, member=author).level == (
        FollowLevel.MENTIONS
    )
    probation_end(space, quiet)
    notifications.thread_follow_set(thread_id=thread.pk, member=quiet, level="none")
    services.post_submit(author=quiet, thread_id=thread.pk, text="still here")
    assert ThreadFollow.objects.get(thread=thread, member=quiet).level == "none"
