"""Builders for the discussion tests: a space with a facilitator, members who have
accepted the rules, and a peer worker on duty (or nobody)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django_comments.models import Comment

from peer_support.discussion import services
from peer_support.discussion.models import Thread
from peer_support.discussion.versions import thread_changed
from peer_support.rotas.models import AssignmentStatus, Duty, Shift, ShiftAssignment
from peer_support.spaces.models import (
    JoinPolicy,
    Membership,
    MembershipStatus,
    ModerationMode,
    SpaceFacilitator,
    SpacePage,
    SpaceRole,
)
from tests.factories import PeerWorkerFactory, UserFactory


def space_make(home_page, *, title="Evening group", facilitator=None, **fields):
    fields.setdefault("join_policy", JoinPolicy.OPEN)
    fields.setdefault("moderation_mode", ModerationMode.POST)
    slug = title.lower().replace(" ", "-")
    space = home_page.add_child(instance=SpacePage(title=title, slug=slug, **fields))
    facilitator = facilitator or PeerWorkerFactory()
    SpaceFacilitator.objects.create(page_id=space.pk, worker=facilitator)
    return SpacePage.objects.get(pk=space.pk)


def member_make(space, *, user=None, role=SpaceRole.MEMBER, seasoned=True, **fields):
    """An active member; `seasoned` members joined long ago (no new-member limits)."""
    user = user or UserFactory()
    joined = timezone.now() - (timedelta(days=90) if seasoned else timedelta(hours=1))
    Membership.objects.create(
        space=space,
        member=user,
        role=role,
        status=fields.pop("status", MembershipStatus.ACTIVE),
        joined_at=joined,
        **fields,
    )
    return user


def on_duty_make(space=None, *, worker=None, duty=None):
    """Someone covering now: the space's cover, or the moderation duty."""
    worker = worker or PeerWorkerFactory()
    now = timezone.now()
    shift = Shift.objects.create(
        duty=duty or (Duty.SPACE_COVER if space else Duty.MODERATION),
        space=space,
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=2),
    )
    ShiftAssignment.objects.create(
        shift=shift, worker=worker, status=AssignmentStatus.ACTIVE
    )
    return worker


def probation_end(space, member, posts=3):
    """Give a member enough published posts that new posts aren't held."""
    from peer_support.discussion.models import PostStatus

    thread = thread_make(space, author=space.facilitators.first().worker)
    for n in range(posts):
        post = services.post_submit(author=member, thread_id=thread.pk, text=f"hi {n}")
        if post.status != PostStatus.PUBLISHED:
            services.post_moderate(
                post_id=post.pk,
                moderator=space.facilitators.first().worker,
                decision="approve",
            )
    return thread


def thread_make(space, *, author=None, title="How was your week?", text="Tell us."):
    author = author or space.facilitators.first().worker
    post = services.post_submit(
        author=author, space_id=space.pk, title=title, text=text
    )
    return post.thread_ref


def posts_bulk_make(thread, authors, count, *, held: bool, tops_only=False):
    """`count` posts in `thread`: top-level, and (unless `tops_only`) one reply under
    every third. Inserted in bulk straight into the three comment tables (Django
    cannot bulk-create a multi-table child), for listings measured at scale."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Thread)
    comments = Comment.objects.bulk_create(
        Comment(
            content_type=content_type,
            object_pk=str(thread.pk),
            site_id=1,
            user=authors[n % len(authors)],
            user_name=authors[n % len(authors)].pseudonym,
            comment=f"Bench post {n}: how the week went, at some length. " * 3,
            submit_date=now,
            is_public=not held,
        )
        for n in range(count)
    )
    xtd_rows, post_rows = [], []
    top = None
    for n, comment in enumerate(comments):
        reply = not tops_only and top is not None and n % 3 == 2
        if not reply:
            top, order = comment.pk, 1
        else:
            order = 2
        xtd_rows.append(
            (comment.pk, top, top if reply else comment.pk, int(reply), order, False, 0)
        )
        post_rows.append(
            (
                comment.pk,
                thread.pk,
                "held" if held else "published",
                "pre_moderated" if held else "",
                "",
                "",
                False,
                held,
                now if held else None,
                "",
                "[]",
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO django_comments_xtd_xtdcomment (comment_ptr_id, thread_id, "
            'parent_id, level, "order", followup, nested_count) '
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            xtd_rows,
        )
        cursor.executemany(
            "INSERT INTO discussion_post (xtdcomment_ptr_id, thread_ref_id, status, "
            "hold_reason, hold_detail, moderator_reason, is_opening, needs_review, "
            "review_since, label, mentions) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            post_rows,
        )
    thread_changed(thread.pk)  # as every write through the services does
    # Rows written past the models: say so, as every write to posts does.
    thread_changed(thread.pk)
