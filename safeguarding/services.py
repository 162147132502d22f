"""Concerns: raise, acknowledge, note, assign, record immediate-risk steps, break the
glass, close. Each is keyword-only and atomic, locks the rows it reads before it
writes, records who, what and when in the append-only `ConcernEvent`, and queues its
tasks only after commit.
"""

from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.models import User
from peer_support.errors import NotAllowed, ServiceError

from . import escalation
from .models import (
    OPEN_STATUSES,
    Concern,
    ConcernEvent,
    ConcernSource,
    ConcernStatus,
    Outcome,
    SeverityPolicy,
    Tier,
)
from .permissions import (
    may_act_on_concern,
    may_assign,
    may_be_owner,
    may_break_glass,
    may_raise_concern,
)
from .screening import Screening, screen
from .selectors import all_leads
from .severity import Severity

Kind = ConcernEvent.Kind
MAX_TEXT = 5000
MAX_SNAPSHOT = 20000


class ConcernError(ServiceError):
    """A request about a concern that cannot be done; `message` is for the person."""


class ChecklistStep:
    CONTACT_ATTEMPTED = "contact_attempted"
    EMERGENCY_CALLED = "emergency_called"
    EMERGENCY_NOT_CALLED = "emergency_not_called"
    OTHERS_TOLD = "others_told"

    LABELS = {
        CONTACT_ATTEMPTED: _("Contact with the member attempted"),
        EMERGENCY_CALLED: _("Emergency services called"),
        EMERGENCY_NOT_CALLED: _("Emergency services not called (say why)"),
        OTHERS_TOLD: _("Who else was told"),
    }


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _locked(concern_id: int) -> Concern:
    concern = Concern.objects.select_for_update(of=("self",)).filter(pk=concern_id)
    concern = concern.first()
    if concern is None:
        raise ConcernError(_("That concern does not exist."))
    return concern


def _event(concern, *, kind, actor=None, text="", at, **extra) -> ConcernEvent:
    return ConcernEvent.objects.create(
        concern=concern, kind=kind, actor=actor, text=text, at=at, **extra
    )


def _text(value: str, *, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ConcernError(_("Please write %(field)s.") % {"field": field})
    if len(value) > MAX_TEXT:
        raise ConcernError(
            _("Please keep %(field)s under %(n)s characters.")
            % {"field": field, "n": MAX_TEXT}
        )
    return value


def _open(concern: Concern) -> None:
    if not concern.is_open:
        raise ConcernError(_("This concern is closed."))


def _allowed(user, concern: Concern) -> None:
    if not may_act_on_concern(user, concern):
        raise NotAllowed(_("Only the concern's owner or a safeguarding lead may."))


# --- raising -------------------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *,
    member: User,
    severity: int,
    source: str,
    content: str = "",
    content_ref: str = "",
    space=None,
    raised_by: User | None = None,
    reasons=(),
    now: datetime | None = None,
) -> Concern:
    """Open a concern about `member`, or join the open one a recent signal opened.

    Routed at once (see `escalation`), with its deadlines set; notifications go after
    commit. Returns the concern (new or joined)."""
    now = _now(now)
    if source not in ConcernSource.values:
        raise ConcernError(_("Unknown source of concern."))
    try:
        severity = Severity(int(severity))
    except (TypeError, ValueError):
        raise ConcernError(_("Choose how serious this is.")) from None
    if severity == Severity.NONE:
        raise ConcernError(_("Choose how serious this is."))
    if source == ConcernSource.STAFF and not (
        raised_by is not None and may_raise_concern(raised_by)
    ):
        raise NotAllowed(_("Only peer workers and safeguarding leads raise concerns."))
    # One transaction at a time per member: two signals cannot both open a concern.
    User.objects.select_for_update().filter(pk=member.pk).first()
    policy = SeverityPolicy.load()
    content = (content or "")[:MAX_SNAPSHOT]
    recent = (
        Concern.objects.select_for_update(of=("self",))
        .filter(
            member=member,
            status__in=OPEN_STATUSES,
            last_signal_at__gte=now - policy.join_window(),
        )
        .order_by("-last_signal_at")
        .first()
    )
    if recent is not None:
        return _concern_join(
            recent,
            severity=severity,
            content=content,
            content_ref=content_ref,
            source=source,
            raised_by=raised_by,
            reasons=reasons,
            now=now,
        )
    concern = Concern(
        member=member,
        space=space,
        source=source,
        severity=severity,
        raised_by=raised_by,
        content_snapshot=content,
        content_ref=content_ref[:100],
        reasons=list(reasons),
        created_at=now,
        last_signal_at=now,
        due_by=now + policy.window(severity),
    )
    owner, recipients = escalation.first_routing(concern, now)
    concern.owner = owner
    concern.save()
    _event(
        concern,
        kind=Kind.RAISED,
        actor=raised_by,
        content_ref=concern.content_ref,
        at=now,
        text=_("Raised (%(source)s), severity %(severity)s.")
        % {"source": concern.get_source_display(), "severity": severity.label},
    )
    if owner is not None:
        _event(
            concern,
            kind=Kind.ASSIGNED,
            at=now,
            text=_("Given to %(owner)s (on duty).") % {"owner": owner.pseudonym},
        )
    escalation.notifications_create(
        concern, tier=Tier.FIRST, recipients=recipients, now=now
    )
    escalation.timers_queue(escalation.escalations_schedule(concern), now)
    return concern


def _concern_join(
    concern, *, severity, content, content_ref, source, raised_by, reasons, now
) -> Concern:
    concern.last_signal_at = now
    concern.reasons = list(concern.reasons) + list(reasons)
    _event(
        concern,
        kind=Kind.JOINED,
        actor=raised_by,
        content_ref=content_ref[:100],
        at=now,
        text=_("Another signal (%(source)s, %(severity)s): %(content)s")
        % {
            "source": ConcernSource(source).label,
            "severity": severity.label,
            "content": content or content_ref or "-",
        },
    )
    if severity > concern.severity:
        previous = Severity(concern.severity)
        concern.severity = severity
        _event(
            concern,
            kind=Kind.SEVERITY_RAISED,
            at=now,
            text=_("Severity raised from %(old)s to %(new)s.")
            % {"old": previous.label, "new": severity.label},
        )
        if concern.acknowledged_at is None:
            concern.due_by = min(
                concern.due_by, now + SeverityPolicy.load().window(severity)
            )
        concern.save()
        escalation.timers_queue(escalation.escalations_schedule(concern), now)
        owner, recipients = escalation.first_routing(concern, now)
        escalation.notifications_create(
            concern, tier=Tier.FIRST, recipients=recipients, now=now
        )
    else:
        concern.save()
    return concern


def worried_flag_raise(
    *, member: User, flagged_by: User, content: str, content_ref: str = "", space=None
) -> Concern:
    """A member's "I'm worried about this person": at least medium, higher if the
    words themselves screen higher."""
    screening = screen(content)
    return concern_raise(
        member=member,
        severity=max(Severity.MEDIUM, screening.severity),
        source=ConcernSource.FLAG,
        content=content,
        content_ref=content_ref,
        space=space,
        raised_by=flagged_by,
        reasons=[_("A member was worried about them."), *screening.reasons],
    )


# --- acting on a concern -------------------------------------------------------------


@transaction.atomic
def concern_acknowledge(
    *, concern_id: int, user: User, now: datetime | None = None
) -> Concern:
    now = _now(now)
    concern = _locked(concern_id)
    _allowed(user, concern)
    _open(concern)
    if concern.acknowledged_at is not None:
        raise ConcernError(_("This concern was already acknowledged."))
    concern.status = ConcernStatus.ACKNOWLEDGED
    concern.acknowledged_at = now
    if concern.owner_id is None:
        concern.owner = user
    concern.save()
    _event(concern, kind=Kind.ACKNOWLEDGED, actor=user, at=now)
    return concern


@transaction.atomic
def concern_note(
    *, concern_id: int, user: User, text: str, now: datetime | None = None
) -> ConcernEvent:
    now = _now(now)
    concern = _locked(concern_id)
    _allowed(user, concern)
    _open(concern)
    text = _text(text, field=_("a note"))
    if concern.status == ConcernStatus.ACKNOWLEDGED:
        concern.status = ConcernStatus.IN_PROGRESS
        concern.save(update_fields=["status"])
    return _event(concern, kind=Kind.NOTE, actor=user, text=text, at=now)


@transaction.atomic
def concern_assign(
    *, concern_id: int, user: User, owner: User, now: datetime | None = None
) -> Concern:
    now = _now(now)
    if not may_assign(user):
        raise NotAllowed(_("Only safeguarding leads assign concerns."))
    concern = _locked(concern_id)
    _open(concern)
    if not may_be_owner(owner):
        raise ConcernError(
            _("A concern can only go to a peer worker or a safeguarding lead.")
        )
    if concern.owner_id == owner.pk:
        raise ConcernError(_("This concern is already theirs."))
    concern.owner = owner
    concern.save(update_fields=["owner"])
    _event(
        concern,
        kind=Kind.ASSIGNED,
        actor=user,
        at=now,
        text=_("Given to %(owner)s.") % {"owner": owner.pseudonym},
    )
    escalation.notifications_create(
        concern, tier=Tier.FIRST, recipients=[owner], now=now
    )
    return concern


@transaction.atomic
def concern_close(
    *,
    concern_id: int,
    user: User,
    outcome: str,
    reason: str,
    now: datetime | None = None,
) -> Concern:
    now = _now(now)
    concern = _locked(concern_id)
    _allowed(user, concern)
    _open(concern)
    if outcome not in Outcome.values:
        raise ConcernError(_("Choose an outcome."))
    reason = _text(reason, field=_("the reason for closing"))
    concern.status = ConcernStatus.CLOSED
    concern.outcome = outcome
    concern.outcome_reason = reason
    concern.closed_at = now
    if concern.acknowledged_at is None:
        concern.acknowledged_at = now
    concern.save()
    _event(
        concern,
        kind=Kind.CLOSED,
        actor=user,
        at=now,
        text=f"{Outcome(outcome).label}: {reason}",
    )
    if concern.severity == Severity.IMMEDIATE:
        _event(
            concern,
            kind=Kind.DEBRIEF,
            at=now,
            text=_("A debrief with a safeguarding lead was offered to %(owner)s.")
            % {"owner": (concern.owner or user).pseudonym},
        )
    return concern


@transaction.atomic
def checklist_record(
    *,
    concern_id: int,
    user: User,
    step: str,
    detail: str = "",
    now: datetime | None = None,
) -> ConcernEvent:
    """One step of the immediate-risk checklist, with its time."""
    now = _now(now)
    concern = _locked(concern_id)
    _allowed(user, concern)
    _open(concern)
    if step not in ChecklistStep.LABELS:
        raise ConcernError(_("Choose a step of the checklist."))
    needs_detail = step in (
        ChecklistStep.EMERGENCY_NOT_CALLED,
        ChecklistStep.OTHERS_TOLD,
    )
    detail = _text(detail, field=_("the details"), required=needs_detail)
    if concern.status in (ConcernStatus.NEW, ConcernStatus.ESCALATED):
        concern.status = ConcernStatus.IN_PROGRESS
        concern.acknowledged_at = concern.acknowledged_at or now
        concern.save(update_fields=["status", "acknowledged_at"])
    return _event(
        concern,
        kind=Kind.CHECKLIST,
        actor=user,
        step=step,
        text=f"{ChecklistStep.LABELS[step]}. {detail}".strip(),
        at=now,
    )


@transaction.atomic
def glass_break(
    *, concern_id: int, user: User, reason: str, now: datetime | None = None
) -> dict:
    """A lead opens the member's contact details: a stated reason, an audit entry,
    and a notice to the other leads. Returns the details."""
    now = _now(now)
    if not may_break_glass(user):
        raise NotAllowed(_("Only safeguarding leads can open contact details."))
    concern = _locked(concern_id)
    reason = _text(reason, field=_("why you need the contact details"))
    _event(
        concern,
        kind=Kind.GLASS_BROKEN,
        actor=user,
        member_id=concern.member_id,
        text=reason,
        at=now,
    )
    from .tasks import glass_notice_task

    concern_id, lead_id = concern.pk, user.pk
    transaction.on_commit(
        lambda: escalation._safely(glass_notice_task.delay, concern_id, lead_id)
    )
    member = concern.member
    return {
        "email": member.email,
        "first_name": getattr(member, "first_name", ""),
        "last_name": getattr(member, "last_name", ""),
    }


def glass_notice_send(*, concern_id: int, lead_id: int) -> int:
    concern = Concern.objects.get(pk=concern_id)
    lead = User.objects.get(pk=lead_id)
    others = [u.email for u in all_leads().exclude(pk=lead_id) if u.email]
    if not others:
        return 0
    values = {
        "lead": lead.pseudonym,
        "reference": concern.reference,
        "link": escalation.concern_link(concern),
    }
    send_mail(
        _("Contact details opened for %(reference)s") % values,
        _(
            "%(lead)s opened the contact details of the member concerned in "
            "%(reference)s, giving a reason that is in the audit trail:\n%(link)s\n"
        )
        % values,
        None,
        others,
    )
    return len(others)


def concern_view_record(
    *, user: User, what: str, concern: Concern | None = None, member=None
) -> ConcernEvent:
    """Every look at safeguarding data leaves a trace."""
    return ConcernEvent.objects.create(
        concern=concern,
        member=member,
        actor=user,
        kind=Kind.VIEWED,
        text=what[:200],
        at=timezone.now(),
    )


@transaction.atomic
def safety_plan_save(*, member: User, what_helps: str, who_to_contact: str):
    from .models import SafetyPlan

    what_helps = _text(what_helps, field=_("what helps you"), required=False)
    who_to_contact = _text(who_to_contact, field=_("who to contact"), required=False)
    plan, _created = SafetyPlan.objects.update_or_create(
        member=member,
        defaults={"what_helps": what_helps, "who_to_contact": who_to_contact},
    )
    return plan


def content_screen(
    *, author: User, text: str, space=None, content_ref: str = ""
) -> Screening:
    """Screen what a member wrote (a post, an edit, a chat message, a pseudonym or
    profile text) and raise a concern about them when there is any risk. Returns the
    screening: the caller holds the content when `screening.held` (medium or more)
    and shows the author the support message."""
    screening = screen(text)
    screening_concern_raise(
        author=author,
        screening=screening,
        text=text,
        space=space,
        content_ref=content_ref,
    )
    return screening


def screening_concern_raise(
    *, author: User, screening: Screening, text: str, space=None, content_ref=""
) -> Concern | None:
    """Raise (or join) the concern a screening calls for, once the content it is
    about has been saved; None when the screening found no risk."""
    if screening.severity == Severity.NONE:
        return None
    return concern_raise(
        member=author,
        severity=screening.severity,
        source=ConcernSource.SCREENING,
        content=text,
        content_ref=content_ref,
        space=space,
        reasons=screening.reasons,
    )
