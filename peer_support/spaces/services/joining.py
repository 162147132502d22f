"""Ways into a space: joining at once (open, or with an invite code), asking to
join, and leaving."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.roles import PROFESSIONAL, has_role

from ..errors import MembershipError, SpaceFull
from ..models import (
    PLACE_HOLDING_STATUSES,
    EligibilityAnswer,
    EligibilityQuestion,
    JoinPolicy,
    Membership,
    SpacePage,
    SpaceRole,
)
from ..rules import join_refusal, room_for
from .base import (
    Action,
    Status,
    activate,
    consent_record,
    event_record,
    membership_locked,
    rules_record,
    space_locked,
    to_waiting_list,
)
from .invites import invite_locked
from .waiting_list import membership_offer_next


def _role_for(member, *, as_professional: bool) -> str:
    if not as_professional:
        return SpaceRole.MEMBER
    if not has_role(member, PROFESSIONAL):
        raise MembershipError(
            _("Only accounts registered as professionals can join as a professional.")
        )
    return SpaceRole.PROFESSIONAL


def _space_refusal(space: SpacePage, role: str) -> None:
    refusal = join_refusal(space, role)
    if refusal:
        raise MembershipError(refusal)


def _membership_for_joining(space: SpacePage, member) -> Membership:
    """The member's row in this space, new or reused, refusing people already in."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .filter(space=space, member=member)
        .first()
    )
    if membership is None:
        return Membership(space=space, member=member)
    if membership.status == Status.BANNED:
        raise MembershipError(_("You can't join this space."))
    if membership.status in PLACE_HOLDING_STATUSES:
        raise MembershipError(_("You're already a member of this space."))
    if membership.status == Status.REQUESTED:
        raise MembershipError(_("Your request to join is waiting for a facilitator."))
    if membership.status == Status.WAITLISTED:
        raise MembershipError(_("You're already on the waiting list."))
    return membership


@transaction.atomic
def membership_join(
    *,
    space_id: int,
    member,
    as_professional: bool = False,
    rules_accepted: bool = False,
    waitlist: bool = False,
    consent: bool | None = None,
    invite_code: str = "",
) -> Membership:
    """Join an open space (or an invite-only one with a code) at once.

    When there is no place for the member's role, raises `SpaceFull` unless
    `waitlist` is set, in which case they join the waiting list.
    """
    space = space_locked(space_id)
    role = _role_for(member, as_professional=as_professional)
    _space_refusal(space, role)
    invite = None
    if space.join_policy == JoinPolicy.INVITE:
        invite = invite_locked(space, invite_code)
    elif space.join_policy != JoinPolicy.OPEN:
        raise MembershipError(_("This space does not take members that way."))
    membership = _membership_for_joining(space, member)
    membership.role = role
    rules_record(membership, rules_accepted=rules_accepted)
    consent_record(membership, consent=consent)
    refusal = room_for(space, role)
    if refusal and not waitlist:
        raise SpaceFull(refusal)
    if invite is not None:
        invite.used_by = member
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_by", "used_at"])
    if refusal:
        return to_waiting_list(membership, actor=member)
    return activate(membership, action=Action.JOINED, actor=member)


@transaction.atomic
def membership_request(
    *,
    space_id: int,
    member,
    answers: dict[int, str],
    as_professional: bool = False,
    rules_accepted: bool = False,
    waitlist: bool = False,
    consent: bool | None = None,
) -> Membership:
    """Ask to join a space that takes requests; a facilitator reads the answers.

    A professional with no place under the caps is told so now (not after a
    facilitator has read their answers), and may ask for the waiting list instead.
    """
    space = space_locked(space_id)
    if space.join_policy != JoinPolicy.REQUEST:
        raise MembershipError(_("This space does not take requests to join."))
    role = _role_for(member, as_professional=as_professional)
    _space_refusal(space, role)
    questions = list(
        EligibilityQuestion.objects.filter(page=space).order_by("sort_order")
    )
    known = {question.pk for question in questions}
    if set(answers) - known:
        raise MembershipError(
            _("Those answers are for questions this space doesn't ask.")
        )
    for question in questions:
        if question.required and not (answers.get(question.pk) or "").strip():
            raise MembershipError(_("Please answer every question marked as needed."))
    membership = _membership_for_joining(space, member)
    membership.role = role
    rules_record(membership, rules_accepted=rules_accepted)
    consent_record(membership, consent=consent)
    refusal = room_for(space, role) if role == SpaceRole.PROFESSIONAL else None
    if refusal and not waitlist:
        raise SpaceFull(refusal)
    from_status = membership.status if membership.pk else ""
    membership.status = Status.WAITLISTED if refusal else Status.REQUESTED
    membership.waitlisted_at = timezone.now() if refusal else None
    membership.save()
    membership.answers.all().delete()
    EligibilityAnswer.objects.bulk_create(
        EligibilityAnswer(
            membership=membership,
            question=question,
            question_text=question.text,
            answer=(answers.get(question.pk) or "").strip()[:2000],
        )
        for question in questions
    )
    event_record(
        membership,
        action=Action.WAITLISTED if refusal else Action.REQUESTED,
        actor=member,
        from_status=from_status,
    )
    return membership


@transaction.atomic
def membership_leave(*, membership_id: int, member) -> Membership:
    """Leave at any time: a member, a requester or someone on the waiting list. Past
    posts stay under the member's pseudonym."""
    membership = Membership.objects.get(pk=membership_id, member=member)
    space = space_locked(membership.space_id)
    membership = membership_locked(membership_id)
    if membership.status not in (
        Status.ACTIVE,
        Status.SUSPENDED,
        Status.REQUESTED,
        Status.WAITLISTED,
    ):
        raise MembershipError(_("You're not a member of this space."))
    from_status = membership.status
    membership.status = Status.LEFT
    membership.offer_expires_at = None
    membership.suspended_until = None
    membership.waitlisted_at = None
    membership.save()
    event_record(membership, action=Action.LEFT, actor=member, from_status=from_status)
    membership_offer_next(space=space)
    return membership
