from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from peer_support.audit import AppendOnlyError
from peer_support.spaces import services
from peer_support.spaces.models import (
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpaceRole,
)
from peer_support.spaces.selectors import (
    may_post,
    membership_history,
    rules_accepted,
    space_balance,
)
from peer_support.spaces.services import MembershipError, SpaceFull
from tests.factories import FacilitatedSpaceFactory, ProfessionalFactory, UserFactory

from .boundaries import question_add, rules_publish

pytestmark = pytest.mark.django_db

Status = MembershipStatus


def test_open_space_member_joins_at_once(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    member = UserFactory()
    membership = services.membership_join(space_id=space.pk, member=member)
    assert membership.status == Status.ACTIVE
    assert membership.joined_at is not None
    assert [e.action for e in membership_history(membership=membership)] == ["joined"]


def test_member_cannot_join_as_professional_without_the_role(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    with pytest.raises(MembershipError, match="registered as professionals"):
        services.membership_join(
            space_id=space.pk, member=UserFactory(), as_professional=True
        )
    assert not Membership.objects.exists()


def test_full_space_refuses_then_waitlists_when_asked(home_page):
    space = FacilitatedSpaceFactory(parent=home_page, capacity=1)
    services.membership_join(space_id=space.pk, member=UserFactory())
    second = UserFactory()
    with pytest.raises(SpaceFull):
        services.membership_join(space_id=space.pk, member=second)
    assert Membership.objects.filter(member=second).count() == 0
    waiting = services.membership_join(space_id=space.pk, member=second, waitlist=True)
    assert waiting.status == Status.WAITLISTED


def test_place_freed_is_offered_to_next_who_accepts(
    home_page, django_capture_on_commit_callbacks
):
    space = FacilitatedSpaceFactory(parent=home_page, capacity=1, offer_days=2)
    first = services.membership_join(space_id=space.pk, member=UserFactory())
    waiting = services.membership_join(
        space_id=space.pk, member=UserFactory(), waitlist=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_leave(membership_id=first.pk, member=first.member)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED
    assert waiting.offer_expires_at > timezone.now() + timedelta(days=1, hours=23)
    # The eager timer ran early and changed nothing.
    assert waiting.offer_expires_at is not None
    assert space_balance(space=space).places_left == 0
    assert "A place is free" in mail.outbox[-1].subject
    accepted = services.membership_offer_accept(
        membership_id=waiting.pk, member=waiting.member
    )
    assert accepted.status == Status.ACTIVE


def test_expired_offer_goes_to_the_next_person_and_running_twice_is_harmless(
    home_page, django_capture_on_commit_callbacks
):
    space = FacilitatedSpaceFactory(parent=home_page, capacity=1)
    first = services.membership_join(space_id=space.pk, member=UserFactory())
    second = services.membership_join(
        space_id=space.pk, member=UserFactory(), waitlist=True
    )
    third = services.membership_join(
        space_id=space.pk, member=UserFactory(), waitlist=True
    )
    services.membership_leave(membership_id=first.pk, member=first.member)
    later = timezone.now() + timedelta(days=4)
    assert services.membership_offers_expire_due(now=later) == 1
    assert services.membership_offer_expire(membership_id=second.pk, now=later) is False
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.LEFT
    assert third.offer_expires_at is not None
    with pytest.raises(MembershipError, match="no place waiting"):
        services.membership_offer_accept(membership_id=second.pk, member=second.member)


def test_professional_cap_refuses_with_clear_message_and_allows_waitlist(home_page):
    space = FacilitatedSpaceFactory(parent=home_page, max_professionals=1)
    services.membership_join(
        space_id=space.pk, member=ProfessionalFactory(), as_professional=True
    )
    professional = ProfessionalFactory()
    with pytest.raises(SpaceFull, match="balance of voices"):
        services.membership_join(
            space_id=space.pk, member=professional, as_professional=True
        )
    waiting = services.membership_join(
        space_id=space.pk, member=professional, as_professional=True, waitlist=True
    )
    assert waiting.status == Status.WAITLISTED
    assert waiting.role == SpaceRole.PROFESSIONAL
    # A service user still gets in at once.
    assert (
        services.membership_join(space_id=space.pk, member=UserFactory()).status
        == Status.ACTIVE
    )


def test_share_cap_is_checked_at_approval(home_page):
    space = FacilitatedSpaceFactory(
        parent=home_page, join_policy=JoinPolicy.REQUEST, max_professional_share=50
    )
    facilitator = space.facilitators.get().worker
    request = services.membership_request(
        space_id=space.pk, member=UserFactory(), answers={}
    )
    services.membership_approve(membership_id=request.pk, actor=facilitator)
    pro1 = services.membership_request(
        space_id=space.pk,
        member=ProfessionalFactory(),
        answers={},
        as_professional=True,
    )
    pro2 = services.membership_request(
        space_id=space.pk,
        member=ProfessionalFactory(),
        answers={},
        as_professional=True,
    )
    services.membership_approve(membership_id=pro1.pk, actor=facilitator)
    with pytest.raises(SpaceFull):
        services.membership_approve(membership_id=pro2.pk, actor=facilitator)
    pro2.refresh_from_db()
    assert pro2.status == Status.REQUESTED


def test_request_records_answers_and_refuses_another_spaces_questions(home_page):
    space = FacilitatedSpaceFactory(parent=home_page, join_policy=JoinPolicy.REQUEST)
    other = FacilitatedSpaceFactory(
        parent=home_page, title="Other", join_policy=JoinPolicy.REQUEST
    )
    question = question_add(space)
    foreign = question_add(other, "Other question")
    member = UserFactory()
    with pytest.raises(MembershipError, match="doesn't ask"):
        services.membership_request(
            space_id=space.pk,
            member=member,
            answers={question.pk: "Hello", foreign.pk: "Sneaky"},
        )
    with pytest.raises(MembershipError, match="every question"):
        services.membership_request(space_id=space.pk, member=member, answers={})
    assert not Membership.objects.filter(member=member).exists()
    membership = services.membership_request(
        space_id=space.pk, member=member, answers={question.pk: "Low mood lately"}
    )
    assert membership.status == Status.REQUESTED
    assert [(a.question_text, a.answer) for a in membership.answers.all()] == [
        ("What brings you here?", "Low mood lately")
    ]


def test_decline_needs_reason_and_tells_member_privately(
    home_page, django_capture_on_commit_callbacks
):
    space = FacilitatedSpaceFactory(parent=home_page, join_policy=JoinPolicy.REQUEST)
    facilitator = space.facilitators.get().worker
    membership = services.membership_request(
        space_id=space.pk, member=UserFactory(), answers={}
    )
    with pytest.raises(MembershipError, match="reason"):
        services.membership_decline(
            membership_id=membership.pk, actor=facilitator, reason=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(
            membership_id=membership.pk,
            actor=facilitator,
            reason="This group is for carers.",
        )
    membership.refresh_from_db()
    assert membership.status == Status.DECLINED
    notice = MemberNotice.objects.get(member=membership.member)
    assert "This group is for carers." in notice.body
    assert mail.outbox[-1].to == [membership.member.email]
    assert "This group is for carers." in mail.outbox[-1].body


def test_approving_a_removed_member_says_so_and_changes_nothing(home_page):
    space = FacilitatedSpaceFactory(parent=home_page, join_policy=JoinPolicy.REQUEST)
    facilitator = space.facilitators.get().worker
    membership = services.membership_request(
        space_id=space.pk, member=UserFactory(), answers={}
    )
    services.membership_remove(
        membership_id=membership.pk, actor=facilitator, reason="Spam"
    )
    events = MembershipEvent.objects.count()
    with pytest.raises(MembershipError, match="no longer asking"):
        services.membership_approve(membership_id=membership.pk, actor=facilitator)
    membership.refresh_from_db()
    assert membership.status == Status.REMOVED
    assert MembershipEvent.objects.count() == events


def test_invite_codes_are_single_use_and_expire(home_page):
    space = FacilitatedSpaceFactory(parent=home_page, join_policy=JoinPolicy.INVITE)
    other = FacilitatedSpaceFactory(
        parent=home_page, title="Other", join_policy=JoinPolicy.INVITE
    )
    facilitator = space.facilitators.get().worker
    invite = services.invite_create(space_id=space.pk, actor=facilitator)
    with pytest.raises(MembershipError, match="isn't valid"):
        services.membership_join(
            space_id=other.pk, member=UserFactory(), invite_code=invite.code
        )
    first = services.membership_join(
        space_id=space.pk, member=UserFactory(), invite_code=invite.code
    )
    assert first.status == Status.ACTIVE
    second = UserFactory()
    with pytest.raises(MembershipError, match="already been used"):
        services.membership_join(
            space_id=space.pk, member=second, invite_code=invite.code
        )
    expired = services.invite_create(space_id=space.pk, actor=facilitator, days_valid=1)
    expired.expires_at = timezone.now() - timedelta(minutes=1)
    expired.save()
    with pytest.raises(MembershipError, match="expired"):
        services.membership_join(
            space_id=space.pk, member=second, invite_code=expired.code
        )
    assert not Membership.objects.filter(member=second).exists()
    expired.refresh_from_db()
    assert expired.used_at is None


def test_ground_rules_change_requires_reacceptance_before_posting(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    rules = rules_publish(space)
    member = UserFactory()
    with pytest.raises(MembershipError, match="ground rules"):
        services.membership_join(space_id=space.pk, member=member)
    membership = services.membership_join(
        space_id=space.pk, member=member, rules_accepted=True
    )
    assert rules_accepted(membership=membership)
    assert may_post(user=member, space=space) == (True, "")
    rules_publish(rules=rules, body="<p>Be kind. No advertising.</p>")
    membership = Membership.objects.get(pk=membership.pk)
    assert not rules_accepted(membership=membership)
    assert may_post(user=member, space=space) == (False, "rules")
    services.membership_rules_accept(membership_id=membership.pk, member=member)
    assert may_post(user=member, space=space) == (True, "")


def test_suspension_is_lifted_automatically_when_due(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    facilitator = space.facilitators.get().worker
    membership = services.membership_join(space_id=space.pk, member=UserFactory())
    services.membership_suspend(
        membership_id=membership.pk, actor=facilitator, reason="Cooling off", days=3
    )
    assert may_post(user=membership.member, space=space) == (False, "suspended")
    assert services.membership_suspensions_lift_due() == 0
    assert (
        services.membership_suspensions_lift_due(
            now=timezone.now() + timedelta(days=3, minutes=1)
        )
        == 1
    )
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    actions = [e.action for e in membership_history(membership=membership)]
    assert actions == ["joined", "suspended", "suspension_lifted"]


def test_banned_member_cannot_rejoin_but_removed_member_can(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    facilitator = space.facilitators.get().worker
    removed = services.membership_join(space_id=space.pk, member=UserFactory())
    banned = services.membership_join(space_id=space.pk, member=UserFactory())
    services.membership_remove(membership_id=removed.pk, actor=facilitator, reason="r")
    services.membership_ban(membership_id=banned.pk, actor=facilitator, reason="b")
    assert services.membership_join(
        space_id=space.pk, member=removed.member
    ).status == (Status.ACTIVE)
    with pytest.raises(MembershipError, match="can't join"):
        services.membership_join(space_id=space.pk, member=banned.member)


def test_membership_events_refuse_update_and_delete(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    membership = services.membership_join(space_id=space.pk, member=UserFactory())
    event = membership.events.get()
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        MembershipEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        MembershipEvent.objects.all().delete()


def test_course_enrolment_needs_consent(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    member = UserFactory()
    with pytest.raises(MembershipError, match="consent"):
        services.membership_join(space_id=space.pk, member=member, consent=False)
    membership = services.membership_join(
        space_id=space.pk, member=member, consent=True
    )
    assert membership.consent_given_at is not None


def test_member_account_deletion_still_works(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    membership = services.membership_join(space_id=space.pk, member=UserFactory())
    membership.member.delete()
    assert not Membership.objects.exists()


def test_deleting_a_facilitator_account_keeps_the_history_without_them(home_page):
    space = FacilitatedSpaceFactory(parent=home_page)
    facilitator = space.facilitators.get().worker
    membership = services.membership_join(space_id=space.pk, member=UserFactory())
    services.membership_remove(
        membership_id=membership.pk, actor=facilitator, reason="Left the area"
    )
    facilitator.delete()
    event = membership.events.get(action="removed")
    assert event.actor is None
    assert event.reason == "Left the area"
