"""Graduated sanctions, a member's record for moderators, and one appeal per sanction
decided by a different moderator."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peer_support.audit import AppendOnlyError
from peer_support.discussion import sanctions, services
from peer_support.discussion.models import Appeal, AppealDecision, Sanction
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import (
    MemberNotice,
    Membership,
    MembershipStatus,
    SpaceFacilitator,
)
from peer_support.spaces.services import membership_suspensions_lift_due
from tests.factories import PeerWorkerFactory

from .builders import member_make, on_duty_make, probation_end, space_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(roles):
    return roles


@pytest.fixture
def other_space(home_page):
    return space_make(home_page, title="Other group")


def facilitator_of(space):
    return space.facilitators.first().worker


def co_facilitator(space):
    worker = PeerWorkerFactory()
    SpaceFacilitator.objects.create(page_id=space.pk, worker=worker)
    return worker


def give(space, member, actor, **fields):
    fields.setdefault("kind", "warning")
    fields.setdefault("rule", "Be kind")
    fields.setdefault("reason", "Please speak gently to others.")
    return sanctions.sanction_give(
        space_id=space.pk, member_id=member.pk, actor=actor, **fields
    )


def status(space, member):
    return Membership.objects.get(space=space, member=member).status


# --- giving sanctions ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["feedback", "warning"])
def test_moderator_gives_feedback_or_warning_recorded_and_told(space, kind):
    member = member_make(space)
    moderator = facilitator_of(space)
    sanction = give(space, member, moderator, kind=kind, rule="Rule 2: be kind")
    assert (sanction.kind, sanction.rule, sanction.actor) == (
        kind,
        "Rule 2: be kind",
        moderator,
    )
    assert sanction.created_at and sanction.reason
    notice = MemberNotice.objects.get(member=member)
    assert "Rule 2: be kind" in notice.body
    assert reverse("discussion:appeal", args=[sanction.pk]) in notice.body
    assert status(space, member) == MembershipStatus.ACTIVE


def test_sanctions_are_append_only(space):
    sanction = give(space, member_make(space), facilitator_of(space))
    with pytest.raises(AppendOnlyError):
        Sanction.objects.filter(pk=sanction.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        sanction.delete()


def test_suspension_calls_the_spaces_service_and_beat_lifts_it(space):
    member = member_make(space)
    give(space, member, facilitator_of(space), kind="suspension", days=3)
    notice = MemberNotice.objects.get(member=member)  # one notice, not two
    assert "post again after" in notice.body and "Be kind" in notice.body
    membership = Membership.objects.get(space=space, member=member)
    assert membership.status == MembershipStatus.SUSPENDED
    assert membership.suspended_until > timezone.now() + timedelta(days=2)
    assert membership_suspensions_lift_due(now=timezone.now() + timedelta(days=4)) == 1
    assert status(space, member) == MembershipStatus.ACTIVE


def test_removal_calls_the_spaces_service(space):
    member = member_make(space)
    give(space, member, facilitator_of(space), kind="removal")
    assert status(space, member) == MembershipStatus.REMOVED
    assert Sanction.objects.get().kind == "removal"
    assert MemberNotice.objects.filter(member=member).count() == 1


def test_overturning_a_removal_reinstates_the_member_recorded_and_told_once(space):
    from peer_support.spaces.models import MembershipEvent

    member = member_make(space)
    joined = Membership.objects.get(space=space, member=member).joined_at
    sanctioner, colleague = facilitator_of(space), co_facilitator(space)
    sanction = give(space, member, sanctioner, kind="removal")
    appeal = sanctions.appeal_submit(
        sanction_id=sanction.pk, member=member, text="It wasn't me."
    )
    before = MemberNotice.objects.filter(member=member).count()
    sanctions.appeal_decide(
        appeal_id=appeal.pk, moderator=colleague, outcome="overturned", reason="Sorry."
    )
    membership = Membership.objects.get(space=space, member=member)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.joined_at == joined  # not a new member again
    event = MembershipEvent.objects.filter(membership=membership).last()
    assert (event.action, event.actor, event.from_status) == (
        "reinstated",
        colleague,
        "removed",
    )
    told = MemberNotice.objects.filter(member=member).order_by("pk")[before:]
    assert [n.subject for n in told] == ["Your appeal was accepted"]
    assert "member again" in told[0].body


def test_facilitator_of_another_space_may_not_sanction(space, other_space):
    member = member_make(space)
    stranger = facilitator_of(other_space)
    for kind in ("feedback", "warning", "suspension", "removal"):
        with pytest.raises(NotAllowed):
            give(space, member, stranger, kind=kind, days=2)
    assert not Sanction.objects.exists()
    assert not MemberNotice.objects.exists()
    assert status(space, member) == MembershipStatus.ACTIVE


def test_member_may_not_sanction_another(space):
    member, other = member_make(space), member_make(space)
    with pytest.raises(NotAllowed):
        give(space, other, member)
    assert not Sanction.objects.exists()


def test_peer_worker_on_duty_warns_but_only_facilitators_suspend(space):
    member = member_make(space)
    cover = on_duty_make(space)
    assert give(space, member, cover).kind == "warning"
    with pytest.raises(NotAllowed):
        give(space, member, cover, kind="suspension", days=2)
    assert status(space, member) == MembershipStatus.ACTIVE
    assert Sanction.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "ban"}, "Choose feedback"),
        ({"rule": "  "}, "ground rule"),
        ({"rule": "x" * 201}, "under 200"),
        ({"reason": ""}, "give a reason"),
        ({"kind": "suspension"}, "how many days"),
        ({"kind": "suspension", "days": 0}, "between 1 and 365"),
        ({"kind": "suspension", "days": 400}, "between 1 and 365"),
    ],
)
def test_bad_input_gives_a_clear_message_and_changes_nothing(space, fields, message):
    member = member_make(space)
    with pytest.raises(ServiceError) as error:
        give(space, member, facilitator_of(space), **fields)
    assert message in error.value.message
    assert not Sanction.objects.exists()
    assert not MemberNotice.objects.exists()
    assert status(space, member) == MembershipStatus.ACTIVE


def test_non_member_and_foreign_post_are_refused(space, other_space):
    outsider = member_make(other_space)
    with pytest.raises(ServiceError, match="not a member"):
        give(space, outsider, facilitator_of(space))
    member = member_make(space)
    with pytest.raises(ServiceError, match="not this member's post"):
        give(space, member, facilitator_of(space), post_id=10**6)
    assert not Sanction.objects.exists()


def test_suspending_a_suspended_member_is_refused_without_a_record(space):
    member = member_make(space, status=MembershipStatus.SUSPENDED)
    with pytest.raises(ServiceError, match="Only an active member"):
        give(space, member, facilitator_of(space), kind="suspension", days=2)
    assert not Sanction.objects.exists()


# --- appeals -----------------------------------------------------------------------


def test_one_appeal_per_sanction_by_its_member_only(space):
    member, other = member_make(space), member_make(space)
    sanction = give(space, member, facilitator_of(space))
    with pytest.raises(NotAllowed):
        sanctions.appeal_submit(sanction_id=sanction.pk, member=other, text="unfair")
    with pytest.raises(ServiceError, match="write your appeal"):
        sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text=" ")
    assert not Appeal.objects.exists()
    sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text="unfair")
    with pytest.raises(ServiceError, match="already appealed"):
        sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text="again")
    assert Appeal.objects.count() == 1


def test_appeal_decided_by_a_different_moderator_overturning_lifts_suspension(space):
    member = member_make(space)
    sanctioner, colleague = facilitator_of(space), co_facilitator(space)
    sanction = give(space, member, sanctioner, kind="suspension", days=10)
    appeal = sanctions.appeal_submit(
        sanction_id=sanction.pk, member=member, text="I was quoting someone."
    )
    with pytest.raises(NotAllowed, match="Another moderator"):
        sanctions.appeal_decide(
            appeal_id=appeal.pk, moderator=sanctioner, outcome="overturned", reason="x"
        )
    assert status(space, member) == MembershipStatus.SUSPENDED
    assert not AppealDecision.objects.exists()
    before = MemberNotice.objects.filter(member=member).count()
    decision = sanctions.appeal_decide(
        appeal_id=appeal.pk,
        moderator=colleague,
        outcome="overturned",
        reason="It was a quote.",
    )
    assert (decision.outcome, decision.decided_by) == ("overturned", colleague)
    membership = Membership.objects.get(space=space, member=member)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.suspended_until is None
    told = MemberNotice.objects.filter(member=member).order_by("pk")
    assert told.count() == before + 1  # one notice, not also "welcome back"
    assert "It was a quote." in told.last().body
    with pytest.raises(ServiceError, match="already been decided"):
        sanctions.appeal_decide(
            appeal_id=appeal.pk, moderator=colleague, outcome="upheld", reason="no"
        )


def test_upheld_appeal_leaves_the_suspension(space):
    member = member_make(space)
    sanction = give(space, member, facilitator_of(space), kind="suspension", days=5)
    appeal = sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text="?")
    sanctions.appeal_decide(
        appeal_id=appeal.pk,
        moderator=co_facilitator(space),
        outcome="upheld",
        reason="The rule is clear.",
    )
    assert status(space, member) == MembershipStatus.SUSPENDED
    assert "decision stands" in MemberNotice.objects.filter(member=member).first().body


def test_appeal_refused_to_other_space_and_bad_input_changes_nothing(
    space, other_space
):
    member = member_make(space)
    sanction = give(space, member, facilitator_of(space))
    appeal = sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text="?")
    with pytest.raises(NotAllowed):
        sanctions.appeal_decide(
            appeal_id=appeal.pk,
            moderator=facilitator_of(other_space),
            outcome="overturned",
            reason="x",
        )
    assert not sanctions.appeals_waiting(user=facilitator_of(other_space)).exists()
    colleague = co_facilitator(space)
    for outcome, reason in (("maybe", "x"), ("upheld", "")):
        with pytest.raises(ServiceError):
            sanctions.appeal_decide(
                appeal_id=appeal.pk, moderator=colleague, outcome=outcome, reason=reason
            )
    assert not AppealDecision.objects.exists()


def test_peer_worker_on_duty_decides_a_warning_appeal_not_a_suspension(space):
    member = member_make(space)
    warning = give(space, member, facilitator_of(space))
    pause = give(space, member, facilitator_of(space), kind="suspension", days=2)
    cover = on_duty_make(space)
    on_warning = sanctions.appeal_submit(
        sanction_id=warning.pk, member=member, text="a"
    )
    on_pause = sanctions.appeal_submit(sanction_id=pause.pk, member=member, text="b")
    with pytest.raises(NotAllowed):
        sanctions.appeal_decide(
            appeal_id=on_pause.pk, moderator=cover, outcome="overturned", reason="x"
        )
    sanctions.appeal_decide(
        appeal_id=on_warning.pk, moderator=cover, outcome="overturned", reason="ok"
    )
    assert status(space, member) == MembershipStatus.SUSPENDED
    assert [a.pk for a in sanctions.appeals_waiting(user=cover)] == [on_pause.pk]
    assert list(sanctions.appeals_waiting(user=facilitator_of(space))) == []


# --- the record ---------------------------------------------------------------------


def _history(space, member, times):
    moderator = facilitator_of(space)
    thread = probation_end(space, member)
    for n in range(times):
        post = services.post_submit(author=member, thread_id=thread.pk, text=f"p{n}")
        assert post.is_held  # nobody on duty: a hold, which the record shows
        services.post_moderate(post_id=post.pk, moderator=moderator, decision="approve")
        flagger = member_make(space)
        services.post_flag(post_id=post.pk, reporter=flagger, reason="ground_rule")
        services.post_moderate(
            post_id=post.pk, moderator=moderator, decision="warn", reason="gently"
        )
        sanction = give(space, member, moderator, kind="feedback")
        sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text="hm")


def _queries(space, member):
    with CaptureQueriesContext(connection) as captured:
        entries = sanctions.member_record(space=space, member=member)
    return len(captured), entries


def test_record_in_time_order_at_a_fixed_number_of_queries(space, other_space):
    one, many = member_make(space), member_make(space)
    member_make(other_space, user=many)
    _history(space, one, 1)
    _history(space, many, 6)
    _history(other_space, many, 1)
    queries_one, entries_one = _queries(space, one)
    queries_many, entries_many = _queries(space, many)
    assert queries_one == queries_many == 3
    kinds = {entry.kind for entry in entries_one}
    assert kinds == {"sanction", "appeal", "action", "flag"}
    labels = {entry.label for entry in entries_one}
    assert {"Held for review", "Warned the author", "Feedback"} <= labels
    # Each round adds a hold, a flag, a warning, a sanction and an appeal; nothing
    # from the other space shows.
    assert len(entries_many) - len(entries_one) == 5 * 5
    times = [entry.at for entry in entries_many]
    assert times == sorted(times)


# --- pages -------------------------------------------------------------------------


def test_record_page_for_moderators_of_that_space_only(client, space, other_space):
    member = member_make(space)
    give(space, member, facilitator_of(space), rule="Rule 4: no advertising")
    url = reverse("discussion_record", args=[space.pk, member.pk])
    client.force_login(facilitator_of(other_space))
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code in (302, 403, 404)
    client.force_login(facilitator_of(space))
    response = client.get(url)
    assert response.status_code == 200
    assert "Rule 4: no advertising" in response.content.decode()


def test_record_page_sanctions_and_refuses_bad_input(client, space):
    member = member_make(space)
    client.force_login(facilitator_of(space))
    url = reverse("discussion_record", args=[space.pk, member.pk])
    bad = {"kind": "suspension", "rule": "Be kind", "reason": "x"}
    response = client.post(url, bad)
    assert "how many days" in response.content.decode()
    assert not Sanction.objects.exists()
    response = client.post(
        url, {"kind": "suspension", "rule": "Be kind", "reason": "x", "days": "2"}
    )
    assert response.status_code == 302
    assert status(space, member) == MembershipStatus.SUSPENDED


def test_member_appeals_from_their_page_and_a_colleague_decides_in_the_admin(
    client, space
):
    member, other = member_make(space), member_make(space)
    sanctioner = facilitator_of(space)
    sanction = give(space, member, sanctioner, kind="suspension", days=4)
    url = reverse("discussion:appeal", args=[sanction.pk])
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(member)
    page = client.get(reverse("discussion:my_sanctions")).content.decode()
    assert "Appeal this decision" in page
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Please reconsider."}).status_code == 302
    appeal = Appeal.objects.get()
    decide = reverse("discussion_appeal_decide", args=[appeal.pk])
    far = space_make(space.get_parent(), title="Far group")
    client.force_login(facilitator_of(far))
    assert client.get(decide).status_code == 404
    client.force_login(sanctioner)
    response = client.post(decide, {"outcome": "overturned", "reason": "fine"})
    assert "Another moderator" in response.content.decode()
    assert not AppealDecision.objects.exists()
    client.force_login(co_facilitator(space))
    response = client.post(decide, {"outcome": "overturned", "reason": "fine"})
    assert response.status_code == 302
    assert status(space, member) == MembershipStatus.ACTIVE


def test_record_page_at_a_fixed_number_of_queries(client, space):
    one, many = member_make(space), member_make(space)
    _history(space, one, 1)
    _history(space, many, 5)
    client.force_login(facilitator_of(space))
    counts = []
    for member in (one, many):
        url = reverse("discussion_record", args=[space.pk, member.pk])
        client.get(url)  # warm caches (menu, site) before counting
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_erasing_a_sanctioned_member_keeps_the_record_without_them(space):
    from peer_support.accounts.services import member_delete

    member = member_make(space)
    sanction = give(space, member, facilitator_of(space))
    sanctions.appeal_submit(sanction_id=sanction.pk, member=member, text="hm")
    member_delete(user=member)
    sanction.refresh_from_db()
    assert sanction.member_id is None
    assert sanction.rule == "Be kind"
