"""Swaps, cover and drops: a worker offers, another accepts, a coordinator approves
when the rota rules say so.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.accounts.models import User

from ..errors import RotaError
from ..models import (
    AssignmentStatus,
    ShiftAssignment,
    ShiftEvent,
    SwapKind,
    SwapRequest,
    SwapStatus,
)
from ..rules import (
    REFUSE,
    Problem,
    rota_rules,
    worker_is_eligible,
    worker_shift_problems,
)
from .common import (
    _PENDING,
    _check_changeable,
    _lock_shift,
    _lock_swap,
    _release,
    event_record,
)


@transaction.atomic
def swap_offer(*, shift_id: int, worker: User, kind: str, reason: str = ""):
    if kind not in SwapKind.values:
        raise RotaError(_("Choose swap, cover or drop."))
    rules = rota_rules()
    shift = _lock_shift(shift_id)
    _check_changeable(shift, rules)
    if shift.start <= timezone.now():
        raise RotaError(_("This shift has already started."))
    if not shift.assignments.filter(
        worker=worker, status=AssignmentStatus.ACTIVE
    ).exists():
        raise RotaError(_("You can only offer a shift you are on."))
    if SwapRequest.objects.filter(
        shift=shift, offered_by=worker, status__in=_PENDING
    ).exists():
        raise RotaError(_("You have already offered this shift."))
    swap = SwapRequest.objects.create(
        shift=shift, offered_by=worker, kind=kind, reason=reason
    )
    event_record(
        shift=shift,
        actor=worker,
        action=ShiftEvent.Action.OFFERED,
        worker=worker,
        detail=kind,
        reason=reason,
    )
    if kind == SwapKind.DROP:
        if rules.swaps_need_approval:
            swap.status = SwapStatus.AWAITING_APPROVAL
            swap.save(update_fields=["status"])
        else:
            _swap_apply(swap, actor=worker)
    return swap


@transaction.atomic
def swap_accept(
    *, swap_id: int, worker: User, their_shift_id: int | None = None
) -> SwapRequest:
    """Another eligible worker takes the offer. The swap row lock means only one
    acceptance wins; the other is told the offer was taken."""
    rules = rota_rules()
    swap = _lock_swap(swap_id)
    if swap.status != SwapStatus.OPEN:
        raise RotaError(_("Sorry, this offer has already been taken or closed."))
    if swap.kind == SwapKind.DROP:
        raise RotaError(_("A dropped shift is claimed from the open shifts instead."))
    if swap.offered_by_id == worker.pk:
        raise RotaError(_("You cannot accept your own offer."))
    ids = [swap.shift_id]
    if swap.kind == SwapKind.SWAP:
        if their_shift_id is None:
            raise RotaError(_("Choose one of your shifts to swap in return."))
        ids.append(their_shift_id)
    locked = {pk: _lock_shift(pk) for pk in sorted(ids)}
    shift = locked[swap.shift_id]
    _check_changeable(shift, rules)
    if not worker_is_eligible(worker=worker, shift=shift):
        raise RotaError(_("You are not eligible for this shift."))
    if shift.assignments.filter(worker=worker, status=AssignmentStatus.ACTIVE).exists():
        raise RotaError(_("You already have this shift."))
    ignore = []
    if swap.kind == SwapKind.SWAP:
        theirs = locked[their_shift_id]
        _check_changeable(theirs, rules)
        if not theirs.assignments.filter(
            worker=worker, status=AssignmentStatus.ACTIVE
        ).exists():
            raise RotaError(_("You can only swap a shift you are on."))
        if not worker_is_eligible(worker=swap.offered_by, shift=theirs):
            raise RotaError(_("The other worker is not eligible for your shift."))
        swap.swap_shift = theirs
        ignore = [theirs.pk]
    problems = [
        p
        for p in worker_shift_problems(
            worker=worker, shift=shift, rules=rules, ignore_shift_ids=ignore
        )
        if p.code != "outside_availability"
    ]
    if problems:
        raise RotaError([Problem(p.code, REFUSE, p.message) for p in problems])
    swap.accepted_by = worker
    swap.status = SwapStatus.AWAITING_APPROVAL
    swap.save(update_fields=["accepted_by", "swap_shift", "status"])
    event_record(
        shift=shift,
        actor=worker,
        action=ShiftEvent.Action.ACCEPTED,
        worker=worker,
        detail=swap.kind,
    )
    if not rules.swaps_need_approval:
        _swap_apply(swap, actor=worker)
    return swap


def _swap_apply(swap: SwapRequest, *, actor: User) -> None:
    mine = ShiftAssignment.objects.select_for_update().get(
        shift_id=swap.shift_id, worker=swap.offered_by, status=AssignmentStatus.ACTIVE
    )
    _release(mine)
    if swap.kind in (SwapKind.COVER, SwapKind.SWAP):
        ShiftAssignment.objects.create(
            shift_id=swap.shift_id, worker=swap.accepted_by, assigned_by=actor
        )
    if swap.kind == SwapKind.SWAP:
        theirs = ShiftAssignment.objects.select_for_update().get(
            shift_id=swap.swap_shift_id,
            worker=swap.accepted_by,
            status=AssignmentStatus.ACTIVE,
        )
        _release(theirs)
        ShiftAssignment.objects.create(
            shift_id=swap.swap_shift_id, worker=swap.offered_by, assigned_by=actor
        )
        event_record(
            shift=swap.swap_shift,
            actor=actor,
            action=ShiftEvent.Action.ASSIGNED,
            worker=swap.offered_by,
            detail=_("swap"),
        )
    swap.status = SwapStatus.DONE
    swap.save(update_fields=["status"])
    event_record(
        shift=swap.shift,
        actor=actor,
        action=ShiftEvent.Action.UNASSIGNED,
        worker=swap.offered_by,
        detail=swap.kind,
    )
    if swap.accepted_by_id:
        event_record(
            shift=swap.shift,
            actor=actor,
            action=ShiftEvent.Action.ASSIGNED,
            worker=swap.accepted_by,
            detail=swap.kind,
        )


@transaction.atomic
def swap_approve(*, swap_id: int, actor: User, reason: str = "") -> SwapRequest:
    swap = _lock_swap(swap_id)
    if swap.status != SwapStatus.AWAITING_APPROVAL:
        raise RotaError(_("Only an offer awaiting approval can be approved."))
    ids = sorted({swap.shift_id, swap.swap_shift_id} - {None})
    for pk in ids:
        _check_changeable(_lock_shift(pk), rota_rules())
    swap.decided_by, swap.decided_at = actor, timezone.now()
    swap.save(update_fields=["decided_by", "decided_at"])
    event_record(
        shift=swap.shift,
        actor=actor,
        action=ShiftEvent.Action.APPROVED,
        worker=swap.offered_by,
        reason=reason,
    )
    _swap_apply(swap, actor=actor)
    return swap


@transaction.atomic
def swap_decline(*, swap_id: int, actor: User, reason: str) -> SwapRequest:
    if not reason.strip():
        raise RotaError(_("Please say why the request is declined."))
    swap = _lock_swap(swap_id)
    if swap.status not in _PENDING:
        raise RotaError(_("This offer is already closed."))
    swap.status = SwapStatus.DECLINED
    swap.decided_by, swap.decided_at = actor, timezone.now()
    swap.save(update_fields=["status", "decided_by", "decided_at"])
    event_record(
        shift=swap.shift,
        actor=actor,
        action=ShiftEvent.Action.DECLINED,
        worker=swap.offered_by,
        reason=reason,
    )
    return swap


@transaction.atomic
def swap_withdraw(*, swap_id: int, worker: User) -> SwapRequest:
    swap = _lock_swap(swap_id)
    if swap.offered_by_id != worker.pk:
        raise RotaError(_("Only the worker who offered it can withdraw it."))
    if swap.status not in _PENDING:
        raise RotaError(_("This offer is already closed."))
    swap.status = SwapStatus.WITHDRAWN
    swap.save(update_fields=["status"])
    event_record(
        shift=swap.shift,
        actor=worker,
        action=ShiftEvent.Action.WITHDRAWN,
        worker=worker,
    )
    return swap
