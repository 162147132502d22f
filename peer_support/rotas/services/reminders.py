"""Locking past shifts, calendar links, reminders and gap notices."""

from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support import timeutils
from peer_support.accounts.models import User

from ..models import (
    AssignmentStatus,
    CalendarToken,
    Shift,
    ShiftAssignment,
    ShiftEvent,
    ShiftStatus,
    token_new,
)
from ..permissions import coordinators
from ..rules import (
    rota_rules,
)
from .common import (
    event_record,
)


def shifts_lock_past(*, now: datetime | None = None) -> int:
    rules = rota_rules()
    now = now or timezone.now()
    due = list(
        Shift.objects.select_for_update().filter(
            locked_at__isnull=True, end__lte=now - timedelta(days=rules.lock_after_days)
        )
    )
    for shift in due:
        shift.locked_at = now
        shift.save(update_fields=["locked_at"])
        event_record(shift=shift, actor=None, action=ShiftEvent.Action.LOCKED)
    return len(due)


@transaction.atomic
def calendar_token_renew(*, worker: User) -> CalendarToken:
    token, _created = CalendarToken.objects.select_for_update().get_or_create(
        worker=worker
    )
    if not _created:
        token.token = token_new()
        token.revoked_at = None
        token.save(update_fields=["token", "revoked_at"])
    return token


@transaction.atomic
def calendar_token_revoke(*, worker: User) -> None:
    CalendarToken.objects.filter(worker=worker, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def assignment_remind(*, assignment_id: int) -> bool:
    """Send the reminder once; running again (a retried task) sends nothing."""
    assignment = (
        ShiftAssignment.objects.select_for_update(of=("self",))
        .select_related("shift", "worker", "shift__space")
        .get(pk=assignment_id)
    )
    shift = assignment.shift
    if (
        assignment.reminded_at is not None
        or assignment.status != AssignmentStatus.ACTIVE
        or shift.status != ShiftStatus.SCHEDULED
        or shift.start <= timezone.now()
    ):
        return False
    local = timeutils.to_local(shift.start)
    send_mail(
        _("Reminder: your shift on %(when)s") % {"when": f"{local:%a %d %b %H:%M}"},
        _("Hello %(name)s,\n\nA reminder that you are on the rota: %(shift)s.\n")
        % {"name": assignment.worker.pseudonym, "shift": str(shift)},
        None,
        [assignment.worker.email],
    )
    assignment.reminded_at = timezone.now()
    assignment.save(update_fields=["reminded_at"])
    event_record(
        shift=shift,
        actor=None,
        action=ShiftEvent.Action.REMINDED,
        worker=assignment.worker,
    )
    return True


def gaps_notify(*, now: datetime | None = None, hours: int = 72) -> int:
    """Tell rota coordinators which shifts in the next `hours` are short of workers."""
    from ..selectors import coverage, spaces_attach

    now = now or timezone.now()
    report = coverage(start=now, end=now + timedelta(hours=hours))
    gaps = report.understaffed
    spaces_attach(gaps)
    if not gaps and not report.at_risk:
        return 0
    lines = [
        _("%(shift)s: %(have)s of %(need)s workers")
        % {"shift": str(row.shift), "have": row.workers, "need": row.shift.min_workers}
        for row in gaps
    ] + [_("At risk: %(what)s") % {"what": str(item)} for item in report.at_risk]
    emails = list(coordinators().values_list("email", flat=True))
    if emails:
        send_mail(
            _("Rota gaps in the next %(hours)s hours") % {"hours": hours},
            "\n".join(lines),
            None,
            emails,
        )
    return len(lines)


def due_reminders(*, now: datetime | None = None) -> list[int]:
    rules = rota_rules()
    now = now or timezone.now()
    return list(
        ShiftAssignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            reminded_at__isnull=True,
            shift__status=ShiftStatus.SCHEDULED,
            shift__start__gt=now,
            shift__start__lte=now + timedelta(hours=rules.reminder_lead_hours),
        ).values_list("pk", flat=True)
    )
