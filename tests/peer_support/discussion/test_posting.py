"""post_submit: who may post, in what order the checks run, and what is held."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_comments.signals import comment_will_be_posted
from django_comments_xtd.models import TmpXtdComment

from peer_support.discussion import services
from peer_support.discussion.models import (
    HoldReason,
    ModerationAction,
    Post,
    PostRevision,
    PostStatus,
    Thread,
    WatchedWord,
)
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import MembershipStatus, ModerationMode
from tests.factories import UserFactory
from tests.peer_support.spaces.boundaries import rules_publish

from .builders import member_make, on_duty_make, probation_end, space_make, thread_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(space):
    return on_duty_make(space)


def test_member_posts_once_off_probation_and_someone_is_on_duty(space, covered):
    member = member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="Hello all")
    assert post.status == PostStatus.PUBLISHED
    assert post.is_public
    assert post.user_name == member.pseudonym
    assert post.user_email == ""
    assert post.ip_address is None


def test_new_member_first_posts_are_held_for_a_peer_worker(space, covered):
    member = member_make(space)
    thread = thread_make(space)
    post = services.post_submit(author=member, thread_id=thread.pk, text="First time")
    assert post.status == PostStatus.HELD
    assert post.hold_reason == HoldReason.PROBATION
    assert not post.is_public
    assert post.needs_review
    assert ModerationAction.objects.filter(post=post, kind="held").exists()


def test_pre_moderated_space_holds_every_member_post(home_page):
    space = space_make(home_page, moderation_mode=ModerationMode.PRE)
    on_duty_make(space)
    member = member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="hi")
    assert post.hold_reason == HoldReason.PRE_MODERATED


def test_nobody_on_duty_holds_posts_like_pre_moderation(space):
    member = member_make(space)
    on_duty = on_duty_make(space)
    thread = probation_end(space, member)
    # The shift ends: nobody is around now.
    on_duty.shift_assignments.update(status="released")
    post = services.post_submit(author=member, thread_id=thread.pk, text="anyone?")
    assert post.hold_reason == HoldReason.NO_ONE_ON_DUTY


def test_moderation_duty_anywhere_counts_as_cover(space):
    member = member_make(space)
    on_duty_make(None)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="hi")
    assert post.status == PostStatus.PUBLISHED


def test_facilitator_posts_publish_at_once_even_with_nobody_on_duty(space):
    thread = thread_make(space)
    assert thread.opening.status == PostStatus.PUBLISHED
    assert thread.title == "How was your week?"


@pytest.mark.parametrize(
    "status", [MembershipStatus.SUSPENDED, MembershipStatus.LEFT, None]
)
def test_suspended_left_and_non_members_cannot_post(space, status):
    user = UserFactory()
    if status:
        member_make(space, user=user, status=status)
    thread = thread_make(space)
    before = Post.objects.count()
    with pytest.raises(NotAllowed):
        services.post_submit(author=user, thread_id=thread.pk, text="hello")
    with pytest.raises(NotAllowed):
        services.post_submit(author=user, space_id=space.pk, title="t", text="hello")
    assert Post.objects.count() == before
    assert Thread.objects.count() == 1


def test_changed_rules_ask_for_reacceptance(space, covered):
    member = member_make(space)
    thread = thread_make(space)
    rules_publish(space)
    with pytest.raises(services.RulesNotAccepted):
        services.post_submit(author=member, thread_id=thread.pk, text="hello")


def test_empty_text_and_missing_title_are_refused_and_write_nothing(space):
    member = member_make(space)
    with pytest.raises(ServiceError, match="write something"):
        services.post_submit(author=member, space_id=space.pk, title="t", text="  \n")
    with pytest.raises(ServiceError, match="title"):
        services.post_submit(author=member, space_id=space.pk, title=" ", text="x")
    with pytest.raises(ServiceError, match="3000"):
        services.post_submit(
            author=member, space_id=space.pk, title="t", text="x" * 3001
        )
    assert not Thread.objects.exists()


def test_checks_run_in_order_may_post_before_rate_limit_before_words(space):
    WatchedWord.objects.create(text="forbidden", action="block")
    suspended = member_make(space, status=MembershipStatus.SUSPENDED)
    thread = thread_make(space)
    thread.slow_mode_seconds = 600
    thread.save()
    with pytest.raises(NotAllowed):
        services.post_submit(author=suspended, thread_id=thread.pk, text="forbidden")
    member = member_make(space)
    services.post_submit(author=member, thread_id=thread.pk, text="first")
    with pytest.raises(services.RateLimited):
        services.post_submit(author=member, thread_id=thread.pk, text="forbidden")


def test_new_member_may_post_three_times_in_ten_minutes(space, covered):
    member = member_make(space, seasoned=False)
    thread = thread_make(space)
    for n in range(3):
        services.post_submit(author=member, thread_id=thread.pk, text=f"post {n}")
    with pytest.raises(services.RateLimited, match="3 posts every 10 minutes"):
        services.post_submit(author=member, thread_id=thread.pk, text="fourth")
    later = timezone.now() + timedelta(minutes=11)
    services.post_submit(author=member, thread_id=thread.pk, text="later", now=later)


def test_slow_mode_and_lock(space, covered):
    member = member_make(space)
    facilitator = space.facilitators.first().worker
    thread = thread_make(space)
    services.thread_settings_set(
        thread_id=thread.pk, moderator=facilitator, locked=False, slow_mode_seconds=60
    )
    services.post_submit(author=member, thread_id=thread.pk, text="one")
    with pytest.raises(services.RateLimited, match="slow mode"):
        services.post_submit(author=member, thread_id=thread.pk, text="two")
    services.thread_settings_set(
        thread_id=thread.pk, moderator=facilitator, locked=True, slow_mode_seconds=0
    )
    with pytest.raises(NotAllowed, match="closed"):
        services.post_submit(
            author=member,
            thread_id=thread.pk,
            text="three",
            now=timezone.now() + timedelta(minutes=5),
        )
    # Moderators may still post in a locked thread.
    services.post_submit(author=facilitator, thread_id=thread.pk, text="closing")
    with pytest.raises(NotAllowed):
        services.thread_settings_set(
            thread_id=thread.pk, moderator=member, locked=False, slow_mode_seconds=0
        )


def test_watched_words_block_hold_and_replace(space, covered):
    WatchedWord.objects.create(
        text="badword", action="block", explanation="Please leave that out."
    )
    WatchedWord.objects.create(text="meds*", action="hold")
    WatchedWord.objects.create(
        text="darn", match="contains", action="replace", replacement="****"
    )
    member = member_make(space)
    thread = probation_end(space, member)
    with pytest.raises(services.PostBlocked, match="leave that out"):
        services.post_submit(author=member, thread_id=thread.pk, text="a BadWord here")
    held = services.post_submit(
        author=member, thread_id=thread.pk, text="my medsupply ran out"
    )
    assert held.hold_reason == HoldReason.WATCHED_WORD
    replaced = services.post_submit(author=member, thread_id=thread.pk, text="darnit")
    assert replaced.comment == "****it"
    assert replaced.status == PostStatus.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "call me on 07700 900123",
        "email me: quiet.heron@example.org",
        "find me @quiet_heron",
        "add me on WhatsApp",
    ],
)
def test_default_list_holds_contact_details(space, covered, text):
    member = member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text=text)
    assert post.hold_reason == HoldReason.WATCHED_WORD
    assert "anonymous" in post.hold_detail


def test_whole_word_does_not_match_inside_other_words(space, covered):
    WatchedWord.objects.create(text="ass", action="block")
    member = member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="a class")
    assert post.status == PostStatus.PUBLISHED


def test_replies_nest_to_three_levels_and_no_deeper(space, covered):
    member = member_make(space)
    thread = probation_end(space, member)
    top = services.post_submit(author=member, thread_id=thread.pk, text="top")
    reply = services.post_submit(
        author=member, thread_id=thread.pk, parent_id=top.pk, text="reply"
    )
    deeper = services.post_submit(
        author=member, thread_id=thread.pk, parent_id=reply.pk, text="deeper"
    )
    deepest = services.post_submit(
        author=member, thread_id=thread.pk, parent_id=deeper.pk, text="deepest"
    )
    assert (top.level, reply.level, deeper.level) == (0, 1, 2)
    # Replying to the deepest level answers beside it, under the same parent.
    assert deepest.level == 2 and deepest.parent_id == reply.pk


def test_edit_within_fifteen_minutes_keeps_a_revision(space, covered):
    member = member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="befor")
    edited = services.post_submit(author=member, post_id=post.pk, text="before")
    assert edited.comment == "before" and edited.edited_at
    assert list(
        PostRevision.objects.filter(post=post).values_list("text", flat=True)
    ) == ["befor"]
    with pytest.raises(NotAllowed):
        services.post_submit(author=member_make(space), post_id=post.pk, text="mine")
    Post.objects.filter(pk=post.pk).update(
        submit_date=timezone.now() - timedelta(minutes=16)
    )
    with pytest.raises(ServiceError, match="15 minutes"):
        services.post_submit(author=member, post_id=post.pk, text="too late")


def test_an_edit_that_adds_contact_details_is_held_again(space, covered):
    member = member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="hello")
    edited = services.post_submit(
        author=member, post_id=post.pk, text="text me 07700900123"
    )
    assert edited.status == PostStatus.HELD
    assert not edited.is_public


def test_delete_leaves_a_tombstone_and_replies_keep_their_place(space, covered):
    member, other = member_make(space), member_make(space)
    thread = probation_end(space, member)
    probation_end(space, other)
    post = services.post_submit(author=member, thread_id=thread.pk, text="mine")
    reply = services.post_submit(
        author=other, thread_id=thread.pk, parent_id=post.pk, text="reply"
    )
    with pytest.raises(NotAllowed):
        services.post_delete(post_id=post.pk, member=other)
    services.post_delete(post_id=post.pk, member=member)
    post.refresh_from_db()
    reply.refresh_from_db()
    assert post.status == PostStatus.DELETED
    assert reply.parent_id == post.pk and reply.status == PostStatus.PUBLISHED


def test_helped_once_per_member_and_not_on_own_post(space, covered):
    member, other = member_make(space), member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="tip")
    services.post_helped_set(post_id=post.pk, member=other, helped=True)
    services.post_helped_set(post_id=post.pk, member=other, helped=True)
    assert post.helped.count() == 1
    with pytest.raises(ServiceError):
        services.post_helped_set(post_id=post.pk, member=member, helped=True)
    with pytest.raises(NotAllowed):
        services.post_helped_set(post_id=post.pk, member=UserFactory(), helped=True)


def test_comments_xtd_moderator_refuses_posts_that_skip_post_submit(space):
    thread = thread_make(space)
    stray = Post(
        content_type=thread.opening.content_type,
        object_pk=str(thread.pk),
        site_id=1,
        comment="around the side",
        thread_ref=thread,
    )
    responses = comment_will_be_posted.send(
        sender=TmpXtdComment, comment=stray, request=None
    )
    assert any(response is False for _receiver, response in responses)


def test_course_topics_open_threads_grouped_by_week(home_page):
    from peer_support.courses.models import CourseTopic

    space = space_make(home_page, title="Course")
    course = type("Course", (), {"pk": space.pk, "topics": CourseTopic.objects})
    assert services.course_threads_sync(course=course) == 0


def test_hostile_text_asks_to_rephrase_and_the_override_is_recorded(space, covered):
    member = member_make(space)
    thread = probation_end(space, member)
    with pytest.raises(services.RephrasePrompt):
        services.post_submit(author=member, thread_id=thread.pk, text="oh grow up")
    assert not Post.objects.filter(comment="oh grow up").exists()
    post = services.post_submit(
        author=member, thread_id=thread.pk, text="oh grow up", hostile_override=True
    )
    assert ModerationAction.objects.filter(
        post=post, kind="hostile_override", actor=member
    ).exists()
