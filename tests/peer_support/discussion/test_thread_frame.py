"""The thread page's kept frame (`thread_frame`): a reader's page read again reads as
the page built afresh for them, with their own name, links, unread count and token,
never another reader's; and every change to what the frame shows is seen at once."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peer_support.accounts.roles import PEER_WORKER, role_groups_sync
from peer_support.accounts.services import member_change_pseudonym
from peer_support.discussion import services, thread_frame
from peer_support.discussion.models import Post, PostStatus
from peer_support.spaces.models import MemberNotice, Membership
from peer_support.spaces.services.facilitation import membership_suspend

from .builders import member_make, on_duty_make

pytestmark = pytest.mark.django_db


def _reply(thread, author, text):
    post = services.post_submit(author=author, thread_id=thread.pk, text=text)
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED, is_public=True)
    return post


def _get(client, thread, query="", **headers):
    response = client.get(
        reverse("discussion:thread", args=[thread.pk]) + query, **headers
    )
    assert response.status_code == 200
    return response


def _page(client, thread, query="", **headers) -> str:
    return _get(client, thread, query, **headers).content.decode()


def _kept(client, thread, query="", **headers) -> str:
    """The page read twice: the second time from the frame the first one kept."""
    _get(client, thread, query, **headers)
    response = _get(client, thread, query, **headers)
    assert not response.templates, "the page was rendered, not served from its frame"
    return response.content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def reader(client, space):
    member = member_make(space)
    client.force_login(member)
    return member


def _afresh(client, thread, monkeypatch, query="") -> str:
    with monkeypatch.context() as patch:
        patch.setattr(thread_frame, "frame_key", lambda *args, **kwargs: None)
        return _page(client, thread, query)


def test_the_kept_page_reads_as_the_page_built_afresh(
    client, space, thread, reader, settings, monkeypatch
):
    settings.DISCUSSION_PAGE_SIZE = 2
    kept = _kept(client, thread)
    assert "No replies yet." in kept
    assert _without_tokens(kept) == _without_tokens(
        _afresh(client, thread, monkeypatch)
    )
    author = member_make(space)
    for n in range(3):
        _reply(thread, author, f"reply number {n}")
    for query in ("", "?page=2"):
        kept = _kept(client, thread, query)
        assert _without_tokens(kept) == _without_tokens(
            _afresh(client, thread, monkeypatch, query)
        )
    assert "reply number 2" in kept and "Page 2 of 2" in kept


def test_a_kept_page_carries_a_working_token_of_the_readers_own(space, thread):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member_make(space))
    page = _kept(browser, thread)
    assert "\x00" not in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == page.count('method="post"') > 0
    follow = reverse("discussion:follow", args=[thread.pk])
    assert browser.post(follow, {"level": "all"}).status_code == 403
    response = browser.post(follow, {"level": "all", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302


def test_another_reader_never_gets_someone_elses_page(client, space, thread):
    first, second = member_make(space), member_make(space)
    MemberNotice.objects.create(member=first, space=space, subject="Hi", body="Hello")
    client.force_login(first)
    page = _kept(client, thread)
    assert first.pseudonym in page and "1 unread message" in page
    client.logout()
    client.force_login(second)
    page = _page(client, thread)
    assert second.pseudonym in page
    assert first.pseudonym not in page and "unread message" not in page


def test_a_new_pseudonym_shows_at_once(client, thread, reader):
    assert reader.pseudonym in _kept(client, thread)
    member_change_pseudonym(user=reader, pseudonym="Quiet Heron")
    page = _page(client, thread)
    assert '<span class="member-pseudonym">Quiet Heron</span>' in page


def test_a_new_notice_and_its_reading_show_at_once(client, space, thread, reader):
    assert "unread message" not in _kept(client, thread)
    MemberNotice.objects.create(member=reader, space=space, subject="Hi", body="Hello")
    assert "1 unread message" in _kept(client, thread)
    MemberNotice.objects.filter(member=reader).update(read_at=timezone.now())
    assert "unread message" not in _page(client, thread)


def test_a_new_role_shows_its_links_at_once(client, thread, reader):
    shifts = reverse("rotas:my_rota")
    assert shifts not in _kept(client, thread)
    reader.is_staff = True
    reader.save(update_fields=["is_staff"])
    reader.groups.add(role_groups_sync()[PEER_WORKER])
    assert shifts in _page(client, thread)


def test_the_language_is_part_of_the_page_kept(client, thread, reader, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("fr", "French")]
    assert '<html lang="en-gb">' in _kept(client, thread)
    page = _page(client, thread, HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in page


def test_a_message_shows_on_a_kept_page_once(client, thread, reader):
    assert '<option value="all" selected>' not in _kept(client, thread)
    client.post(reverse("discussion:follow", args=[thread.pk]), {"level": "all"})
    page = _page(client, thread)
    assert "We&#x27;ll email you a link" in page
    assert '<option value="all" selected>' in page
    page = _kept(client, thread)
    assert "We&#x27;ll email you a link" not in page
    assert '<option value="all" selected>' in page


def test_a_quotation_or_reply_fills_the_box_on_a_kept_page(client, space, thread):
    post = _reply(thread, member_make(space), "Words worth quoting")
    client.force_login(member_make(space))
    _kept(client, thread)
    assert "&gt; Words worth quoting" in _page(client, thread, f"?quote={post.pk}")
    page = _page(client, thread, f"?reply_to={post.pk}")
    assert f'name="parent" value="{post.pk}"' in page


def test_the_duty_banner_goes_when_a_peer_worker_comes_on(client, space, thread):
    client.force_login(member_make(space))
    assert "No peer worker is around right now" in _kept(client, thread)
    on_duty_make(space)
    assert "No peer worker is around right now" not in _page(client, thread)


def test_a_suspension_shows_at_once(client, space, thread, reader):
    assert "Your membership is paused" not in _kept(client, thread)
    membership_suspend(
        membership_id=Membership.objects.get(member=reader, space=space).pk,
        actor=space.facilitators.first().worker,
        reason="A pause to think",
        days=3,
    )
    assert "Your membership is paused" in _page(client, thread)


def test_a_new_space_title_shows_at_once(client, space, thread, reader):
    assert "Evening group" in _kept(client, thread)
    space.title = "Morning group"
    space.save_revision().publish()
    page = _page(client, thread)
    assert "Morning group" in page and "Evening group" not in page


def test_a_locked_thread_loses_its_reply_box(client, space, thread, reader):
    assert 'id="reply-form"' in _kept(client, thread)
    services.thread_settings_set(
        thread_id=thread.pk,
        moderator=space.facilitators.first().worker,
        locked=True,
        slow_mode_seconds=0,
    )
    page = _page(client, thread)
    assert 'id="reply-form"' not in page and "closed to new posts" in page


def test_a_kept_page_costs_the_session_and_the_user_only(
    client, space, thread, reader, django_assert_num_queries
):
    author = member_make(space)
    for n in range(5):
        _reply(thread, author, f"reply number {n}")
    _kept(client, thread)
    with django_assert_num_queries(2):
        _get(client, thread)


def test_a_break_shows_instead_of_a_kept_page(client, space, thread, reader):
    from peer_support.discussion import member_controls

    _kept(client, thread)
    member_controls.space_break_take(
        member=reader, space=space, until=timezone.localdate() + timedelta(days=2)
    )
    assert "taking a break" in _page(client, thread)


def test_who_may_use_the_admin_gets_the_userbar_rendered_for_each_page(
    client, space, thread, roles
):
    """Wagtail's userbar depends on the request in ways no key lists."""
    client.force_login(space.facilitators.first().worker)
    _get(client, thread)
    response = _get(client, thread)
    assert response.templates and "<wagtail-userbar" in response.content.decode()
