"""Flags, the review queue in the admin and moderators' decisions."""

import pytest
from django.urls import reverse

from peer_support.audit import AppendOnlyError, AppendOnlyModel
from peer_support.discussion import services
from peer_support.discussion.models import (
    HoldReason,
    ModerationAction,
    Post,
    PostStatus,
)
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import MemberNotice
from tests.factories import PeerWorkerFactory, UserFactory

from .builders import member_make, on_duty_make, probation_end, space_make, thread_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(roles):
    """Peer workers reach the admin through their role's permissions."""
    return roles


@pytest.fixture
def other_space(home_page):
    return space_make(home_page, title="Other group")


def _published(space, member):
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="a post")
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED, is_public=True)
    post.refresh_from_db()
    return post


def test_three_flags_hide_a_post_when_nobody_is_on_duty(space):
    author = member_make(space)
    post = _published(space, author)
    flaggers = [member_make(space) for _ in range(3)]
    for n, flagger in enumerate(flaggers[:2]):
        services.post_flag(post_id=post.pk, reporter=flagger, reason="ground_rule")
        post.refresh_from_db()
        assert post.status == PostStatus.PUBLISHED, n
    assert post.needs_review
    services.post_flag(post_id=post.pk, reporter=flaggers[2], reason="spam")
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    assert post.hold_reason == HoldReason.FLAGS
    assert ModerationAction.objects.filter(post=post, kind="auto_hidden").exists()


def test_flags_do_not_hide_while_someone_is_on_duty(space):
    on_duty_make(space)
    post = _published(space, member_make(space))
    for _ in range(4):
        services.post_flag(post_id=post.pk, reporter=member_make(space), reason="other")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.needs_review


def test_flag_refusals_change_nothing(space):
    author = member_make(space)
    post = _published(space, author)
    with pytest.raises(ServiceError):
        services.post_flag(post_id=post.pk, reporter=author, reason="other")
    with pytest.raises(NotAllowed):
        services.post_flag(post_id=post.pk, reporter=UserFactory(), reason="other")
    with pytest.raises(ServiceError):
        services.post_flag(post_id=post.pk, reporter=member_make(space), reason="x")
    assert not post.post_flags.exists()


def test_hide_with_reason_records_and_tells_the_author(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author = member_make(space)
    post = _published(space, author)
    facilitator = space.facilitators.first().worker
    with pytest.raises(ServiceError, match="reason"):
        services.post_moderate(post_id=post.pk, moderator=facilitator, decision="hide")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(
            post_id=post.pk,
            moderator=facilitator,
            decision="hide",
            reason="Ground rule 2: no names of clinicians.",
        )
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN and not post.needs_review
    action = ModerationAction.objects.get(post=post, kind="hidden")
    assert action.actor == facilitator and "Ground rule 2" in action.reason
    notice = MemberNotice.objects.filter(member=author).first()  # the newest
    assert "Ground rule 2" in notice.body
    assert len(mailoutbox) == 1
    email = mailoutbox[0].body
    assert "a post" not in email  # the post's text never goes by email
    # Nor the thread's title, which a member wrote: the space and a link say where.
    assert (
        post.thread_ref.title not in email and post.thread_ref.title not in notice.body
    )
    assert space.title in email
    assert f"http://testserver{reverse('discussion:post', args=[post.pk])}" in email


def test_moderation_history_is_append_only(space):
    post = _published(space, member_make(space))
    facilitator = space.facilitators.first().worker
    services.post_moderate(
        post_id=post.pk, moderator=facilitator, decision="warn", reason="Be kind."
    )
    action = ModerationAction.objects.filter(kind="warned").first()
    assert isinstance(action, AppendOnlyModel)
    with pytest.raises(AppendOnlyError):
        action.delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.filter(pk=action.pk).update(reason="changed")


@pytest.mark.postgres
def test_moderation_history_refuses_raw_sql_on_postgresql(space):
    from django.db import DatabaseError, connection, transaction

    post = _published(space, member_make(space))
    services.post_moderate(
        post_id=post.pk,
        moderator=space.facilitators.first().worker,
        decision="warn",
        reason="Be kind.",
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE discussion_moderationaction SET reason = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM discussion_moderationaction")


def test_approving_a_held_post_publishes_it(space):
    member = member_make(space)
    thread = thread_make(space)
    post = services.post_submit(author=member, thread_id=thread.pk, text="waiting")
    assert post.status == PostStatus.HELD
    services.post_moderate(
        post_id=post.pk,
        moderator=space.facilitators.first().worker,
        decision="approve",
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.is_public
    assert MemberNotice.objects.filter(member=member).count() == 1


@pytest.mark.parametrize("who", ["other_facilitator", "member", "peer_worker"])
def test_only_moderators_of_the_space_decide(space, other_space, who):
    post = _published(space, member_make(space))
    moderator = {
        "other_facilitator": lambda: other_space.facilitators.first().worker,
        "member": lambda: member_make(space),
        "peer_worker": PeerWorkerFactory,
    }[who]()
    with pytest.raises(NotAllowed):
        services.post_moderate(
            post_id=post.pk, moderator=moderator, decision="hide", reason="no"
        )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_peer_worker_covering_the_space_on_the_rota_moderates(space):
    post = _published(space, member_make(space))
    worker = on_duty_make(space)
    services.post_moderate(
        post_id=post.pk, moderator=worker, decision="remove", reason="Spam."
    )
    post.refresh_from_db()
    assert post.status == PostStatus.REMOVED


def test_queue_shows_only_spaces_the_moderator_looks_after(client, space, other_space):
    member = member_make(space)
    thread = thread_make(space)
    held = services.post_submit(author=member, thread_id=thread.pk, text="mine waits")
    elsewhere_member = member_make(other_space)
    elsewhere = services.post_submit(
        author=elsewhere_member,
        thread_id=thread_make(other_space).pk,
        text="other waits",
    )
    client.force_login(space.facilitators.first().worker)
    response = client.get(reverse("discussion_queue:index"))
    assert response.status_code == 200
    assert b"mine waits" in response.content
    assert b"other waits" not in response.content
    review = reverse("discussion_review", args=[held.pk])
    assert client.get(review).status_code == 200
    assert (
        client.get(reverse("discussion_review", args=[elsewhere.pk])).status_code == 404
    )


def test_queue_is_closed_to_members(client, space):
    client.force_login(member_make(space))
    response = client.get(reverse("discussion_queue:index"))
    assert response.status_code in (302, 403)


def test_moderator_hides_from_the_review_page(client, space):
    author = member_make(space)
    post = _published(space, author)
    services.post_flag(post_id=post.pk, reporter=member_make(space), reason="worried")
    client.force_login(space.facilitators.first().worker)
    review = reverse("discussion_review", args=[post.pk])
    page = client.get(review)
    assert b"I&#x27;m worried about this person" in page.content
    response = client.post(review, {"decision": "hide", "reason": ""})
    assert response.status_code == 200
    assert b"Please give a reason" in response.content
    response = client.post(review, {"decision": "hide", "reason": "Rule 1"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    assert not post.post_flags.filter(resolved_at__isnull=True).exists()


def test_reporter_is_never_shown_to_members(client, space):
    author = member_make(space)
    post = _published(space, author)
    reporter = member_make(space)
    services.post_flag(post_id=post.pk, reporter=reporter, reason="spam")
    client.force_login(author)
    content = client.get(
        reverse("discussion:thread", args=[post.thread_ref_id])
    ).content
    assert reporter.pseudonym.encode() not in content


def test_a_member_flagged_five_times_in_a_day_is_held(space):
    on_duty_make(space)
    author = member_make(space)
    thread = probation_end(space, author)
    for n in range(5):
        post = services.post_submit(author=author, thread_id=thread.pk, text=f"p{n}")
        services.post_flag(post_id=post.pk, reporter=member_make(space), reason="other")
        assert post.status == PostStatus.PUBLISHED
    post = services.post_submit(author=author, thread_id=thread.pk, text="next")
    assert post.hold_reason == HoldReason.FLAGGED_MEMBER


def test_claim_keeps_a_second_moderator_from_acting(space):
    member = member_make(space)
    post = services.post_submit(
        author=member, thread_id=thread_make(space).pk, text="waits"
    )
    first = space.facilitators.first().worker
    second = on_duty_make(space)
    services.post_claim(post_id=post.pk, moderator=first)
    with pytest.raises(ServiceError, match="already looking"):
        services.post_claim(post_id=post.pk, moderator=second)
    with pytest.raises(ServiceError, match="already looking"):
        services.post_moderate(post_id=post.pk, moderator=second, decision="approve")
    services.post_moderate(post_id=post.pk, moderator=first, decision="approve")
    post.refresh_from_db()
    assert post.claimed_by is None and post.status == PostStatus.PUBLISHED


def test_private_note_is_kept_in_the_history_not_sent(space):
    author = member_make(space)
    post = _published(space, author)
    notices = MemberNotice.objects.filter(member=author).count()
    facilitator = space.facilitators.first().worker
    with pytest.raises(ServiceError):
        services.post_note_add(post_id=post.pk, moderator=facilitator, note="  ")
    services.post_note_add(
        post_id=post.pk, moderator=facilitator, note="Knows the group well."
    )
    assert ModerationAction.objects.filter(post=post, kind="note").exists()
    assert MemberNotice.objects.filter(member=author).count() == notices
    with pytest.raises(NotAllowed):
        services.post_note_add(post_id=post.pk, moderator=author, note="me")


def test_approve_and_end_probation_lets_the_next_post_through(space):
    on_duty_make(space)
    member = member_make(space)
    thread = thread_make(space)
    first = services.post_submit(author=member, thread_id=thread.pk, text="one")
    assert first.hold_reason == HoldReason.PROBATION
    services.post_moderate(
        post_id=first.pk,
        moderator=space.facilitators.first().worker,
        decision="approve_probation",
    )
    second = services.post_submit(author=member, thread_id=thread.pk, text="two")
    assert second.status == PostStatus.PUBLISHED


def test_claim_and_note_from_the_review_page(client, space):
    member = member_make(space)
    post = services.post_submit(
        author=member, thread_id=thread_make(space).pk, text="waits"
    )
    client.force_login(space.facilitators.first().worker)
    review = reverse("discussion_review", args=[post.pk])
    client.post(review, {"claim": "1"})
    client.post(review, {"note": "Check with the lead."})
    page = client.get(review).content.decode()
    assert "Claimed by" in page and "Check with the lead." in page


def test_moderator_locks_slows_and_pins_from_the_thread_page(client, space):
    thread = thread_make(space)
    member = member_make(space)
    url = reverse("discussion:thread_settings", args=[thread.pk])
    client.force_login(member)
    assert client.post(url, {"locked": "on", "slow_mode_seconds": 0}).status_code == 403
    client.force_login(space.facilitators.first().worker)
    client.post(url, {"locked": "on", "pinned": "on", "slow_mode_seconds": 120})
    thread.refresh_from_db()
    assert thread.locked and thread.pinned and thread.slow_mode_seconds == 120
    kinds = set(thread.actions.values_list("kind", flat=True))
    assert {"locked", "pinned", "slow_mode"} <= kinds
