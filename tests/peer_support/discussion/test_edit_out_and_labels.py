"""Moderators edit a detail out of a post (kept as a revision, recorded, the author
told), and mark conversations and posts as welcomes, summaries or resources."""

import pytest
from django.urls import reverse

from peer_support.discussion import services
from peer_support.discussion.models import (
    Label,
    ModerationAction,
    Post,
    PostRevision,
    PostStatus,
    Thread,
)
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import MemberNotice

from .builders import member_make, space_make, thread_make

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"


@pytest.fixture(autouse=True)
def _roles(roles):
    return roles


def _post(space, author, text=f"Call me on {PHONE} any time. Take care."):
    thread = thread_make(space)
    post = services.post_submit(author=author, thread_id=thread.pk, text=text)
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED, is_public=True)
    post.refresh_from_db()
    return post


def test_edit_out_replaces_the_detail_keeps_a_revision_and_tells_the_author(space):
    author = member_make(space)
    moderator = space.facilitators.first().worker
    post = _post(space, author)
    before = post.comment
    notices = MemberNotice.objects.filter(member=author).count()
    post = services.post_detail_edit_out(
        post_id=post.pk,
        moderator=moderator,
        detail=PHONE,
        note="Rule 3: no contact details, to keep everyone anonymous.",
    )
    assert post.comment == "Call me on [removed by a moderator] any time. Take care."
    assert list(post.revisions.values_list("text", flat=True)) == [before]
    action = ModerationAction.objects.get(post=post, kind="edited_out")
    assert action.actor == moderator and "Rule 3" in action.reason
    notice = MemberNotice.objects.filter(member=author).first()
    assert MemberNotice.objects.filter(member=author).count() == notices + 1
    assert "Rule 3" in notice.body and PHONE not in notice.body


def test_edit_out_goes_through_the_post_writer_and_readers_see_it_at_once(
    client, space
):
    from tests.factories import UserFactory

    author, reader = member_make(space), member_make(space)
    UserFactory(pseudonym="Named Person")
    post = _post(space, author, text=f"@Named Person call {PHONE} soon")
    assert post.mentions == ["named person"]
    client.force_login(reader)
    url = reverse("discussion:thread", args=[post.thread_ref_id])
    assert PHONE in client.get(url).content.decode()  # the article is now cached
    post = services.post_detail_edit_out(
        post_id=post.pk,
        moderator=space.facilitators.first().worker,
        detail=f"@Named Person call {PHONE}",
        note="Rule 3",
    )
    assert post.mentions == [] and post.edited_at is not None
    assert post.status == PostStatus.PUBLISHED
    page = client.get(url).content.decode()
    assert PHONE not in page and "Named Person" not in page
    assert "[removed by a moderator] soon" in page


def test_edit_out_refusals_change_nothing(space, home_page):
    author = member_make(space)
    moderator = space.facilitators.first().worker
    post = _post(space, author)
    before = post.comment
    cases = [
        ({"detail": "", "note": "why"}, "exact text"),
        ({"detail": PHONE, "note": "  "}, "give a reason"),
        ({"detail": "not in there", "note": "why"}, "not in the post"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ServiceError, match=message):
            services.post_detail_edit_out(
                post_id=post.pk, moderator=moderator, **kwargs
            )
    other_facilitator = space_make(home_page, title="Other").facilitators.first().worker
    for who in (author, member_make(space), other_facilitator):
        with pytest.raises(NotAllowed):
            services.post_detail_edit_out(
                post_id=post.pk, moderator=who, detail=PHONE, note="why"
            )
    post.refresh_from_db()
    assert post.comment == before
    assert not PostRevision.objects.filter(post=post).exists()
    assert not ModerationAction.objects.filter(kind="edited_out").exists()


def test_edit_out_from_the_admin_review_page(client, space):
    author = member_make(space)
    post = _post(space, author)
    client.force_login(space.facilitators.first().worker)
    review = reverse("discussion_review", args=[post.pk])
    assert b"Edit out a detail" in client.get(review).content
    response = client.post(
        review, {"edit_out": "1", "detail": "nope", "note": "Rule 3"}
    )
    assert response.status_code == 400
    assert "not in the post" in response.content.decode()
    response = client.post(review, {"edit_out": "1", "detail": PHONE, "note": "Rule 3"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert PHONE not in post.comment
    page = client.get(review).content.decode()
    assert PHONE in page  # the earlier version, for moderators
    # members see only the edited text
    client.force_login(member_make(space))
    page = client.get(reverse("discussion:thread", args=[post.thread_ref_id]))
    assert PHONE not in page.content.decode()
    assert "[removed by a moderator]" in page.content.decode()


def test_members_cannot_reach_the_review_page(client, space):
    post = _post(space, member_make(space))
    client.force_login(member_make(space))
    response = client.post(
        reverse("discussion_review", args=[post.pk]),
        {"edit_out": "1", "detail": PHONE, "note": "x"},
    )
    assert response.status_code in (302, 403, 404)
    post.refresh_from_db()
    assert PHONE in post.comment


def test_moderator_labels_and_pins_a_thread(client, space):
    moderator = space.facilitators.first().worker
    thread = thread_make(space, title="Welcome to the group")
    thread_make(space, title="Later conversation")
    client.force_login(moderator)
    response = client.post(
        reverse("discussion:thread_settings", args=[thread.pk]),
        {"label": "welcome", "pinned": "on", "slow_mode_seconds": "0"},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.label == Label.WELCOME and thread.pinned
    assert ModerationAction.objects.filter(thread=thread, kind="labelled").exists()
    client.force_login(member_make(space))
    page = client.get(reverse("discussion:threads", args=[space.pk])).content.decode()
    assert page.index("Welcome to the group") < page.index("Later conversation")
    assert 'thread-label">Welcome<' in page


def test_thread_label_refusals_change_nothing(client, space):
    thread = thread_make(space)
    moderator = space.facilitators.first().worker
    with pytest.raises(ServiceError, match="Choose welcome"):
        services.thread_settings_set(
            thread_id=thread.pk,
            moderator=moderator,
            locked=False,
            slow_mode_seconds=0,
            label="party",
        )
    with pytest.raises(NotAllowed):
        services.thread_settings_set(
            thread_id=thread.pk,
            moderator=member_make(space),
            locked=False,
            slow_mode_seconds=0,
            label="summary",
        )
    assert Thread.objects.get(pk=thread.pk).label == ""


def test_moderator_labels_a_post_from_the_review_page(client, space):
    author = member_make(space)
    post = _post(space, author, text="Here is a summary of this week.")
    client.force_login(space.facilitators.first().worker)
    review = reverse("discussion_review", args=[post.pk])
    client.post(review, {"set_label": "1", "label": "summary"})
    post.refresh_from_db()
    assert post.label == Label.SUMMARY
    response = client.post(review, {"set_label": "1", "label": "party"}, follow=True)
    assert "Choose welcome" in response.content.decode()
    post.refresh_from_db()
    assert post.label == Label.SUMMARY
    with pytest.raises(NotAllowed):
        services.post_label_set(post_id=post.pk, moderator=author, label="")
    client.force_login(member_make(space))
    page = client.get(reverse("discussion:thread", args=[post.thread_ref_id]))
    assert 'post-label">Summary<' in page.content.decode()
