"""@mentions and replies: recognised and highlighted in the post, and the mentioned or
answered member is emailed a link only, once, when the rules allow it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.discussion import member_controls, notifications, services
from peer_support.discussion.models import (
    PostNotification,
    PostStatus,
    SpaceBreak,
    ThreadFollow,
)
from peer_support.discussion.text import text_to_html
from peer_support.spaces.models import ModerationMode
from tests.factories import UserFactory

from .builders import member_make, on_duty_make, probation_end, space_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(home_page):
    space = space_make(home_page)
    on_duty_make(space)
    return space


def _opted_in(space, thread, *, level="mentions", **fields):
    member = member_make(space, user=UserFactory(**fields))
    notifications.thread_follow_set(thread_id=thread.pk, member=member, level=level)
    return member


def _to(mailoutbox, space):
    """Who was emailed, leaving out the conversation's opener (the space's
    facilitator in these tests), who hears of every top-level reply."""
    opener = space.facilitators.first().worker.email
    return sorted(
        address for message in mailoutbox for address in message.to if address != opener
    )


def test_a_mention_is_found_by_the_longest_pseudonym_and_highlighted(space):
    UserFactory(pseudonym="Quiet")
    UserFactory(pseudonym="Quiet River")
    assert notifications.mentions_find("thanks @quiet river, and @Nobody") == [
        "quiet river"
    ]
    assert notifications.mentions_find("mail me at sam@quiet river") == []
    html = text_to_html("Thanks @Quiet River <b>", ["quiet river"])
    assert '<mark class="mention">@Quiet River</mark>' in html
    assert "&lt;b&gt;" in html and "href" not in html


def test_the_mentioned_member_gets_a_link_only_and_sees_the_highlight(
    client, space, django_capture_on_commit_callbacks, mailoutbox
):
    author = member_make(space)
    thread = probation_end(space, author)
    named = _opted_in(space, thread, pseudonym="Willow Tree")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            author=author,
            thread_id=thread.pk,
            text="@willow tree my garden news is the bean crop",
        )
    assert post.mentions == ["willow tree"]
    assert post.status == PostStatus.PUBLISHED
    message = next(m for m in mailoutbox if m.to == [named.email])
    assert message.subject == "Someone mentioned you in a conversation"
    for private in ("garden news", "bean crop", author.pseudonym, "Willow Tree"):
        assert private not in message.subject + message.body
    assert reverse("discussion:post", args=[post.pk]) in message.body
    client.force_login(named)
    page = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert '<mark class="mention">@willow tree</mark>' in page.content.decode()


def test_only_members_who_may_and_chose_to_hear_are_told(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author = member_make(space)
    thread = probation_end(space, author)
    told = _opted_in(space, thread, pseudonym="Told One")
    chose_nothing = _opted_in(space, thread, level="none", pseudonym="Said None")
    never_chose = member_make(space, user=UserFactory(pseudonym="Never Chose"))
    outsider = UserFactory(pseudonym="Not Here")
    ThreadFollow.objects.create(thread=thread, member=outsider, level="all")
    muter = _opted_in(space, thread, pseudonym="Muted Them")
    member_controls.member_mute_set(member=muter, muted_id=author.pk, mute=True)
    away = _opted_in(space, thread, pseudonym="On Break")
    SpaceBreak.objects.create(
        member=away, space=space, until=timezone.localdate() + timedelta(days=3)
    )
    text = (
        "@Told One @Said None @Never Chose @Not Here @Muted Them @On Break "
        f"and me, @{author.pseudonym}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(author=author, thread_id=thread.pk, text=text)
    assert len(post.mentions) == 7
    assert _to(mailoutbox, space) == [told.email]
    for member in (chose_nothing, never_chose, outsider, muter, away, author):
        assert not PostNotification.objects.filter(post=post, member=member).exists()


def test_a_held_post_tells_no_one_until_approved_then_once(
    home_page, django_capture_on_commit_callbacks, mailoutbox
):
    space = space_make(home_page, moderation_mode=ModerationMode.PRE)
    author = member_make(space)
    thread = probation_end(space, author)
    named = _opted_in(space, thread, pseudonym="Held Reader")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            author=author, thread_id=thread.pk, text="@Held Reader hello"
        )
    assert post.status == PostStatus.HELD
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.post_moderate(
            post_id=post.pk,
            moderator=space.facilitators.first().worker,
            decision="approve",
        )
    assert _to(mailoutbox, space).count(named.email) == 1
    assert notifications.post_notify(post_id=post.pk) == 0


def test_one_email_for_a_member_replied_to_mentioned_twice_and_following(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author = member_make(space)
    thread = probation_end(space, author)
    friend = member_make(space, user=UserFactory(pseudonym="Good Friend"))
    probation_end(space, friend)
    notifications.thread_follow_set(thread_id=thread.pk, member=friend, level="all")
    first = services.post_submit(author=friend, thread_id=thread.pk, text="hi all")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_submit(
            author=author,
            thread_id=thread.pk,
            parent_id=first.pk,
            text="@Good Friend yes! @good friend again",
        )
    assert _to(mailoutbox, space) == [friend.email]
    assert PostNotification.objects.get(post=reply).why == "mention"
    assert notifications.post_notify(post_id=reply.pk) == 0
    assert len(mailoutbox) == 1


def test_a_reply_tells_the_author_of_the_post_it_answers(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author, other, quiet = member_make(space), member_make(space), member_make(space)
    thread = probation_end(space, author)
    probation_end(space, other)
    probation_end(space, quiet)
    asked = services.post_submit(author=author, thread_id=thread.pk, text="a question")
    hushed = services.post_submit(author=quiet, thread_id=thread.pk, text="me too")
    notifications.thread_follow_set(thread_id=thread.pk, member=quiet, level="none")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(
            author=other, thread_id=thread.pk, parent_id=asked.pk, text="an answer"
        )
        services.post_submit(
            author=other, thread_id=thread.pk, parent_id=hushed.pk, text="same"
        )
    assert _to(mailoutbox, space) == [author.email]
    assert mailoutbox[0].subject == "Someone replied to your post"


def test_an_edit_that_adds_a_mention_tells_only_the_newly_mentioned(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    author = member_make(space)
    thread = probation_end(space, author)
    first = _opted_in(space, thread, pseudonym="First Name")
    second = _opted_in(space, thread, pseudonym="Second Name")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            author=author, thread_id=thread.pk, text="@First Name hi"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(
            author=author, post_id=post.pk, text="@First Name hi, @Second Name too"
        )
    assert _to(mailoutbox, space) == sorted([first.email, second.email])


def test_the_link_in_the_email_opens_the_post_for_that_member(
    client, space, django_capture_on_commit_callbacks, mailoutbox
):
    worker = space.facilitators.first().worker
    author = member_make(space)
    thread = probation_end(space, author)
    named = _opted_in(space, thread, pseudonym="Late Reader")
    for n in range(50):  # the mention lands on page 2
        services.post_submit(author=worker, thread_id=thread.pk, text=f"note {n}")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_submit(
            author=author, thread_id=thread.pk, text="@Late Reader over here"
        )
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    client.force_login(named)
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?page=2#post-{post.pk}")
    assert f'id="post-{post.pk}"' in response.content.decode()
    client.force_login(UserFactory())
    assert client.get(link).status_code == 403


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_mentioned_member_once(tmp_path, home_page):
    from tests.celery_worker import running_worker, wait_for

    space = space_make(home_page)
    on_duty_make(space)
    author = member_make(space)
    thread = probation_end(space, author)
    named = _opted_in(space, thread, pseudonym="Worker Reader")
    mail_dir = tmp_path / "mail"
    with running_worker(extra_env={"EMAIL_FILE_PATH": str(mail_dir)}):
        post = services.post_submit(
            author=author, thread_id=thread.pk, text="@Worker Reader the kettle's on"
        )
        assert wait_for(
            lambda: PostNotification.objects.filter(post=post, member=named).exists()
        ), "the worker told no one"
    mail = "".join(path.read_text() for path in mail_dir.iterdir())
    assert mail.count(f"To: {named.email}") == 1
    assert reverse("discussion:post", args=[post.pk]) in mail
    assert "kettle" not in mail and "Worker Reader" not in mail
