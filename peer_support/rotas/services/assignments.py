"""Creating shifts and putting workers on and off them.

Assignment checks return `Problem`s with a level from `RotaRules`: a refusal stops
the change; a warning stops a coordinator's assignment until they confirm it. A worker
claiming for themselves is refused on warnings too (the coordinator decides over-hours
and short rest), except being outside their own availability windows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.models import User

from ..errors import RotaError
from ..models import (
    AssignmentStatus,
    RoleNeeded,
    Shift,
    ShiftAssignment,
    ShiftEvent,
    ShiftStatus,
)
from ..rules import (
    REFUSE,
    Problem,
    rota_rules,
    worker_is_eligible,
    worker_shift_problems,
)
from .common import (
    _active_count,
    _check_changeable,
    _lock_shift,
    _refusal_or_confirm,
    _release,
    event_record,
)


@transaction.atomic
def shift_create(
    *,
    actor: User | None,
    duty: str,
    start: datetime,
    end: datetime,
    space=None,
    role_needed: str = RoleNeeded.PEER_WORKER,
    min_workers: int = 1,
    max_workers: int = 1,
    for_session: bool = False,
    reason: str = "",
) -> Shift:
    shift = Shift(
        space=space,
        duty=duty,
        start=start,
        end=end,
        role_needed=role_needed,
        min_workers=min_workers,
        max_workers=max_workers,
        for_session=for_session,
        created_by=actor,
    )
    shift.full_clean()
    shift.save()
    event_record(
        shift=shift, actor=actor, action=ShiftEvent.Action.CREATED, reason=reason
    )
    return shift


@transaction.atomic
def shift_update(*, shift_id: int, actor: User, changes: dict, reason: str = ""):
    shift = _lock_shift(shift_id)
    _check_changeable(shift, rota_rules())
    described = []
    for field, value in changes.items():
        if getattr(shift, field) != value:
            described.append(f"{field}: {getattr(shift, field)} -> {value}")
            setattr(shift, field, value)
    if not described:
        return shift
    shift.full_clean()
    if shift.max_workers < _active_count(shift):
        raise RotaError(_("More workers are assigned than the new maximum."))
    shift.save()
    event_record(
        shift=shift,
        actor=actor,
        action=ShiftEvent.Action.UPDATED,
        detail="; ".join(described),
        reason=reason,
    )
    return shift


@transaction.atomic
def shift_cancel(*, shift_id: int, actor: User, reason: str) -> Shift:
    if not reason.strip():
        raise RotaError(_("Please say why the shift is cancelled."))
    shift = _lock_shift(shift_id)
    _check_changeable(shift, rota_rules())
    shift.status = ShiftStatus.CANCELLED
    shift.save(update_fields=["status"])
    event_record(
        shift=shift, actor=actor, action=ShiftEvent.Action.CANCELLED, reason=reason
    )
    return shift


@transaction.atomic
def shift_claim(*, shift_id: int, worker: User) -> ShiftAssignment:
    """First come, first served: the shift row lock makes concurrent claims queue,
    so exactly one wins the last place."""
    rules = rota_rules()
    shift = _lock_shift(shift_id)
    _check_changeable(shift, rules)
    if shift.start <= timezone.now():
        raise RotaError(_("This shift has already started."))
    if not worker_is_eligible(worker=worker, shift=shift):
        raise RotaError(
            _("You are not eligible for this shift (role or current training).")
        )
    if shift.assignments.filter(worker=worker, status=AssignmentStatus.ACTIVE).exists():
        raise RotaError(_("You already have this shift."))
    if _active_count(shift) >= shift.max_workers:
        raise RotaError(_("Sorry, someone else took the last place on this shift."))
    problems = [
        p
        for p in worker_shift_problems(worker=worker, shift=shift, rules=rules)
        if p.code != "outside_availability"
    ]
    if problems:
        raise RotaError([Problem(p.code, REFUSE, p.message) for p in problems])
    assignment = ShiftAssignment.objects.create(
        shift=shift, worker=worker, assigned_by=worker
    )
    event_record(
        shift=shift, actor=worker, action=ShiftEvent.Action.CLAIMED, worker=worker
    )
    return assignment


@dataclass(frozen=True)
class AssignResult:
    assignment: ShiftAssignment
    warnings: list[Problem]


@transaction.atomic
def shift_assign(
    *,
    shift_id: int,
    worker: User,
    actor: User,
    confirm_warnings: bool = False,
    reason: str = "",
) -> AssignResult:
    rules = rota_rules()
    shift = _lock_shift(shift_id)
    _check_changeable(shift, rules)
    problems = []
    if not worker_is_eligible(worker=worker, shift=shift):
        problems.append(
            Problem(
                "ineligible",
                REFUSE,
                _("The worker is not eligible (role or current training)."),
            )
        )
    if shift.assignments.filter(worker=worker, status=AssignmentStatus.ACTIVE).exists():
        problems.append(Problem("already", REFUSE, _("The worker already has it.")))
    if _active_count(shift) >= shift.max_workers:
        problems.append(Problem("full", REFUSE, _("The shift is already full.")))
    problems += worker_shift_problems(worker=worker, shift=shift, rules=rules)
    _refusal_or_confirm(problems, confirmed=confirm_warnings)
    assignment = ShiftAssignment.objects.create(
        shift=shift, worker=worker, assigned_by=actor
    )
    event_record(
        shift=shift,
        actor=actor,
        action=ShiftEvent.Action.ASSIGNED,
        worker=worker,
        detail="; ".join(f"confirmed warning: {p.message}" for p in problems),
        reason=reason,
    )
    return AssignResult(assignment=assignment, warnings=problems)


@transaction.atomic
def shift_unassign(*, assignment_id: int, actor: User, reason: str) -> None:
    if not reason.strip():
        raise RotaError(_("Please say why the worker comes off the shift."))
    assignment = ShiftAssignment.objects.select_related("shift").get(pk=assignment_id)
    shift = _lock_shift(assignment.shift_id)
    _check_changeable(shift, rota_rules())
    _release(assignment)
    event_record(
        shift=shift,
        actor=actor,
        action=ShiftEvent.Action.UNASSIGNED,
        worker=assignment.worker,
        reason=reason,
    )
