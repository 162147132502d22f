"""What every membership service shares: the row locks, the history, the private
notice, and the two ways a membership starts holding (or waiting for) a place.

Every service that can fill a place locks the space row first (`select_for_update`),
so the count of places and the caps are read and written by one transaction at a
time. Every change to a membership writes a `MembershipEvent`; every decision a
facilitator makes about a person sends them a private notice.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.audit import audit_record
from peer_support.errors import NotAllowed

from ..errors import MembershipError
from ..models import (
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpacePage,
)
from ..permissions import MANAGE_MEMBERS, user_may
from ..rules import current_rules_revision_id
from ..tasks import send_notice_email_task

Action = MembershipEvent.Action
Status = MembershipStatus

MAX_REASON_LENGTH = 2000


def space_locked(space_id: int) -> SpacePage:
    """Lock the space row: capacity and caps are decided one transaction at a time."""
    return SpacePage.objects.select_for_update(of=("self",)).get(pk=space_id)


def membership_locked(membership_id: int) -> Membership:
    return Membership.objects.select_for_update(of=("self",)).get(pk=membership_id)


def event_record(membership, *, action, actor=None, from_status="", reason=""):
    return audit_record(
        MembershipEvent,
        membership=membership,
        space_id=membership.space_id,
        member_id=membership.member_id,
        actor=actor,
        by_system=actor is None,
        action=action,
        from_status=from_status,
        to_status=membership.status,
        reason=reason,
    )


def notify(membership: Membership, *, subject: str, body: str) -> MemberNotice:
    notice = MemberNotice.objects.create(
        member_id=membership.member_id,
        space_id=membership.space_id,
        subject=subject,
        body=body,
    )
    transaction.on_commit(lambda: send_notice_email_task.delay(notice.pk))
    return notice


def reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise MembershipError(_("Please give a reason; the member will read it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise MembershipError(_("Please keep the reason under 2000 characters."))
    return reason


def require_manager(actor, space: SpacePage) -> None:
    if not user_may(actor, MANAGE_MEMBERS, space):
        raise NotAllowed(_("Only facilitators of this space manage its members."))


def rules_record(membership: Membership, *, rules_accepted: bool) -> None:
    current = current_rules_revision_id(space=membership.space)
    if current is None:
        return
    if not rules_accepted:
        raise MembershipError(_("Please read and accept the ground rules first."))
    membership.rules_revision_id = current
    membership.rules_accepted_at = timezone.now()


def consent_record(membership: Membership, *, consent: bool | None) -> None:
    """Course enrolment passes `consent`; groups pass None (not asked)."""
    if consent is None:
        return
    if not consent:
        raise MembershipError(_("Please give your consent to enrol."))
    membership.consent_given_at = timezone.now()


def activate(membership: Membership, *, action, actor=None, reason=""):
    from_status = membership.status if membership.pk else ""
    membership.status = Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.offer_expires_at = None
    membership.waitlisted_at = None
    membership.save()
    event_record(
        membership, action=action, actor=actor, from_status=from_status, reason=reason
    )
    return membership


def to_waiting_list(membership: Membership, *, actor=None, reason=""):
    from_status = membership.status if membership.pk else ""
    membership.status = Status.WAITLISTED
    membership.waitlisted_at = timezone.now()
    membership.offer_expires_at = None
    membership.save()
    event_record(
        membership,
        action=Action.WAITLISTED,
        actor=actor,
        from_status=from_status,
        reason=reason,
    )
    return membership
