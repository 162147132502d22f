"""A reader's standing in a space (read, post, moderate) and who is on duty, as the
discussion pages take them from the cache (`spaces.standing`,
`selectors.duty_state_shown`): an event that changes them shows on the next page,
what changes by the clock alone within the stated bound, and a form sent is always
decided against the database."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peer_support.discussion import selectors
from peer_support.discussion.models import Post
from peer_support.rotas.models import Shift
from peer_support.spaces import standing
from peer_support.spaces.models import Membership, MembershipStatus
from peer_support.spaces.services.facilitation import (
    membership_remove,
    membership_suspend,
)

from .builders import member_make, on_duty_make

pytestmark = pytest.mark.django_db


def _get(client, thread):
    return client.get(reverse("discussion:thread", args=[thread.pk]))


def _reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _membership(space, user) -> Membership:
    return Membership.objects.get(space=space, member=user)


def test_a_removed_member_loses_the_discussion_at_once(space, thread):
    member = member_make(space)
    client = _reader(member)
    assert _get(client, thread).status_code == 200  # their standing is kept now
    membership_remove(
        membership_id=_membership(space, member).pk,
        actor=space.facilitators.first().worker,
        reason="Broke the ground rules",
    )
    assert _get(client, thread).status_code == 403


def test_a_suspended_member_loses_the_reply_box_at_once(space, thread):
    member = member_make(space)
    client = _reader(member)
    assert 'id="reply-form"' in _get(client, thread).content.decode()
    membership_suspend(
        membership_id=_membership(space, member).pk,
        actor=space.facilitators.first().worker,
        reason="A pause",
        days=3,
    )
    page = _get(client, thread)
    assert page.status_code == 200  # a suspended member still reads
    assert 'id="reply-form"' not in page.content.decode()


def test_a_shift_ended_by_the_clock_takes_the_controls_within_the_bound(
    space, thread, later
):
    worker = on_duty_make(duty="moderation")
    review = reverse("discussion_review", args=[thread.opening_id])
    client = _reader(worker)
    assert review in _get(client, thread).content.decode()
    # The shift ends by the clock: no event drops the standing kept for the worker.
    Shift.objects.update(end=timezone.now() + timedelta(seconds=5))
    later(10)
    assert review in _get(client, thread).content.decode()
    later(standing.ACCESS_SECONDS)
    assert _get(client, thread).status_code == 403


def test_a_form_sent_is_decided_against_the_database(space, thread):
    member = member_make(space)
    client = _reader(member)
    assert _get(client, thread).status_code == 200
    # Changed with no event (as a row changed by hand): the page may still show
    # within the bound, but nothing sent is accepted.
    Membership.objects.filter(member=member).update(status=MembershipStatus.REMOVED)
    assert _get(client, thread).status_code == 200
    reply = reverse("discussion:reply", args=[thread.pk])
    assert client.post(reply, {"text": "Still here?"}).status_code == 403
    assert not Post.objects.filter(comment="Still here?").exists()


def test_who_is_on_duty_shows_at_once_and_by_the_clock_within_the_bound(
    space, thread, later
):
    client = _reader(member_make(space))
    banner = "No peer worker is around right now"
    assert banner in _get(client, thread).content.decode()
    on_duty_make(space)
    assert banner not in _get(client, thread).content.decode()
    Shift.objects.update(end=timezone.now() + timedelta(seconds=5))  # no event
    later(selectors.DUTY_SECONDS + 1)
    assert banner in _get(client, thread).content.decode()
