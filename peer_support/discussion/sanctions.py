"""Graduated sanctions, appeals and a member's record.

A moderator of a space gives feedback or a warning; someone who manages the space's
members suspends for some days (the spaces service `membership_suspend`, lifted by
beat) or removes (`membership_remove`). Each step is recorded append-only with who,
when, why and the ground rule cited, and the member is told privately through member
notices: one notice per sanction (the spaces services are asked not to send their
own). A member may appeal each sanction once; a moderator other than the one who
sanctioned decides it. Overturning a suspension lifts it at once; overturning a
removal reinstates the membership.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.audit import audit_record
from peer_support.errors import NotAllowed, ServiceError
from peer_support.spaces.models import Membership, MembershipStatus, SpacePage
from peer_support.spaces.permissions import MANAGE_MEMBERS, MODERATE, user_may
from peer_support.spaces.services import (
    membership_reinstate,
    membership_remove,
    membership_suspend,
    membership_suspension_lift,
)

from .models import (
    Appeal,
    AppealDecision,
    ModerationAction,
    Post,
    PostFlag,
    Sanction,
)
from .services import _notify

MAX_RULE_LENGTH = 200
MAX_TEXT_LENGTH = 2000
Kind = Sanction.Kind
Outcome = AppealDecision.Outcome


class SanctionError(ServiceError):
    """Bad input for a sanction or an appeal."""


def _text(value: str, *, empty: str, limit: int = MAX_TEXT_LENGTH) -> str:
    value = (value or "").strip()
    if not value:
        raise SanctionError(empty)
    if len(value) > limit:
        raise SanctionError(
            _("Please keep this under %(limit)d characters.") % {"limit": limit}
        )
    return value


def _require(actor, kind: str, space: SpacePage) -> None:
    if kind in (Kind.SUSPENSION, Kind.REMOVAL):
        if not user_may(actor, MANAGE_MEMBERS, space):
            raise NotAllowed(
                _("Only facilitators of this space suspend or remove its members.")
            )
    elif not user_may(actor, MODERATE, space):
        raise NotAllowed(_("Only peer workers covering this space moderate it."))


def _appeal_line(sanction: Sanction) -> str:
    return _("You may appeal this once, here: %(url)s") % {
        "url": reverse("discussion:appeal", args=[sanction.pk])
    }


# --- sanctions ---------------------------------------------------------------------


@transaction.atomic
def sanction_give(
    *,
    space_id: int,
    member_id: int,
    actor,
    kind: str,
    rule: str,
    reason: str,
    days: int | None = None,
    post_id: int | None = None,
) -> Sanction:
    """Give feedback, a warning, a suspension for `days`, or removal."""
    if kind not in Kind.values:
        raise SanctionError(_("Choose feedback, a warning, a suspension or removal."))
    space = SpacePage.objects.filter(pk=space_id).first()
    if space is None:
        raise SanctionError(_("This space no longer exists."))
    _require(actor, kind, space)
    rule = _text(
        rule, empty=_("Say which ground rule this is about."), limit=MAX_RULE_LENGTH
    )
    reason = _text(reason, empty=_("Please give a reason; the member will read it."))
    if member_id == getattr(actor, "pk", None):
        raise SanctionError(_("You can't sanction yourself."))
    membership = Membership.objects.filter(space=space, member_id=member_id).first()
    if membership is None:
        raise SanctionError(_("This person is not a member of this space."))
    if (
        post_id is not None
        and not Post.objects.filter(
            pk=post_id, user_id=member_id, thread_ref__space=space
        ).exists()
    ):
        raise SanctionError(_("That post is not this member's post in this space."))
    cited = f"{reason}\n\n" + _("Ground rule: %(rule)s") % {"rule": rule}
    pause = ""
    if kind == Kind.SUSPENSION:
        if days is None:
            raise SanctionError(_("Say how many days the suspension lasts."))
        # The spaces service checks the days, the status and the actor; a refusal
        # rolls back the whole step. The notice below is the member's only one.
        membership = membership_suspend(
            membership_id=membership.pk,
            actor=actor,
            reason=cited,
            days=days,
            notify_member=False,
        )
        pause = _("You can still read; you can post again after %(until)s.") % {
            "until": timezone.localtime(membership.suspended_until).strftime(
                "%d %B %Y %H:%M"
            )
        }
    elif kind == Kind.REMOVAL:
        days = None
        membership_remove(
            membership_id=membership.pk,
            actor=actor,
            reason=cited,
            notify_member=False,
        )
    else:
        days = None
    sanction = audit_record(
        Sanction,
        space=space,
        member_id=member_id,
        kind=kind,
        rule=rule,
        reason=reason,
        days=days,
        post_id=post_id,
        actor=actor,
    )
    subjects = {
        Kind.FEEDBACK: _("Some feedback from a peer worker"),
        Kind.WARNING: _("A warning from a peer worker"),
        Kind.SUSPENSION: _("About your pause in %(space)s"),
        Kind.REMOVAL: _("About your removal from %(space)s"),
    }
    _notify(
        member_id=member_id,
        space_id=space.pk,
        subject=subjects[kind] % {"space": space.title},
        body=_('In "%(space)s".') % {"space": space.title}
        + (f" {pause}" if pause else "")
        + "\n\n"
        + cited
        + "\n\n"
        + _appeal_line(sanction),
    )
    return sanction


# --- appeals -----------------------------------------------------------------------


@transaction.atomic
def appeal_submit(*, sanction_id: int, member, text: str) -> Appeal:
    """The member's one appeal against a sanction given to them."""
    sanction = (
        Sanction.objects.select_for_update()
        .filter(pk=sanction_id, member_id=member.pk)
        .first()
    )
    if sanction is None:
        raise NotAllowed(_("You can only appeal a decision about you."))
    text = _text(text, empty=_("Please write your appeal."))
    if Appeal.objects.filter(sanction=sanction).exists():
        raise SanctionError(_("You have already appealed this decision."))
    return audit_record(Appeal, sanction=sanction, text=text)


@transaction.atomic
def appeal_decide(*, appeal_id: int, moderator, outcome: str, reason: str):
    """Uphold or overturn, by a moderator other than the one who sanctioned.
    Overturning a suspension lifts it now."""
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("sanction", "sanction__space")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise SanctionError(_("This appeal no longer exists."))
    sanction = appeal.sanction
    _require(moderator, sanction.kind, sanction.space)
    if sanction.actor_id == moderator.pk:
        raise NotAllowed(
            _("Another moderator decides this appeal, not the one who sanctioned.")
        )
    if outcome not in Outcome.values:
        raise SanctionError(_("Choose whether the decision stands or is withdrawn."))
    reason = _text(reason, empty=_("Please give a reason; the member will read it."))
    if AppealDecision.objects.filter(appeal=appeal).exists():
        raise SanctionError(_("This appeal has already been decided."))
    decision = audit_record(
        AppealDecision,
        appeal=appeal,
        outcome=outcome,
        reason=reason,
        decided_by=moderator,
    )
    overturned = outcome == Outcome.OVERTURNED
    undone = {
        Kind.SUSPENSION: MembershipStatus.SUSPENDED,
        Kind.REMOVAL: MembershipStatus.REMOVED,
    }.get(sanction.kind)
    membership = (
        Membership.objects.filter(
            space_id=sanction.space_id, member_id=sanction.member_id, status=undone
        ).first()
        if overturned and undone
        else None
    )
    if membership is not None and sanction.kind == Kind.SUSPENSION:
        # Lifting "as at" the end of the pause ends it now.
        membership_suspension_lift(
            membership_id=membership.pk,
            now=membership.suspended_until,
            notify_member=False,
        )
    elif membership is not None:
        membership_reinstate(
            membership_id=membership.pk,
            actor=moderator,
            reason=_("Appeal accepted: %(reason)s") % {"reason": reason},
        )
    where = {"space": sanction.space.title}
    if overturned:
        subject = _("Your appeal was accepted")
        body = _(
            "A peer worker read your appeal about %(space)s and withdrew the decision."
        )
        if sanction.kind == Kind.SUSPENSION:
            body += " " + _("Your pause has ended; you can post again.")
        elif sanction.kind == Kind.REMOVAL:
            body += " " + _("You are a member again and can post as before.")
    else:
        subject = _("Your appeal was decided")
        body = _("A peer worker read your appeal about %(space)s; the decision stands.")
    _notify(
        member_id=sanction.member_id,
        space_id=sanction.space_id,
        subject=subject,
        body=body % where + "\n\n" + _("Why: %(reason)s") % {"reason": reason},
    )
    return decision


# --- selectors ---------------------------------------------------------------------


def member_sanctions(*, member) -> list[Sanction]:
    """A member's own sanctions with their appeals, newest first."""
    return list(
        Sanction.objects.filter(member_id=member.pk)
        .select_related("space", "appeal", "appeal__decision")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class RecordEntry:
    at: datetime
    kind: str  # sanction, appeal, decision, action, flag
    label: str
    detail: str
    by: object  # a user, or None (the system, or a reporter kept from the member)
    item: object


RECORD_ACTIONS = (
    ModerationAction.Kind.HELD,
    ModerationAction.Kind.AUTO_HIDDEN,
    ModerationAction.Kind.HIDDEN,
    ModerationAction.Kind.REMOVED,
    ModerationAction.Kind.WARNED,
    ModerationAction.Kind.HOSTILE_OVERRIDE,
)


def member_record(*, space: SpacePage, member) -> list[RecordEntry]:
    """Everything moderators need about one member in one space, in time order:
    sanctions and their appeals, warnings, hides and removals of their posts, holds
    and flags received. Three queries, however long the record."""
    entries: list[RecordEntry] = []
    sanctions = Sanction.objects.filter(
        space=space, member_id=member.pk
    ).select_related(
        "actor", "appeal", "appeal__decision", "appeal__decision__decided_by"
    )
    for sanction in sanctions:
        label = sanction.get_kind_display()
        if sanction.days:
            label = _("%(kind)s for %(days)d days") % {
                "kind": label,
                "days": sanction.days,
            }
        entries.append(
            RecordEntry(
                sanction.created_at,
                "sanction",
                label,
                f"{sanction.rule}: {sanction.reason}",
                sanction.actor,
                sanction,
            )
        )
        appeal = getattr(sanction, "appeal", None)
        if appeal is None:
            continue
        entries.append(
            RecordEntry(
                appeal.created_at, "appeal", _("Appeal"), appeal.text, member, appeal
            )
        )
        decision = getattr(appeal, "decision", None)
        if decision is not None:
            entries.append(
                RecordEntry(
                    decision.created_at,
                    "decision",
                    decision.get_outcome_display(),
                    decision.reason,
                    decision.decided_by,
                    decision,
                )
            )
    actions = ModerationAction.objects.filter(
        thread__space=space, post__user_id=member.pk, kind__in=RECORD_ACTIONS
    ).select_related("actor", "thread")
    for action in actions:
        entries.append(
            RecordEntry(
                action.created_at,
                "action",
                action.get_kind_display(),
                action.reason,
                action.actor,
                action,
            )
        )
    flags = PostFlag.objects.filter(
        post__thread_ref__space=space, post__user_id=member.pk
    ).select_related("reporter")
    for flag in flags:
        entries.append(
            RecordEntry(
                flag.created_at,
                "flag",
                _("Flag: %(reason)s") % {"reason": flag.get_reason_display()},
                flag.note,
                flag.reporter,
                flag,
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries


def appeals_waiting(*, user):
    """Undecided appeals this person may decide (not their own sanctions)."""
    from .selectors import spaces_moderated_by

    return (
        Appeal.objects.filter(
            decision__isnull=True,
            sanction__space__in=spaces_moderated_by(user=user).values("pk"),
        )
        .exclude(sanction__actor_id=user.pk)
        .select_related("sanction", "sanction__space", "sanction__member")
        .order_by("created_at", "pk")
    )
