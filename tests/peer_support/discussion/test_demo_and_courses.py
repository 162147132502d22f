"""Course topics open threads grouped by week; the demo loads lively discussion.

Loading the demo is slow, so it is loaded once for the module inside a transaction
that is rolled back when the module is done; each test runs in a savepoint inside it.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from peer_support.courses.models import CoursePage
from peer_support.discussion.models import Post, PostFlag, PostStatus, Thread
from peer_support.spaces.models import Membership
from tests.conftest import wagtail_tree_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        wagtail_tree_ensure()
        call_command("load_demo", stdout=open("/dev/null", "w"))
        yield
        transaction.set_rollback(True)


def test_demo_has_threads_replies_a_held_and_a_flagged_post(demo):
    course = CoursePage.objects.get(slug="internet-in-mental-health-practice")
    topic_threads = Thread.objects.filter(space=course, topic__isnull=False)
    assert topic_threads.count() == course.topics.count() == 12
    assert set(topic_threads.values_list("week", flat=True)) >= {1}
    assert Post.objects.filter(thread_ref__space=course).exists()
    assert Post.objects.filter(status=PostStatus.HELD).count() == 1
    assert PostFlag.objects.count() == 1
    counts = (Thread.objects.count(), Post.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Thread.objects.count(), Post.objects.count()) == counts


def test_course_thread_list_groups_topics_by_week(client, demo):
    course = CoursePage.objects.get(slug="internet-in-mental-health-practice")
    member = Membership.objects.filter(space=course).first().member
    client.force_login(member)
    response = client.get(reverse("discussion:threads", args=[course.pk]))
    assert response.status_code == 200
    assert b"Week 1" in response.content
    thread = Thread.objects.filter(space=course, topic__isnull=False).first()
    page = client.get(reverse("discussion:thread", args=[thread.pk]))
    assert thread.topic.prompt[:40].encode() in page.content


def test_group_page_links_members_to_the_discussion(client, demo):
    course = CoursePage.objects.get(slug="internet-in-mental-health-practice")
    member = Membership.objects.filter(space=course).first().member
    client.force_login(member)
    response = client.get(course.url)
    assert reverse("discussion:threads", args=[course.pk]).encode() in response.content


def test_demo_service_user_has_a_muted_word_that_folds_a_post(client, demo):
    from peer_support.accounts.models import User
    from peer_support.discussion.models import MutedWord

    member = User.objects.get(email="member@demo.invalid")
    word = MutedWord.objects.get(member=member)
    post = Post.objects.filter(
        comment__icontains=word.word, status=PostStatus.PUBLISHED
    ).first()
    assert post is not None
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert MutedWord.objects.filter(member=member).count() == 1
    if Membership.objects.filter(
        member=member, space_id=post.thread_ref.space_id
    ).exists():
        client.force_login(member)
        page = client.get(reverse("discussion:thread", args=[post.thread_ref_id]))
        assert "Hidden by your muted words" in page.content.decode()


def test_demo_service_user_is_mentioned_and_chose_replies_and_mentions(client, demo):
    from peer_support.accounts.models import User
    from peer_support.discussion.models import ThreadFollow

    member = User.objects.get(email="member@demo.invalid")

    def mentioning():
        return [p for p in Post.objects.all() if member.pseudonym.lower() in p.mentions]

    [post] = mentioning()
    follow = ThreadFollow.objects.get(thread=post.thread_ref, member=member)
    assert follow.level == "mentions"
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert len(mentioning()) == 1
    client.force_login(member)
    page = client.get(reverse("discussion:thread", args=[post.thread_ref_id]))
    assert f'<mark class="mention">@{member.pseudonym}</mark>' in page.content.decode()
