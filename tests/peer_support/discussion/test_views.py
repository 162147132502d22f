"""Thread list and thread page: who reads, who posts, what each reader sees, and the
number of queries whatever the length of the thread."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.core.cache import cache
from django.urls import reverse

from peer_support.discussion import services
from peer_support.discussion.forms import PostForm
from peer_support.discussion.models import Post, PostStatus
from peer_support.spaces.models import MembershipStatus
from tests.factories import ProfessionalFactory, UserFactory
from tests.peer_support.spaces.boundaries import rules_publish

from .builders import (
    member_make,
    on_duty_make,
    posts_bulk_make,
    probation_end,
    thread_make,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_members_read_non_members_do_not_by_default(client, space):
    thread = thread_make(space)
    outsider = UserFactory()
    login(client, outsider)
    assert client.get(reverse("discussion:threads", args=[space.pk])).status_code == 403
    assert client.get(reverse("discussion:thread", args=[thread.pk])).status_code == 403
    member = member_make(space)
    login(client, member)
    response = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert response.status_code == 200
    assert b"How was your week?" in response.content


def test_signed_out_visitors_are_sent_to_sign_in(client, space):
    thread = thread_make(space)
    response = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_space_may_open_reading_to_signed_in_non_members(client, space):
    from peer_support.discussion.models import SpaceDiscussion

    thread = thread_make(space)
    SpaceDiscussion.objects.create(space=space, non_members_may_read=True)
    login(client, UserFactory())
    response = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert response.status_code == 200
    assert b"Join this space to take part" in response.content
    assert b'id="reply-form"' not in response.content


def test_suspended_member_reads_but_gets_no_reply_box(client, space):
    thread = thread_make(space)
    member = member_make(space, status=MembershipStatus.SUSPENDED)
    login(client, member)
    response = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert response.status_code == 200
    assert b"you can read but not post" in response.content
    response = client.post(
        reverse("discussion:reply", args=[thread.pk]), {"text": "hello"}
    )
    assert response.status_code == 400
    assert not Post.objects.filter(comment="hello").exists()


def test_member_posts_a_thread_and_a_reply_through_the_pages(client, space):
    on_duty_make(space)
    member = member_make(space)
    probation_end(space, member)
    login(client, member)
    response = client.post(
        reverse("discussion:thread_new", args=[space.pk]),
        {"title": "Sleep", "text": "Anyone else awake?\n\nhttps://example.org/x"},
    )
    assert response.status_code == 302
    post = Post.objects.get(comment__startswith="Anyone")
    assert post.status == PostStatus.PUBLISHED
    page = client.get(response["Location"])
    assert b'rel="nofollow ugc noopener"' in page.content
    assert member.email.encode() not in page.content
    response = client.post(
        reverse("discussion:reply", args=[post.thread_ref_id]),
        {"text": "Me too", "parent": post.pk},
    )
    assert response.status_code == 302
    reply = Post.objects.get(comment="Me too")
    assert reply.parent_id == post.pk and reply.level == 1


def test_held_post_shows_to_its_author_only(client, space):
    member, other = member_make(space), member_make(space)
    thread = thread_make(space)
    post = services.post_submit(author=member, thread_id=thread.pk, text="held one")
    assert post.status == PostStatus.HELD
    login(client, member)
    mine = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert b"held one" in mine.content
    assert b"Waiting for a peer worker" in mine.content
    login(client, other)
    theirs = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert b"held one" not in theirs.content


def test_banner_shows_when_nobody_is_on_duty(client, space):
    thread = thread_make(space)
    login(client, member_make(space))
    response = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert b"No peer worker is around right now" in response.content
    on_duty_make(space)
    response = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert b"No peer worker is around right now" not in response.content


def test_badges_show_role_never_email(client, space):
    on_duty_make(space)
    professional = member_make(space, user=ProfessionalFactory(), role="professional")
    thread = thread_make(space)
    probation_end(space, professional)
    services.post_submit(author=professional, thread_id=thread.pk, text="as a pro")
    login(client, member_make(space))
    content = client.get(reverse("discussion:thread", args=[thread.pk])).content
    assert b"Professional" in content and b"Facilitator" in content
    assert professional.email.encode() not in content
    assert professional.pseudonym.encode() in content


def test_changed_rules_keep_the_draft_through_reacceptance(client, space):
    on_duty_make(space)
    member = member_make(space)
    thread = probation_end(space, member)
    rules_publish(space)
    login(client, member)
    response = client.post(
        reverse("discussion:reply", args=[thread.pk]), {"text": "my careful draft"}
    )
    assert response.status_code == 302
    assert reverse("discussion:rules_accept", args=[space.pk]) in response["Location"]
    response = client.post(response["Location"], {"accept_rules": "on"})
    assert response["Location"] == reverse("discussion:thread", args=[thread.pk])
    page = client.get(response["Location"])
    assert b"my careful draft" in page.content


def test_quote_prefills_the_reply(client, space):
    thread = thread_make(space, text="Quote me")
    login(client, member_make(space))
    response = client.get(
        reverse("discussion:thread", args=[thread.pk]) + f"?quote={thread.opening_id}"
    )
    assert b"&gt; Quote me" in response.content


def test_the_blank_reply_box_is_the_form_a_reader_would_get_afresh(client, space):
    thread = thread_make(space)
    login(client, member_make(space))
    url = reverse("discussion:thread", args=[thread.pk])
    for _ in range(2):  # rendered, then kept
        page = client.get(url).content.decode()
        assert as_crispy_form(PostForm()) in page
        assert 'name="text"' in page and 'name="parent"' in page


def _posts_add(thread, members, count, start=0):
    """Posts with some replies, published at once (the checks are tested elsewhere)."""
    tops = list(Post.objects.filter(thread_ref=thread, level=0, is_opening=False))
    facilitator = thread.space.facilitators.first().worker
    for n in range(start, start + count):
        parent = tops[-1].pk if tops and n % 3 == 0 else None
        post = services.post_submit(
            author=facilitator if n % 7 == 0 else members[n % len(members)],
            thread_id=thread.pk,
            parent_id=parent,
            text=f"post {n}",
        )
        Post.objects.filter(pk=post.pk).update(
            status=PostStatus.PUBLISHED, is_public=True
        )
        if post.level == 0:
            tops.append(post)


def _queries(client, thread, django_assert_max_num_queries, *, stored: bool):
    """The queries of the thread page, served from the stored page (`stored`) or
    built afresh."""
    url = reverse("discussion:thread", args=[thread.pk])
    if stored:
        client.get(url)
    else:
        cache.clear()
    with django_assert_max_num_queries(30) as captured:
        response = client.get(url)
    assert response.status_code == 200
    _QUERIES.append([q["sql"][:150] for q in captured.captured_queries])
    return len(captured.captured_queries), response


_QUERIES = []


def _articles(response, level: int) -> int:
    return response.content.decode().count(f'class="post card mb-2 level-{level}')


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "afresh"])
def test_thread_page_queries_are_the_same_at_10_and_1000_posts(
    client, space, django_assert_max_num_queries, stored
):
    thread = thread_make(space)
    members = [member_make(space) for _ in range(5)]
    _posts_add(thread, members, 10)
    login(client, members[0])
    client.get(reverse("discussion:thread", args=[thread.pk]))  # site caches warm
    _QUERIES.clear()
    at_ten, response = _queries(
        client, thread, django_assert_max_num_queries, stored=stored
    )
    assert _articles(response, 0) == 1 + 7  # the opening post and the top-level ones
    facilitator = space.facilitators.first().worker
    posts_bulk_make(thread, [*members, facilitator], 990, held=False)
    at_thousand, response = _queries(
        client, thread, django_assert_max_num_queries, stored=stored
    )
    import difflib

    assert at_ten == at_thousand, "\n".join(
        difflib.unified_diff(_QUERIES[0], _QUERIES[1], lineterm="")
    )
    assert _articles(response, 0) == 1 + 50  # a page of top-level posts
    pages = re.search(r"Page 1 of (\d+)", response.content.decode())
    assert pages and int(pages.group(1)) > 1
    assert _articles(response, 1) > 0


def test_replies_to_the_opening_post_show_under_it(client, space):
    on_duty_make(space)
    member = member_make(space)
    thread = probation_end(space, member)
    services.post_submit(
        author=member,
        thread_id=thread.pk,
        parent_id=thread.opening_id,
        text="Answering the opening post",
    )
    login(client, member_make(space))
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    opening_at = page.index(f'id="post-{thread.opening_id}"')
    assert page.index("Answering the opening post") > opening_at
    assert 'class="post card mb-2 level-1 ms-4"' in page


def test_thread_list_queries_fixed(client, space, django_assert_max_num_queries):
    for n in range(40):
        thread_make(space, title=f"thread {n}")
    login(client, member_make(space))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("discussion:threads", args=[space.pk]))
    assert response.status_code == 200
    assert len(response.context["threads"]) == 30


def test_edit_and_delete_only_own_post(client, space):
    on_duty_make(space)
    member, other = member_make(space), member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="mine")
    login(client, other)
    assert client.get(reverse("discussion:edit", args=[post.pk])).status_code == 403
    client.post(reverse("discussion:delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    login(client, member)
    response = client.post(
        reverse("discussion:edit", args=[post.pk]), {"text": "mine!"}
    )
    assert response.status_code == 302
    client.post(reverse("discussion:delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.DELETED
    content = client.get(reverse("discussion:thread", args=[thread.pk])).content
    assert b"deleted by its author" in content


def test_flag_page_records_one_flag_per_member(client, space):
    on_duty_make(space)
    member, other = member_make(space), member_make(space)
    thread = probation_end(space, member)
    post = services.post_submit(author=member, thread_id=thread.pk, text="hmm")
    login(client, other)
    url = reverse("discussion:flag", args=[post.pk])
    assert client.post(url, {"reason": "worried"}).status_code == 302
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 400
    assert b"already flagged" in response.content
    assert post.post_flags.count() == 1


def test_rephrase_prompt_offers_post_it_as_it_is(client, space):
    on_duty_make(space)
    member = member_make(space)
    thread = probation_end(space, member)
    client.force_login(member)
    url = reverse("discussion:reply", args=[thread.pk])
    response = client.post(url, {"text": "that's pathetic"})
    assert response.status_code == 400
    assert b"Would you like to rephrase?" in response.content
    assert b'name="post_anyway"' in response.content
    response = client.post(url, {"text": "that's pathetic", "post_anyway": "1"})
    assert response.status_code == 302
    assert Post.objects.filter(comment="that's pathetic").exists()
