"""Screening in the discussion: every post and edit is screened in `post_submit`;
medium or more is held with a message of support and raises a concern, low shows and
raises a low concern, none does nothing. A member's "I'm worried about this person"
raises or joins a concern, and the review queue marks safeguarding holds."""

import pytest
from django.urls import reverse

from peer_support.discussion import services
from peer_support.discussion.models import FlagReason, HoldReason, PostStatus
from safeguarding.models import Concern, ConcernEvent, ConcernSource
from safeguarding.severity import Severity
from tests.home.test_pages import crisis_settings
from tests.peer_support.discussion.builders import (
    member_make,
    on_duty_make,
    probation_end,
    space_make,
    thread_make,
)
from tests.safeguarding.conftest import sign_in

pytestmark = pytest.mark.django_db

IMMEDIATE = "I want to kill myself tonight."
MEDIUM = "I cut myself last night."
LOW = "I feel hopeless."
NONE = "Lovely walk by the river today."


@pytest.fixture
def space(home_page, roles):
    return space_make(home_page, title="Tuesday circle")


@pytest.fixture
def worker(space):
    return on_duty_make(space)


@pytest.fixture
def member(space, worker):
    member = member_make(space)
    probation_end(space, member)
    return member


@pytest.fixture
def thread(space):
    return thread_make(space)


def ref(post):
    return f"discussion.post:{post.pk}"


@pytest.mark.parametrize(
    ("text", "severity"),
    [(IMMEDIATE, Severity.IMMEDIATE), (MEDIUM, Severity.MEDIUM)],
)
def test_medium_or_more_is_held_and_raises_a_concern_about_the_post(
    space, member, thread, text, severity
):
    post = services.post_submit(author=member, thread_id=thread.pk, text=text)

    assert post.status == PostStatus.HELD
    assert post.hold_reason == HoldReason.SAFEGUARDING
    assert not post.is_public and post.needs_review
    concern = Concern.objects.get(member=member)
    assert concern.severity == severity
    assert concern.source == ConcernSource.SCREENING
    assert concern.content_ref == ref(post)
    assert text in concern.content_snapshot
    assert concern.space_id == space.pk


def test_low_shows_and_raises_a_low_concern(member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=LOW)

    assert post.status == PostStatus.PUBLISHED
    concern = Concern.objects.get(member=member)
    assert concern.severity == Severity.LOW
    assert concern.content_ref == ref(post)


def test_nothing_risky_raises_nothing(member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=NONE)

    assert post.status == PostStatus.PUBLISHED
    assert not Concern.objects.exists()


def test_a_new_thread_title_is_screened_too(space, member):
    post = services.post_submit(
        author=member, space_id=space.pk, title=IMMEDIATE, text="That's all."
    )
    assert post.hold_reason == HoldReason.SAFEGUARDING
    assert Concern.objects.get(member=member).severity == Severity.IMMEDIATE


def test_an_edit_that_turns_risky_is_held_and_raises_a_concern(member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=NONE)
    assert post.status == PostStatus.PUBLISHED

    post = services.post_submit(author=member, post_id=post.pk, text=IMMEDIATE)

    assert post.status == PostStatus.HELD
    assert post.hold_reason == HoldReason.SAFEGUARDING
    assert not post.is_public
    concern = Concern.objects.get(member=member)
    assert concern.severity == Severity.IMMEDIATE
    assert concern.content_ref == ref(post)


def test_a_moderators_risky_post_is_held_as_well(space, worker, thread):
    facilitator = space.facilitators.first().worker
    post = services.post_submit(author=facilitator, thread_id=thread.pk, text=IMMEDIATE)
    assert post.hold_reason == HoldReason.SAFEGUARDING


def test_a_refused_post_raises_no_concern(space, member, thread):
    with pytest.raises(services.DiscussionError):
        services.post_submit(author=member, thread_id=thread.pk, text=IMMEDIATE * 400)
    assert not Concern.objects.exists()


def test_the_concern_is_committed_before_its_tasks_are_queued(
    member, thread, monkeypatch, django_capture_on_commit_callbacks
):
    from safeguarding import escalation

    seen = []

    def spy(call, *args, **kwargs):
        seen.append(Concern.objects.filter(member=member).exists())

    monkeypatch.setattr(escalation, "_safely", spy)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.post_submit(author=member, thread_id=thread.pk, text=IMMEDIATE)
        assert seen == []  # nothing is queued inside the transaction

    assert callbacks
    assert seen and all(seen)


def test_the_author_sees_a_warm_message_with_the_crisis_lines(
    client, space, member, thread
):
    crisis_settings(Samaritans="116 123")
    client.force_login(member)

    response = client.post(
        reverse("discussion:reply", args=[thread.pk]), {"text": IMMEDIATE}, follow=True
    )

    page = response.content.decode()
    assert "Thank you for sharing this" in page
    assert "you don&#x27;t have to face them alone" in page
    assert 'class="alert alert-info support-message"' in page
    support = page.split("support-message", 1)[1].split("</div>", 1)[0]
    assert 'href="tel:116123"' in support
    for punitive in ("blocked", "not allowed", "can't be posted", "removed"):
        assert punitive not in support.lower()


def test_another_member_does_not_see_the_held_post(client, space, member, thread):
    services.post_submit(author=member, thread_id=thread.pk, text=IMMEDIATE)
    other = member_make(space)
    client.force_login(other)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content
    assert b"kill myself" not in page
    client.force_login(member)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content
    assert b"kill myself" in page


# --- "I'm worried about this person" ----------------------------------------------


def test_a_worried_flag_raises_a_concern_about_the_author(space, member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=NONE)
    reporter = member_make(space)

    services.post_flag(post_id=post.pk, reporter=reporter, reason=FlagReason.WORRIED)

    concern = Concern.objects.get(member=member)
    assert concern.source == ConcernSource.FLAG
    assert concern.severity == Severity.MEDIUM
    assert concern.raised_by == reporter
    assert concern.content_ref == ref(post)


def test_other_flag_reasons_raise_no_concern(space, member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=NONE)
    reporter = member_make(space)
    services.post_flag(post_id=post.pk, reporter=reporter, reason=FlagReason.SPAM)
    assert not Concern.objects.exists()


def test_a_worried_flag_joins_the_concern_screening_opened(space, member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=LOW)
    reporter = member_make(space)

    services.post_flag(post_id=post.pk, reporter=reporter, reason=FlagReason.WORRIED)

    concern = Concern.objects.get(member=member)
    assert concern.severity == Severity.MEDIUM
    assert ConcernEvent.objects.filter(
        concern=concern, kind=ConcernEvent.Kind.JOINED, content_ref=ref(post)
    ).exists()


def test_the_member_concerned_never_sees_who_was_worried(client, space, member, thread):
    post = services.post_submit(author=member, thread_id=thread.pk, text=NONE)
    reporter = member_make(space)
    reporter.pseudonym = "Watchful Wren"
    reporter.save()
    services.post_flag(post_id=post.pk, reporter=reporter, reason=FlagReason.WORRIED)

    client.force_login(member)
    for url in (
        reverse("discussion:thread", args=[thread.pk]),
        reverse("my_spaces:home"),
    ):
        assert b"Watchful Wren" not in client.get(url, follow=True).content
    concern = Concern.objects.get()
    response = client.get(reverse("safeguarding_concern", args=[concern.pk]))
    assert response.status_code in (302, 404)
    assert b"Watchful Wren" not in response.content


# --- the review queue -----------------------------------------------------------------


def test_the_queue_marks_safeguarding_holds_and_links_the_concern_for_its_owner(
    client, space, worker, member, thread
):
    post = services.post_submit(author=member, thread_id=thread.pk, text=IMMEDIATE)
    concern = Concern.objects.get()
    assert concern.owner == worker
    sign_in(client, worker)

    queue = client.get(reverse("discussion_queue:index")).content.decode()
    assert str(HoldReason.SAFEGUARDING.label) in queue
    review = client.get(reverse("discussion_review", args=[post.pk])).content.decode()
    assert "Held for safeguarding" in review
    assert reverse("safeguarding_concern", args=[concern.pk]) in review


def test_the_review_page_shows_no_concern_to_a_moderator_who_may_not_see_it(
    client, space, worker, member, thread
):
    post = services.post_submit(author=member, thread_id=thread.pk, text=IMMEDIATE)
    concern = Concern.objects.get()
    facilitator = space.facilitators.first().worker
    assert concern.owner != facilitator
    sign_in(client, facilitator)

    review = client.get(reverse("discussion_review", args=[post.pk])).content.decode()
    assert "Held for safeguarding" in review
    assert reverse("safeguarding_concern", args=[concern.pk]) not in review
    assert concern.reference not in review


def test_a_lead_sees_the_concern_link(client, space, member, thread, other_lead):
    from peer_support.spaces.models import SpaceFacilitator

    post = services.post_submit(author=member, thread_id=thread.pk, text=IMMEDIATE)
    concern = Concern.objects.get()
    SpaceFacilitator.objects.create(page_id=space.pk, worker=other_lead)
    sign_in(client, other_lead)
    review = client.get(reverse("discussion_review", args=[post.pk])).content.decode()
    assert reverse("safeguarding_concern", args=[concern.pk]) in review
