"""Rules for who belongs to a space and on what terms.

Every service that can fill a place locks the space row first (`select_for_update`),
so the count of places and the professional caps are read and written by one
transaction at a time. Every change to a membership writes a `MembershipEvent`; every
decision a facilitator makes about a person sends them a private notice.
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.roles import PROFESSIONAL, has_role
from peer_support.audit import audit_record

from .models import (
    PLACE_HOLDING_STATUSES,
    EligibilityAnswer,
    EligibilityQuestion,
    JoinPolicy,
    MemberNotice,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SpaceInvite,
    SpacePage,
    SpaceRole,
)
from .permissions import MANAGE_MEMBERS, user_may
from .selectors import current_rules_revision_id, space_balance
from .tasks import expire_offer_task, send_notice_email_task

Action = MembershipEvent.Action
Status = MembershipStatus

MAX_REASON_LENGTH = 2000
MAX_SUSPENSION_DAYS = 365


class MembershipError(Exception):
    """A request about membership that cannot be done; `message` is for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SpaceFull(MembershipError):
    """No place (or no place for this role) right now; the waiting list is open."""


# --- helpers -----------------------------------------------------------------------


def _space_locked(space_id: int) -> SpacePage:
    """Lock the space row: capacity and caps are decided one transaction at a time."""
    return SpacePage.objects.select_for_update(of=("self",)).get(pk=space_id)


def _membership_locked(membership_id: int) -> Membership:
    return Membership.objects.select_for_update(of=("self",)).get(pk=membership_id)


def _event(membership, *, action, actor=None, from_status="", reason=""):
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


def _notify(membership: Membership, *, subject: str, body: str) -> MemberNotice:
    notice = MemberNotice.objects.create(
        member_id=membership.member_id,
        space_id=membership.space_id,
        subject=subject,
        body=body,
    )
    transaction.on_commit(lambda: send_notice_email_task.delay(notice.pk))
    return notice


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise MembershipError(_("Please give a reason; the member will read it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise MembershipError(_("Please keep the reason under 2000 characters."))
    return reason


def _require_manager(actor, space: SpacePage) -> None:
    if not user_may(actor, MANAGE_MEMBERS, space):
        raise PermissionError("Only facilitators of this space manage its members.")


def _role_for(member, *, as_professional: bool) -> str:
    if not as_professional:
        return SpaceRole.MEMBER
    if not has_role(member, PROFESSIONAL):
        raise MembershipError(
            _("Only accounts registered as professionals can join as a professional.")
        )
    return SpaceRole.PROFESSIONAL


def _room_for(space: SpacePage, role: str) -> str | None:
    """None when there is a place for this role now; otherwise why not."""
    balance = space_balance(space=space)
    if balance.places_left == 0:
        return _("This space is full at the moment.")
    if role == SpaceRole.PROFESSIONAL and balance.professional_places_left == 0:
        return _(
            "To keep the balance of voices, this space has as many professionals as "
            "it can take right now."
        )
    return None


def _space_refusal(space: SpacePage, role: str) -> None:
    """Ask the page type (a course, say) whether it takes anyone just now."""
    if space.specific_class is not SpacePage:
        refusal = space.specific.join_refusal(role=role)
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


def _rules_record(membership: Membership, *, rules_accepted: bool) -> None:
    current = current_rules_revision_id(space=membership.space)
    if current is None:
        return
    if not rules_accepted:
        raise MembershipError(_("Please read and accept the ground rules first."))
    membership.rules_revision_id = current
    membership.rules_accepted_at = timezone.now()


def _consent_record(membership: Membership, *, consent: bool | None) -> None:
    """Course enrolment passes `consent`; groups pass None (not asked)."""
    if consent is None:
        return
    if not consent:
        raise MembershipError(_("Please give your consent to enrol."))
    membership.consent_given_at = timezone.now()


def _activate(membership: Membership, *, action, actor=None, reason=""):
    from_status = membership.status if membership.pk else ""
    membership.status = Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.offer_expires_at = None
    membership.waitlisted_at = None
    membership.save()
    _event(
        membership, action=action, actor=actor, from_status=from_status, reason=reason
    )
    return membership


def _waitlist(membership: Membership, *, actor=None, reason=""):
    from_status = membership.status if membership.pk else ""
    membership.status = Status.WAITLISTED
    membership.waitlisted_at = timezone.now()
    membership.offer_expires_at = None
    membership.save()
    _event(
        membership,
        action=Action.WAITLISTED,
        actor=actor,
        from_status=from_status,
        reason=reason,
    )
    return membership


# --- joining -----------------------------------------------------------------------


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
    space = _space_locked(space_id)
    role = _role_for(member, as_professional=as_professional)
    _space_refusal(space, role)
    invite = None
    if space.join_policy == JoinPolicy.INVITE:
        invite = _invite_locked(space, invite_code)
    elif space.join_policy != JoinPolicy.OPEN:
        raise MembershipError(_("This space does not take members that way."))
    membership = _membership_for_joining(space, member)
    membership.role = role
    _rules_record(membership, rules_accepted=rules_accepted)
    _consent_record(membership, consent=consent)
    refusal = _room_for(space, role)
    if refusal and not waitlist:
        raise SpaceFull(refusal)
    if invite is not None:
        invite.used_by = member
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_by", "used_at"])
    if refusal:
        return _waitlist(membership, actor=member)
    return _activate(membership, action=Action.JOINED, actor=member)


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
    space = _space_locked(space_id)
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
    _rules_record(membership, rules_accepted=rules_accepted)
    _consent_record(membership, consent=consent)
    refusal = _room_for(space, role) if role == SpaceRole.PROFESSIONAL else None
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
    _event(
        membership,
        action=Action.WAITLISTED if refusal else Action.REQUESTED,
        actor=member,
        from_status=from_status,
    )
    return membership


@transaction.atomic
def membership_approve(*, membership_id: int, actor, reason: str = "") -> Membership:
    """Let a requester in. With no place for their role, the facilitator is told and
    nothing changes (they may put the person on the waiting list instead)."""
    membership = Membership.objects.get(pk=membership_id)
    space = _space_locked(membership.space_id)
    _require_manager(actor, space)
    membership = _membership_locked(membership_id)
    reason = _reason_clean(reason, required=False)
    if membership.status != Status.REQUESTED:
        raise MembershipError(
            _("This person is no longer asking to join (now: %(status)s).")
            % {"status": membership.get_status_display()}
        )
    refusal = _room_for(space, membership.role)
    if refusal:
        raise SpaceFull(refusal)
    _activate(membership, action=Action.APPROVED, actor=actor, reason=reason)
    _notify(
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
    space = _space_locked(membership.space_id)
    _require_manager(actor, space)
    membership = _membership_locked(membership_id)
    if membership.status != Status.REQUESTED:
        raise MembershipError(_("Only a pending request can go on the waiting list."))
    _waitlist(membership, actor=actor, reason=_reason_clean(reason, required=False))
    _notify(
        membership,
        subject=_("You're on the waiting list for %(space)s") % {"space": space.title},
        body=_("We'll offer you a place in %(space)s as soon as one is free.")
        % {"space": space.title},
    )
    membership_offer_next(space=space)
    return membership


# --- the waiting list --------------------------------------------------------------


def membership_offer_next(*, space: SpacePage) -> list[Membership]:
    """Offer free places to the waiting list, first come first offered, skipping a
    professional the caps cannot take yet. The caller holds the space lock."""
    offered = []
    waiting = Membership.objects.filter(
        space=space, status=Status.WAITLISTED, offer_expires_at__isnull=True
    ).order_by("waitlisted_at", "pk")
    for membership in waiting:
        balance = space_balance(space=space)
        if balance.places_left == 0:
            break
        if (
            membership.role == SpaceRole.PROFESSIONAL
            and balance.professional_places_left == 0
        ):
            continue
        membership.offer_expires_at = timezone.now() + timedelta(
            days=space.offer_days_or_default()
        )
        membership.save(update_fields=["offer_expires_at", "updated_at"])
        _event(membership, action=Action.OFFERED, from_status=Status.WAITLISTED)
        _notify(
            membership,
            subject=_("A place is free in %(space)s") % {"space": space.title},
            body=_(
                "A place is free for you in %(space)s. Accept it on the space's page "
                "within %(days)s days; after that it goes to the next person."
            )
            % {"space": space.title, "days": space.offer_days_or_default()},
        )
        expires = membership.offer_expires_at
        transaction.on_commit(
            lambda pk=membership.pk, eta=expires: expire_offer_task.apply_async(
                (pk,), eta=eta
            )
        )
        offered.append(membership)
    return offered


@transaction.atomic
def membership_offer_accept(
    *,
    membership_id: int,
    member,
    rules_accepted: bool = False,
    consent: bool | None = None,
) -> Membership:
    membership = Membership.objects.get(pk=membership_id, member=member)
    _space_locked(membership.space_id)
    membership = _membership_locked(membership_id)
    if (
        membership.status != Status.WAITLISTED
        or membership.offer_expires_at is None
        or membership.offer_expires_at <= timezone.now()
    ):
        raise MembershipError(_("There is no place waiting for you to accept."))
    _rules_record(membership, rules_accepted=rules_accepted)
    _consent_record(membership, consent=consent)
    return _activate(membership, action=Action.OFFER_ACCEPTED, actor=member)


@transaction.atomic
def membership_offer_expire(*, membership_id: int, now: datetime | None = None) -> bool:
    """Close an offer nobody took and offer the place on. Safe to run twice or early:
    it does nothing unless the offer is still open and past its time."""
    now = now or timezone.now()
    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        return False
    space = _space_locked(membership.space_id)
    membership = _membership_locked(membership_id)
    if (
        membership.status != Status.WAITLISTED
        or membership.offer_expires_at is None
        or membership.offer_expires_at > now
    ):
        return False
    membership.status = Status.LEFT
    membership.offer_expires_at = None
    membership.waitlisted_at = None
    membership.save()
    _event(membership, action=Action.OFFER_EXPIRED, from_status=Status.WAITLISTED)
    _notify(
        membership,
        subject=_("Your offer of a place in %(space)s has ended")
        % {"space": space.title},
        body=_(
            "The place we offered you in %(space)s has gone to the next person. You "
            "are welcome to join the waiting list again whenever it suits you."
        )
        % {"space": space.title},
    )
    membership_offer_next(space=space)
    return True


def membership_offers_expire_due(*, now: datetime | None = None) -> int:
    """The sweep behind the per-offer timers: expire every offer past its time."""
    now = now or timezone.now()
    due = Membership.objects.filter(
        status=Status.WAITLISTED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    return sum(membership_offer_expire(membership_id=pk, now=now) for pk in list(due))


# --- leaving, ground rules -----------------------------------------------------------


@transaction.atomic
def membership_leave(*, membership_id: int, member) -> Membership:
    """Leave at any time: a member, a requester or someone on the waiting list. Past
    posts stay under the member's pseudonym."""
    membership = Membership.objects.get(pk=membership_id, member=member)
    space = _space_locked(membership.space_id)
    membership = _membership_locked(membership_id)
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
    _event(membership, action=Action.LEFT, actor=member, from_status=from_status)
    membership_offer_next(space=space)
    return membership


@transaction.atomic
def membership_rules_accept(*, membership_id: int, member) -> Membership:
    membership = _membership_locked(membership_id)
    if membership.member_id != member.pk:
        raise PermissionError("Members accept the ground rules for themselves.")
    _rules_record(membership, rules_accepted=True)
    membership.save(update_fields=["rules_revision", "rules_accepted_at", "updated_at"])
    _event(
        membership,
        action=Action.RULES_ACCEPTED,
        actor=member,
        from_status=membership.status,
    )
    return membership


# --- facilitator decisions ---------------------------------------------------------


def _decide(membership_id: int, actor, *, allowed: tuple, message: str):
    membership = Membership.objects.get(pk=membership_id)
    space = _space_locked(membership.space_id)
    _require_manager(actor, space)
    membership = _membership_locked(membership_id)
    if membership.status not in allowed:
        raise MembershipError(
            message % {"status": membership.get_status_display().lower()}
        )
    return space, membership


@transaction.atomic
def membership_decline(*, membership_id: int, actor, reason: str) -> Membership:
    reason = _reason_clean(reason, required=True)
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
    _event(
        membership,
        action=Action.DECLINED,
        actor=actor,
        from_status=from_status,
        reason=reason,
    )
    _notify(
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
    *, membership_id: int, actor, reason: str, days: int
) -> Membership:
    """Pause a member for a number of days; a periodic task lifts it."""
    reason = _reason_clean(reason, required=True)
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
    _event(
        membership,
        action=Action.SUSPENDED,
        actor=actor,
        from_status=Status.ACTIVE,
        reason=f"{reason} ({days} days)",
    )
    _notify(
        membership,
        subject=_("A pause in %(space)s") % {"space": space.title},
        body=_(
            "A facilitator has paused your membership of %(space)s until %(until)s. "
            "You can still read; you can post again after that."
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
    *, membership_id: int, now: datetime | None = None
) -> bool:
    """Lift a suspension whose time is up; safe to run twice."""
    now = now or timezone.now()
    membership = _membership_locked(membership_id)
    if (
        membership.status != Status.SUSPENDED
        or membership.suspended_until is None
        or membership.suspended_until > now
    ):
        return False
    membership.status = Status.ACTIVE
    membership.suspended_until = None
    membership.save()
    _event(membership, action=Action.SUSPENSION_LIFTED, from_status=Status.SUSPENDED)
    _notify(
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


def _end(membership_id, actor, reason, *, to_status, action, subject, body):
    reason = _reason_clean(reason, required=True)
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
    _event(
        membership, action=action, actor=actor, from_status=from_status, reason=reason
    )
    _notify(
        membership,
        subject=subject % {"space": space.title},
        body=body % {"space": space.title} + f"\n\n{reason}",
    )
    membership_offer_next(space=space)
    return membership


@transaction.atomic
def membership_remove(*, membership_id: int, actor, reason: str) -> Membership:
    """Remove someone from a space; they may ask to join again later."""
    return _end(
        membership_id,
        actor,
        reason,
        to_status=Status.REMOVED,
        action=Action.REMOVED,
        subject=_("You've been removed from %(space)s"),
        body=_("A facilitator has removed you from %(space)s."),
    )


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


# --- invites -----------------------------------------------------------------------


@transaction.atomic
def invite_create(*, space_id: int, actor, days_valid: int = 14) -> SpaceInvite:
    space = SpacePage.objects.get(pk=space_id)
    _require_manager(actor, space)
    if not 1 <= days_valid <= 90:
        raise MembershipError(_("An invite lasts between 1 and 90 days."))
    return SpaceInvite.objects.create(
        space=space,
        code=secrets.token_urlsafe(12),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days_valid),
    )


def _invite_locked(space: SpacePage, code: str) -> SpaceInvite:
    invite = (
        SpaceInvite.objects.select_for_update()
        .filter(code=(code or "").strip())
        .first()
    )
    if invite is None or invite.space_id != space.pk:
        raise MembershipError(_("That invite code isn't valid for this space."))
    if invite.used_at is not None:
        raise MembershipError(_("That invite code has already been used."))
    if invite.expires_at <= timezone.now():
        raise MembershipError(
            _("That invite code has expired; please ask a facilitator for a new one.")
        )
    return invite


@transaction.atomic
def notice_mark_read(*, notice_id: int, member) -> None:
    MemberNotice.objects.filter(pk=notice_id, member=member, read_at=None).update(
        read_at=timezone.now()
    )
