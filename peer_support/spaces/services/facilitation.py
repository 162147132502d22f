"""A facilitator's decisions about a person: approve, waiting list, decline, suspend,
remove, ban. Each is checked against the policy, recorded with its reason and told
to the person privately."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import MembershipError, SpaceFull
from ..models import Membership
from ..rules import room_for
from .base import (
    Action,
    Status,
    activate,
    event_record,
    membership_locked,
    notify,
    reason_clean,
    require_manager,
    space_locked,
    to_waiting_list,
)
from .waiting_list import membership_offer_next

MAX_SUSPENSION_DAYS = 365


@transaction.atomic
def membership_approve(*, membership_id: int, actor, reason: str = "") -> Membership:
    """Let a requester in. With no place for their role, the facilitator is told and
    nothing changes (they may put the person on the waiting list instead)."""
    membership = Membership.objects.get(pk=membership_id)
    space = space_locked(membership.space_id)
    require_manager(actor, space)
    membership = membership_locked(membership_id)
    reason = reason_clean(reason, required=False)
    if membership.status != Status.REQUESTED:
        raise MembershipError(
            _("This person is no longer asking to join (now: %(status)s).")
            % {"status": membership.get_status_display()}
        )
    refusal = room_for(space, membership.role)
    if refusal:
        raise SpaceFull(refusal)
    activate(membership, action=Action.APPROVED, actor=actor, reason=reason)
    notify(
        membership,
        subject=_("Welcome to %(space)s") % {"space": space.title},
        body=_("A facilitator has approved your request to join %(space)s.")
        % {"space": space.title}
        + (f"\n\n{reason}" if reason else ""),
    )
    return membership


@transaction.atomic
def membership_waitlist(*, membership_id: int, actor, reason: str = "") -> Membership:
    """A facilitator moves a request to the waiting list (the space is full)."""
    membership = Membership.objects.get(pk=membership_id)
    space = space_locked(membership.space_id)
    require_manager(actor, space)
    membership = membership_locked(membership_id)
    if membership.status != Status.REQUESTED:
        raise MembershipError(_("Only a pending request can go on the waiting list."))
    to_waiting_list(
        membership, actor=actor, reason=reason_clean(reason, required=False)
    )
    notify(
        membership,
        subject=_("You're on the waiting list for %(space)s") % {"space": space.title},
        body=_("We'll offer you a place in %(space)s as soon as one is free.")
        % {"space": space.title},
    )
    membership_offer_next(space=space)
    return membership


# --- facilitator decisions ---------------------------------------------------------


def _decide(membership_id: int, actor, *, allowed: tuple, message: str):
    membership = Membership.objects.get(pk=membership_id)
    space = space_locked(membership.space_id)
    require_manager(actor, space)
    membership = membership_locked(membership_id)
    if membership.status not in allowed:
        raise MembershipError(
            message % {"status": membership.get_status_display().lower()}
        )
    return space, membership


@transaction.atomic
def membership_decline(*, membership_id: int, actor, reason: str) -> Membership:
    reason = reason_clean(reason, required=True)
    space, membership = _decide(
        membership_id,
        actor,
        allowed=(Status.REQUESTED, Status.WAITLISTED),
        message=_("Only a pending request can be declined (this one is %(status)s)."),
    )
    from_status = membership.status
    membership.status = Status.DECLINED
    membership.offer_expires_at = None
    membership.waitlisted_at = None
    membership.save()
    event_record(
        membership,
        action=Action.DECLINED,
        actor=actor,
        from_status=from_status,
        reason=reason,
    )
    notify(
        membership,
        subject=_("Your request to join %(space)s") % {"space": space.title},
        body=_("A facilitator couldn't offer you a place in %(space)s this time.")
        % {"space": space.title}
        + f"\n\n{reason}",
    )
    if from_status == Status.WAITLISTED:
        membership_offer_next(space=space)
    return membership


@transaction.atomic
def membership_suspend(
    *, membership_id: int, actor, reason: str, days: int, notify_member: bool = True
) -> Membership:
    """Pause a member for a number of days; a periodic task lifts it.
    `notify_member=False` when the caller tells the member itself (a sanction)."""
    reason = reason_clean(reason, required=True)
    if not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise MembershipError(_("A suspension lasts between 1 and 365 days."))
    space, membership = _decide(
        membership_id,
        actor,
        allowed=(Status.ACTIVE,),
        message=_("Only an active member can be suspended (this one is %(status)s)."),
    )
    membership.status = Status.SUSPENDED
    membership.suspended_until = timezone.now() + timedelta(days=days)
    membership.save()
    event_record(
        membership,
        action=Action.SUSPENDED,
        actor=actor,
        from_status=Status.ACTIVE,
        reason=f"{reason} ({days} days)",
    )
    if notify_member:
        notify(
            membership,
            subject=_("A pause in %(space)s") % {"space": space.title},
            body=_(
                "A facilitator has paused your membership of %(space)s until "
                "%(until)s. You can still read; you can post again after that."
            )
            % {
                "space": space.title,
                "until": timezone.localtime(membership.suspended_until).strftime(
                    "%d %B %Y %H:%M"
                ),
            }
            + f"\n\n{reason}",
        )
    return membership


@transaction.atomic
def membership_suspension_lift(
    *, membership_id: int, now: datetime | None = None, notify_member: bool = True
) -> bool:
    """Lift a suspension whose time is up; safe to run twice. `notify_member=False`
    when the caller tells the member itself (an appeal decision)."""
    now = now or timezone.now()
    membership = membership_locked(membership_id)
    if (
        membership.status != Status.SUSPENDED
        or membership.suspended_until is None
        or membership.suspended_until > now
    ):
        return False
    membership.status = Status.ACTIVE
    membership.suspended_until = None
    membership.save()
    event_record(
        membership, action=Action.SUSPENSION_LIFTED, from_status=Status.SUSPENDED
    )
    if notify_member:
        notify(
            membership,
            subject=_("Welcome back to %(space)s") % {"space": membership.space.title},
            body=_("Your pause in %(space)s has ended; you can post again.")
            % {"space": membership.space.title},
        )
    return True


def membership_suspensions_lift_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Membership.objects.filter(
        status=Status.SUSPENDED, suspended_until__lte=now
    ).values_list("pk", flat=True)
    return sum(
        membership_suspension_lift(membership_id=pk, now=now) for pk in list(due)
    )


def _end(
    membership_id,
    actor,
    reason,
    *,
    to_status,
    action,
    subject,
    body,
    notify_member=True,
):
    reason = reason_clean(reason, required=True)
    space, membership = _decide(
        membership_id,
        actor,
        allowed=(
            (Status.ACTIVE, Status.SUSPENDED, Status.REQUESTED, Status.WAITLISTED)
            + (
                (Status.LEFT, Status.REMOVED, Status.DECLINED)
                if to_status == Status.BANNED
                else ()
            )
        ),
        message=_("This person can't be changed that way (they are %(status)s)."),
    )
    from_status = membership.status
    membership.status = to_status
    membership.offer_expires_at = None
    membership.suspended_until = None
    membership.waitlisted_at = None
    membership.save()
    event_record(
        membership, action=action, actor=actor, from_status=from_status, reason=reason
    )
    if notify_member:
        notify(
            membership,
            subject=subject % {"space": space.title},
            body=body % {"space": space.title} + f"\n\n{reason}",
        )
    membership_offer_next(space=space)
    return membership


@transaction.atomic
def membership_remove(
    *, membership_id: int, actor, reason: str, notify_member: bool = True
) -> Membership:
    """Remove someone from a space; they may ask to join again later.
    `notify_member=False` when the caller tells the member itself (a sanction)."""
    return _end(
        membership_id,
        actor,
        reason,
        to_status=Status.REMOVED,
        action=Action.REMOVED,
        subject=_("You've been removed from %(space)s"),
        body=_("A facilitator has removed you from %(space)s."),
        notify_member=notify_member,
    )


@transaction.atomic
def membership_reinstate(*, membership_id: int, actor, reason: str) -> Membership:
    """Undo a removal (an appeal overturned it): active again, with the date they
    first joined, even if the space has filled since, because the place was theirs.
    Recorded; the caller tells the member."""
    reason = reason_clean(reason, required=True)
    _space, membership = _decide(
        membership_id,
        actor,
        allowed=(Status.REMOVED,),
        message=_("Only a removed member can be reinstated (this one is %(status)s)."),
    )
    membership.status = Status.ACTIVE
    membership.save()
    event_record(
        membership,
        action=Action.REINSTATED,
        actor=actor,
        from_status=Status.REMOVED,
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_ban(*, membership_id: int, actor, reason: str) -> Membership:
    """Remove someone and stop them joining this space again."""
    return _end(
        membership_id,
        actor,
        reason,
        to_status=Status.BANNED,
        action=Action.BANNED,
        subject=_("You can no longer take part in %(space)s"),
        body=_("A facilitator has closed %(space)s to you."),
    )
