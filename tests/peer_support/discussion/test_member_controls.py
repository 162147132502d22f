"""Members protect themselves: muted words and muted members fold posts away for the
muter only, and a break from a space pauses its pages and follow-emails."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.discussion import member_controls, notifications, services
from peer_support.discussion.models import (
    MutedMember,
    MutedWord,
    Post,
    PostStatus,
    SpaceBreak,
    Thread,
)
from peer_support.errors import ServiceError
from tests.factories import PeerWorkerFactory, UserFactory

from .builders import member_make, on_duty_make, probation_end, space_make, thread_make

pytestmark = pytest.mark.django_db

WORDS_FOLD = "Hidden by your muted words — show"
MEMBER_FOLD = "Hidden because you muted this member — show"


def _reply(thread, author, text):
    post = services.post_submit(author=author, thread_id=thread.pk, text=text)
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED, is_public=True)
    return post


# --- muted words ---------------------------------------------------------------------


def test_muted_word_folds_the_post_for_the_muter_only(client, space):
    thread = thread_make(space)
    reader, other, author = member_make(space), member_make(space), member_make(space)
    _reply(thread, author, "I tried Gardening again today.")
    _reply(thread, author, "Nothing to hide here.")
    member_controls.muted_word_add(member=reader, word="gardening")
    client.force_login(reader)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert page.count(WORDS_FOLD) == 1
    # No JavaScript: a details/summary element, the text still inside to open.
    assert "<details" in page and "I tried Gardening again today." in page
    client.force_login(other)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert WORDS_FOLD not in page


TITLE_FOLD = "A title with one of your muted words — show"


def test_muted_word_folds_thread_titles_for_the_muter_but_not_their_own(client, space):
    reader, other = member_make(space), member_make(space)
    thread_make(space, title="Gardening on a bad day")
    thread_make(space, title="Anything else")
    member_controls.muted_word_add(member=reader, word="gardening")
    Thread.objects.create(space=space, title="My gardening notes", author=reader)
    client.force_login(reader)
    page = client.get(reverse("discussion:threads", args=[space.pk])).content.decode()
    assert page.count(TITLE_FOLD) == 1
    assert "Gardening on a bad day" in page  # folded, still there to open
    client.force_login(other)
    page = client.get(reverse("discussion:threads", args=[space.pk])).content.decode()
    assert TITLE_FOLD not in page


def test_muted_word_matches_whole_words_only(space):
    pattern = member_controls.muted_words_regex(["cat"])
    assert pattern.search("my Cat is ill")
    assert not pattern.search("a catalogue")
    assert member_controls.muted_words_regex([]) is None


def test_bad_muted_words_are_refused_and_change_nothing(space):
    member = member_make(space)
    member_controls.muted_word_add(member=member, word="  Gardening ")
    for word, message in (
        ("", "Type the word"),
        ("gardening", "already muted"),
        ("x" * 61, "under 60"),
    ):
        with pytest.raises(ServiceError, match=message):
            member_controls.muted_word_add(member=member, word=word)
    assert list(MutedWord.objects.values_list("word", flat=True)) == ["gardening"]


def test_muted_page_adds_and_removes_words(client, space):
    member = member_make(space)
    client.force_login(member)
    url = reverse("discussion:muted")
    assert client.post(url, {"word": "exams"}).status_code == 302
    word = MutedWord.objects.get(member=member)
    assert word.word == "exams"
    response = client.post(url, {"word": "exams"})
    assert response.status_code == 400
    assert "already muted" in response.content.decode()
    assert client.post(url, {"remove": str(word.pk)}).status_code == 302
    assert not MutedWord.objects.exists()
    # someone else's word is not theirs to remove
    theirs = member_controls.muted_word_add(member=member_make(space), word="x")
    assert client.post(url, {"remove": str(theirs.pk)}).status_code == 400
    assert MutedWord.objects.filter(pk=theirs.pk).exists()


# --- muted members -------------------------------------------------------------------


def test_muted_member_folds_for_the_muter_and_is_never_told(client, space):
    thread = thread_make(space)
    reader, author = member_make(space), member_make(space)
    _reply(thread, author, "Something I said.")
    client.force_login(reader)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert "Mute this member" in page and MEMBER_FOLD not in page
    response = client.post(
        reverse("discussion:mute_member", args=[author.pk]),
        {"mute": "1", "next": reverse("discussion:thread", args=[thread.pk])},
    )
    assert response.status_code == 302
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert MEMBER_FOLD in page and "Unmute this member" in page
    client.force_login(author)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert MEMBER_FOLD not in page and "muted" not in page.lower()
    client.force_login(reader)
    client.post(reverse("discussion:mute_member", args=[author.pk]), {"mute": "0"})
    assert not MutedMember.objects.exists()


def test_peer_workers_and_moderators_cannot_be_muted(client, space):
    member = member_make(space)
    facilitator = space.facilitators.first().worker
    for target in (facilitator, PeerWorkerFactory(), UserFactory(is_staff=True)):
        with pytest.raises(ServiceError, match="can't be muted"):
            member_controls.member_mute_set(
                member=member, muted_id=target.pk, mute=True
            )
    with pytest.raises(ServiceError, match="yourself"):
        member_controls.member_mute_set(member=member, muted_id=member.pk, mute=True)
    with pytest.raises(ServiceError, match="no longer here"):
        member_controls.member_mute_set(member=member, muted_id=10**9, mute=True)
    assert not MutedMember.objects.exists()
    # and the page offers no mute button under a peer worker's post
    thread = thread_make(space, author=facilitator, text="Welcome, everyone.")
    client.force_login(member)
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert "Mute this member" not in page


def test_mute_refusal_from_the_page_shows_the_message(client, space):
    member = member_make(space)
    client.force_login(member)
    response = client.post(
        reverse("discussion:mute_member", args=[PeerWorkerFactory().pk]),
        {"mute": "1"},
        follow=True,
    )
    assert "can&#x27;t be muted" in response.content.decode()
    assert not MutedMember.objects.exists()


def test_thread_page_queries_stay_fixed_with_mutes(
    client, space, django_assert_max_num_queries
):
    thread = thread_make(space)
    reader = member_make(space)
    authors = [member_make(space) for _ in range(4)]
    client.force_login(reader)

    def count():
        client.get(reverse("discussion:thread", args=[thread.pk]))  # caches warm
        with django_assert_max_num_queries(40) as captured:
            client.get(reverse("discussion:thread", args=[thread.pk]))
        return len(captured.captured_queries)

    _reply(thread, authors[0], "one gardening")
    member_controls.muted_word_add(member=reader, word="gardening")
    before = count()
    member_controls.muted_word_add(member=reader, word="exams")
    for author in authors[:3]:
        member_controls.member_mute_set(member=reader, muted_id=author.pk, mute=True)
    for n in range(30):
        _reply(thread, authors[n % 4], f"post {n} about gardening")
    assert count() == before


# --- taking a break ------------------------------------------------------------------


def test_break_shows_a_gentle_page_and_coming_back_early_ends_it(client, space):
    thread = thread_make(space)
    member = member_make(space)
    client.force_login(member)
    until = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("discussion:space_break", args=[space.pk]),
        {"until": until.isoformat()},
    )
    assert response.status_code == 302
    for url in (
        reverse("discussion:threads", args=[space.pk]),
        reverse("discussion:thread", args=[thread.pk]),
    ):
        page = client.get(url).content.decode()
        assert "taking a break until" in page and "Come back early" in page
        assert thread.title not in page
    client.post(reverse("discussion:space_break", args=[space.pk]), {"end": "1"})
    page = client.get(reverse("discussion:thread", args=[thread.pk])).content.decode()
    assert "taking a break until" not in page and "Tell us." in page


def test_break_from_one_space_leaves_others_alone(client, home_page, space):
    other = space_make(home_page, title="Other group")
    member = member_make(space)
    member_make(other, user=member)
    member_controls.space_break_take(
        member=member, space=space, until=timezone.localdate() + timedelta(days=3)
    )
    client.force_login(member)
    page = client.get(reverse("discussion:threads", args=[other.pk])).content.decode()
    assert "taking a break until" not in page


def test_bad_break_dates_are_refused_and_change_nothing(client, home_page, space):
    member = member_make(space)
    today = timezone.localdate()
    for until, message in (
        (today, "after today"),
        (today - timedelta(days=1), "after today"),
        (today + timedelta(days=400), "up to a year"),
    ):
        with pytest.raises(ServiceError, match=message):
            member_controls.space_break_take(member=member, space=space, until=until)
    outsider_space = space_make(home_page, title="Elsewhere")
    with pytest.raises(ServiceError, match="belong"):
        member_controls.space_break_take(
            member=member, space=outsider_space, until=today + timedelta(days=2)
        )
    client.force_login(member)
    response = client.post(
        reverse("discussion:space_break", args=[space.pk]),
        {"until": "not a date"},
        follow=True,
    )
    assert "Choose a day after today" in response.content.decode()
    assert not SpaceBreak.objects.exists()


def test_a_break_that_has_ended_no_longer_applies(client, space):
    member = member_make(space)
    SpaceBreak.objects.create(member=member, space=space, until=timezone.localdate())
    assert member_controls.space_break_until(member=member, space=space) is None


def test_follow_emails_pause_during_a_break(
    space, django_capture_on_commit_callbacks, mailoutbox
):
    on_duty_make(space)
    author, away, here = member_make(space), member_make(space), member_make(space)
    thread = probation_end(space, author)
    for follower in (away, here):
        notifications.thread_follow_set(
            thread_id=thread.pk, member=follower, level="all"
        )
    member_controls.space_break_take(
        member=away, space=space, until=timezone.localdate() + timedelta(days=2)
    )
    notifications.thread_follow_set(
        thread_id=thread.pk, member=space.facilitators.first().worker, level="none"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(author=author, thread_id=thread.pk, text="news")
    assert [m.to for m in mailoutbox] == [[here.email]]
    member_controls.space_break_end(member=away, space=space)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(author=author, thread_id=thread.pk, text="more news")
    assert sorted(m.to[0] for m in mailoutbox[1:]) == sorted([here.email, away.email])
