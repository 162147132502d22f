"""Posts nobody answered: listed for peer workers, and whoever is on duty is told once
(a link only: no post text, no pseudonym)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.discussion import services
from peer_support.discussion.models import Post
from peer_support.discussion.selectors import unanswered_posts
from peer_support.discussion.tasks import unanswered_notify_task
from peer_support.spaces.models import MemberNotice

from .builders import member_make, on_duty_make, probation_end

pytestmark = pytest.mark.django_db


def _aged(post, hours=13):
    Post.objects.filter(pk=post.pk).update(
        submit_date=timezone.now() - timedelta(hours=hours)
    )


def test_unanswered_until_someone_else_replies(space):
    on_duty_make(space)
    member, other = member_make(space), member_make(space)
    thread = probation_end(space, member)
    probation_end(space, other)
    Post.objects.filter(thread_ref__space=space).update(
        submit_date=timezone.now() - timedelta(days=2)
    )
    lonely = services.post_submit(author=member, thread_id=thread.pk, text="anyone?")
    _aged(lonely)
    assert lonely.pk in {p.pk for p in unanswered_posts()}
    services.post_submit(author=other, thread_id=thread.pk, text="me")
    assert lonely.pk not in {p.pk for p in unanswered_posts()}


def test_whoever_is_on_duty_is_told_once_with_a_link_only(
    client, space, django_capture_on_commit_callbacks, mailoutbox
):
    worker = on_duty_make(space)
    member = member_make(space)
    thread = probation_end(space, member)
    Post.objects.filter(thread_ref=thread).update(
        submit_date=timezone.now() - timedelta(days=2)
    )
    quiet = services.post_submit(
        author=member, thread_id=thread.pk, text="a quiet word"
    )
    Post.objects.filter(thread_ref=thread).update(
        submit_date=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        told = unanswered_notify_task()
    assert told >= 1
    notices = MemberNotice.objects.filter(member=worker)
    assert notices.count() == told
    body = notices.first().body
    assert "a quiet word" not in body and member.pseudonym not in body
    assert unanswered_notify_task() == 0  # once per post

    # The emailed link is absolute, and it opens the thread at the waiting post.
    quiet_path = reverse("discussion:post", args=[quiet.pk])
    (email,) = [m for m in mailoutbox if quiet_path in m.body]
    assert email.to == [worker.email]
    assert "a quiet word" not in email.body and member.pseudonym not in email.body
    (link,) = re.findall(rf"https?://\S+{quiet_path}", email.body)
    client.force_login(worker)
    response = client.get(urlsplit(link).path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(
        reverse("discussion:thread", args=[thread.pk])
    )
    assert b"a quiet word" in response.content


def test_unanswered_page_for_peer_workers(client, space, roles):
    member = member_make(space)
    thread = probation_end(space, member)
    Post.objects.filter(thread_ref=thread).update(
        submit_date=timezone.now() - timedelta(days=1)
    )
    client.force_login(space.facilitators.first().worker)
    response = client.get(reverse("discussion_unanswered"))
    assert response.status_code == 200
    assert b"unanswered-row" in response.content
