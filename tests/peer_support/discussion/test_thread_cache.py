"""The stored thread page (`thread_cache`): each reader sees exactly the page built
afresh for them, never another reader's held post, controls or muted state, and
every event that changes what the page shows is seen at once."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peer_support.accounts.roles import PEER_WORKER, role_groups_sync
from peer_support.accounts.services import member_change_pseudonym, member_delete
from peer_support.discussion import (
    member_controls,
    notifications,
    services,
    thread_cache,
    versions,
)
from peer_support.discussion.models import (
    Post,
    PostFlag,
    PostStatus,
    SpaceDiscussion,
)
from peer_support.spaces.models import Membership, SpaceFacilitator, SpaceRole
from tests.factories import PeerWorkerFactory, UserFactory

from .builders import (
    member_make,
    on_duty_make,
    probation_end,
)

pytestmark = pytest.mark.django_db


def _reply(thread, author, text, parent=None):
    post = services.post_submit(
        author=author, thread_id=thread.pk, text=text, parent_id=parent
    )
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED, is_public=True)
    return Post.objects.get(pk=post.pk)


def _page(client, user, thread, query="") -> str:
    client.force_login(user)
    response = client.get(reverse("discussion:thread", args=[thread.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _afresh(client, user, thread, monkeypatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(thread_cache, "thread_page", lambda **kwargs: None)
        return _page(client, user, thread)


def test_every_reader_gets_the_page_built_afresh_for_them(
    client, space, thread, monkeypatch
):
    """Their own posts, what they said helped or flagged, muted members and words,
    and moderator controls: stored or not, the page reads the same."""
    on_duty_make(space)
    reader, author, other = (member_make(space) for _ in range(3))
    own = _reply(thread, reader, "my own words")
    helped = _reply(thread, author, "this helped me")
    flagged = _reply(thread, author, "a worrying one")
    _reply(thread, other, "talking about gardening", parent=helped.pk)
    _reply(thread, other, "another from them")
    services.post_helped_set(post_id=helped.pk, member=reader, helped=True)
    services.post_flag(post_id=flagged.pk, reporter=reader, reason="ground_rule")
    member_controls.member_mute_set(member=reader, muted_id=other.pk, mute=True)
    member_controls.muted_word_add(member=reader, word="worrying")
    moderator = space.facilitators.first().worker
    for user in (author, moderator, reader):  # each fills the cache for the next
        stored = _page(client, user, thread)
        assert _without_tokens(stored) == _without_tokens(
            _afresh(client, user, thread, monkeypatch)
        )
    assert "You said this helped" in stored and "You flagged this" in stored
    assert "Hidden because you muted this member" in stored
    assert "Hidden by your muted words" in stored
    assert f'action="{reverse("discussion:delete", args=[own.pk])}"' in stored


def test_a_held_post_shows_only_to_its_author(client, space, thread):
    author, reader = member_make(space, seasoned=False), member_make(space)
    _page(client, reader, thread)  # stored before the post
    held = services.post_submit(author=author, thread_id=thread.pk, text="held back")
    assert held.status == PostStatus.HELD
    assert "held back" not in _page(client, reader, thread)
    assert "held back" in _page(client, author, thread)
    assert "held back" not in _page(client, reader, thread)


def test_moderator_controls_and_reply_links_stay_with_who_may_use_them(
    client, space, thread
):
    moderator = space.facilitators.first().worker
    member, outsider = member_make(space), UserFactory()
    SpaceDiscussion.objects.create(space=space, non_members_may_read=True)
    reply = _reply(thread, member, "a reply")
    review = reverse("discussion_review", args=[reply.pk])
    assert review in _page(client, moderator, thread)
    assert review not in _page(client, member, thread)
    assert f"?reply_to={reply.pk}" in _page(client, member, thread)
    assert f"?reply_to={reply.pk}" not in _page(client, outsider, thread)


def test_each_reader_gets_a_csrf_token_that_works_for_them(space, thread):
    post = _reply(thread, member_make(space), "a reply")
    _page(Client(), member_make(space), thread)  # stored by someone else
    browser = Client(enforce_csrf_checks=True)
    page = _page(browser, member_make(space), thread)
    forms = page.count('method="post"')
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == forms and thread_cache.CSRF_MARK not in page
    helped = reverse("discussion:helped", args=[post.pk])
    token = re.search(
        rf'action="{helped}".*?name="csrfmiddlewaretoken" value="([^"]+)"', page
    ).group(1)
    assert browser.post(helped, {"helped": "1"}).status_code == 403
    response = browser.post(helped, {"helped": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_muting_folds_posts_for_the_muter_only(client, space, thread):
    author, muter, reader = (member_make(space) for _ in range(3))
    _reply(thread, author, "their words")
    _page(client, reader, thread)
    member_controls.member_mute_set(member=muter, muted_id=author.pk, mute=True)
    assert "Hidden because you muted this member" in _page(client, muter, thread)
    assert "Hidden because you muted this member" not in _page(client, reader, thread)


# --- every change to what the page shows is seen at once ---------------------------


@pytest.fixture
def reader(space):
    return member_make(space)


def test_what_a_reader_flags_or_mutes_shows_to_them_at_once(
    client, space, thread, reader
):
    author = member_make(space)
    post = _reply(thread, author, "about the weather")
    _page(client, reader, thread)  # the reader's articles are kept now
    # However the flag is written: `post_flag` also marks the post for review.
    PostFlag.objects.create(post=post, reporter=reader, reason="ground_rule")
    assert "You flagged this" in _page(client, reader, thread)
    other = _reply(thread, author, "about the garden")
    _page(client, reader, thread)
    member_controls.muted_word_add(member=reader, word="garden")
    assert "Hidden by your muted words" in _page(client, reader, thread)
    member_controls.member_mute_set(member=reader, muted_id=author.pk, mute=True)
    assert "Hidden because you muted this member" in _page(client, reader, thread)
    member_controls.member_mute_set(member=reader, muted_id=author.pk, mute=False)
    page = _page(client, reader, thread)
    assert "Hidden because you muted this member" not in page
    assert f"post-{other.pk}" in page


def test_an_edit_link_goes_when_the_edit_window_closes(
    client, space, thread, reader, later
):
    post = _reply(thread, reader, "my words")
    edit = reverse("discussion:edit", args=[post.pk])
    assert edit in _page(client, reader, thread)
    later(settings.DISCUSSION_EDIT_MINUTES * 60 - 30)
    assert edit in _page(client, reader, thread)
    later(31)
    assert edit not in _page(client, reader, thread)


def test_a_break_and_a_follow_choice_show_at_once(client, space, thread, reader, later):
    assert '<option value="all" selected>' not in _page(client, reader, thread)
    notifications.thread_follow_set(thread_id=thread.pk, member=reader, level="all")
    assert '<option value="all" selected>' in _page(client, reader, thread)
    until = timezone.localdate() + timedelta(days=2)
    member_controls.space_break_take(member=reader, space=space, until=until)
    assert "taking a break" in _page(client, reader, thread)
    later(2 * 24 * 60 * 60)  # the break ends by the calendar
    assert "taking a break" not in _page(client, reader, thread)
    member_controls.space_break_take(
        member=reader, space=space, until=timezone.localdate() + timedelta(days=1)
    )
    assert "taking a break" in _page(client, reader, thread)
    member_controls.space_break_end(member=reader, space=space)
    assert "taking a break" not in _page(client, reader, thread)


def test_a_new_reply_shows(client, space, thread, reader):
    _page(client, reader, thread)
    _reply(thread, member_make(space), "just arrived")
    assert "just arrived" in _page(client, reader, thread)


def test_a_hidden_post_shows_its_tombstone(client, space, thread, reader):
    post = _reply(thread, member_make(space), "soon hidden")
    assert "soon hidden" in _page(client, reader, thread)
    services.post_moderate(
        post_id=post.pk,
        moderator=space.facilitators.first().worker,
        decision="hide",
        reason="Off topic",
    )
    page = _page(client, reader, thread)
    assert "soon hidden" not in page and "hidden by a peer worker" in page


def test_an_edit_shows(client, space, thread, reader):
    on_duty_make(space)
    author = member_make(space)
    probation_end(space, author)
    post = _reply(thread, author, "first words")
    _page(client, reader, thread)
    edited = services.post_submit(author=author, post_id=post.pk, text="second words")
    assert edited.status == PostStatus.PUBLISHED
    page = _page(client, reader, thread)
    assert "second words" in page and "first words" not in page


def test_a_deleted_post_shows_its_tombstone(client, space, thread, reader):
    author = member_make(space)
    post = _reply(thread, author, "taken back")
    _page(client, reader, thread)
    services.post_delete(post_id=post.pk, member=author)
    page = _page(client, reader, thread)
    assert "taken back" not in page and "deleted by its author" in page


def test_this_helped_counts_show(client, space, thread, reader):
    post = _reply(thread, member_make(space), "useful")
    _page(client, reader, thread)
    services.post_helped_set(post_id=post.pk, member=member_make(space), helped=True)
    assert "1 person found this helpful" in _page(client, reader, thread)


def test_a_label_shows(client, space, thread, reader):
    post = _reply(thread, member_make(space), "a resource")
    _page(client, reader, thread)
    services.post_label_set(
        post_id=post.pk, moderator=space.facilitators.first().worker, label="resource"
    )
    assert "post-label" in _page(client, reader, thread)


def test_a_locked_thread_loses_its_reply_links(client, space, thread, reader):
    post = _reply(thread, member_make(space), "a reply")
    assert f"?reply_to={post.pk}" in _page(client, reader, thread)
    services.thread_settings_set(
        thread_id=thread.pk,
        moderator=space.facilitators.first().worker,
        locked=True,
        slow_mode_seconds=0,
    )
    assert f"?reply_to={post.pk}" not in _page(client, reader, thread)


def test_any_write_to_a_post_row_shows(client, space, thread, reader):
    post = _reply(thread, member_make(space), "quietly hidden")
    _page(client, reader, thread)
    Post.objects.filter(pk=post.pk).update(status=PostStatus.HIDDEN)
    assert "quietly hidden" not in _page(client, reader, thread)


def test_a_new_pseudonym_shows(client, space, thread, reader):
    author = member_make(space)
    _reply(thread, author, "words")
    _page(client, reader, thread)
    member_change_pseudonym(user=author, pseudonym="Quiet Heron")
    assert "Quiet Heron" in _page(client, reader, thread)


def test_an_erased_account_shows_as_a_former_member(client, space, thread, reader):
    author = member_make(space)
    _reply(thread, author, "words")
    assert author.pseudonym in _page(client, reader, thread)
    member_delete(user=author)
    page = _page(client, reader, thread)
    assert author.pseudonym not in page and "A former member" in page


@pytest.mark.parametrize("badge", ["facilitator", "peer_worker", "professional"])
def test_a_new_badge_shows_and_a_lost_one_goes(client, space, thread, reader, badge):
    author = member_make(space)
    _reply(thread, author, "words")
    label = {
        "facilitator": "Facilitator",
        "peer_worker": "Peer worker",
        "professional": "Professional",
    }[badge]
    badge_html = f'role-badge">{label}'
    before = _page(client, reader, thread).count(badge_html)
    if badge == "facilitator":
        SpaceFacilitator.objects.create(page_id=space.pk, worker=author)
    elif badge == "peer_worker":
        author.groups.add(role_groups_sync()[PEER_WORKER])
    else:
        membership = Membership.objects.get(member=author)
        membership.role = SpaceRole.PROFESSIONAL
        membership.save()
    assert _page(client, reader, thread).count(badge_html) == before + 1
    if badge == "facilitator":
        SpaceFacilitator.objects.filter(worker=author).delete()
    elif badge == "peer_worker":
        author.groups.clear()
    else:
        membership = Membership.objects.get(member=author)
        membership.role = SpaceRole.MEMBER
        membership.save()
    assert _page(client, reader, thread).count(badge_html) == before


def test_a_sign_in_does_not_drop_stored_pages(space, thread):
    user = PeerWorkerFactory()
    before = versions.current_versions(thread.pk)
    user.save(update_fields=["last_login"])
    assert versions.current_versions(thread.pk) == before
