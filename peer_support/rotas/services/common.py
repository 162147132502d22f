"""Helpers the rota services share: the history record and the row locks.

Read-then-write sequences lock the shift row (`select_for_update`) so that two people
acting at once cannot both take the last place; locks are taken in shift id order when
two shifts are involved (swaps).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.audit import audit_record

from ..errors import NeedsConfirmation, RotaError
from ..models import (
    AssignmentStatus,
    RotaRules,
    Shift,
    ShiftAssignment,
    ShiftEvent,
    ShiftStatus,
    SwapRequest,
    SwapStatus,
)
from ..rules import (
    REFUSE,
    Problem,
    shift_is_locked,
)


def event_record(
    *, shift: Shift, actor, action: str, worker=None, detail: str = "", reason=""
) -> ShiftEvent:
    return audit_record(
        ShiftEvent,
        shift=shift,
        actor=actor,
        action=action,
        worker=worker,
        detail=detail,
        reason=reason or "",
    )


def _refusal_or_confirm(problems: list[Problem], *, confirmed: bool) -> None:
    refusals = [p for p in problems if p.level == REFUSE]
    if refusals:
        raise RotaError(refusals)
    if problems and not confirmed:
        raise NeedsConfirmation(problems)


def _lock_shift(shift_id: int) -> Shift:
    try:
        return Shift.objects.select_for_update().get(pk=shift_id)
    except Shift.DoesNotExist as error:
        raise RotaError(_("That shift no longer exists.")) from error


def _active_count(shift: Shift) -> int:
    return shift.assignments.filter(status=AssignmentStatus.ACTIVE).count()


def _check_changeable(shift: Shift, rules: RotaRules) -> None:
    if shift.status != ShiftStatus.SCHEDULED:
        raise RotaError(_("This shift has been cancelled."))
    if shift_is_locked(shift=shift, rules=rules):
        raise RotaError(_("This shift is locked: it ended too long ago to change."))


def _release(assignment: ShiftAssignment) -> None:
    assignment.status = AssignmentStatus.RELEASED
    assignment.released_at = timezone.now()
    assignment.save(update_fields=["status", "released_at"])


_PENDING = [SwapStatus.OPEN, SwapStatus.AWAITING_APPROVAL]


def _lock_swap(swap_id: int) -> SwapRequest:
    try:
        return SwapRequest.objects.select_for_update().get(pk=swap_id)
    except SwapRequest.DoesNotExist as error:
        raise RotaError(_("That offer no longer exists.")) from error
