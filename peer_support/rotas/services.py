"""Rota rules. Views, admin, tasks and tests call these; none hold a rule itself.

Every change to a shift writes a `ShiftEvent` (who, when, what, why). Read-then-write
sequences lock the shift row (`select_for_update`) so that two people acting at once
cannot both take the last place; locks are taken in shift id order when two shifts
are involved (swaps).

Assignment checks return `Problem`s with a level from `RotaRules`: a refusal stops
the change; a warning stops a coordinator's assignment until they confirm it. A worker
claiming for themselves is refused on warnings too (the coordinator decides over-hours
and short rest), except being outside their own availability windows.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support import timeutils
from peer_support.accounts.models import User
from peer_support.audit import audit_record

from .models import (
    DUTY_REQUIREMENTS,
    AssignmentStatus,
    Availability,
    AvailabilityException,
    CalendarToken,
    Duty,
    ExceptionKind,
    RoleNeeded,
    RotaRules,
    RuleLevel,
    Shift,
    ShiftAssignment,
    ShiftEvent,
    ShiftPattern,
    ShiftStatus,
    SwapKind,
    SwapRequest,
    SwapStatus,
    WorkerQualification,
    token_new,
)

REFUSE = RuleLevel.REFUSE
WARN = RuleLevel.WARN


@dataclass(frozen=True)
class Problem:
    code: str
    level: str
    message: str


class RotaError(ValidationError):
    """A change the rota refuses, with the problems that decided it."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("refused", REFUSE, problems)]
        self.problems = problems
        super().__init__([p.message for p in problems])


class NeedsConfirmation(RotaError):
    """Only warnings: the coordinator may confirm and go ahead."""


def rota_rules() -> RotaRules:
    return RotaRules.load()


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


# Eligibility and checks ------------------------------------------------------------


def worker_is_eligible(*, worker: User, shift: Shift, role_names=None, quals=None):
    """Role and current qualifications for the shift's duty. `role_names` and
    `quals` may be passed in (already fetched) so listings stay at fixed queries."""
    if role_names is None:
        role_names = set(worker.groups.values_list("name", flat=True))
    if shift.role_needed not in role_names:
        return False
    needed = DUTY_REQUIREMENTS.get(shift.duty, [])
    if not needed:
        return True
    if quals is None:
        quals = list(WorkerQualification.objects.filter(worker=worker))
    day = timeutils.to_local(shift.end).date()
    have = {q.kind for q in quals if q.valid_on(day)}
    return all(kind in have for kind in needed)


def shift_is_locked(*, shift: Shift, rules: RotaRules, now: datetime | None = None):
    now = now or timezone.now()
    return shift.locked_at is not None or shift.end <= now - timedelta(
        days=rules.lock_after_days
    )


def _level(value: str) -> str | None:
    return None if value == RuleLevel.OFF else value


def worker_shift_problems(
    *, worker: User, shift: Shift, rules: RotaRules, ignore_shift_ids=()
) -> list[Problem]:
    """What stands against `worker` working `shift`, beside eligibility and places."""
    problems = []
    theirs = list(
        Shift.objects.filter(
            assignments__worker=worker,
            assignments__status=AssignmentStatus.ACTIVE,
            status=ShiftStatus.SCHEDULED,
            start__lt=shift.end + timedelta(days=8),
            end__gt=shift.start - timedelta(days=8),
        )
        .exclude(pk=shift.pk)
        .exclude(pk__in=ignore_shift_ids)
        .distinct()
    )
    if level := _level(rules.overlap_rule):
        if any(s.start < shift.end and s.end > shift.start for s in theirs):
            problems.append(
                Problem(
                    "overlap",
                    level,
                    _("This overlaps another shift the worker already has."),
                )
            )
    if level := _level(rules.rest_rule):
        rest = timedelta(hours=rules.min_rest_hours)
        for other in theirs:
            gap = max(shift.start - other.end, other.start - shift.end)
            if timedelta(0) <= gap < rest:
                problems.append(
                    Problem(
                        "rest",
                        level,
                        _("Less than %(hours)s hours of rest between shifts.")
                        % {"hours": rules.min_rest_hours},
                    )
                )
                break
    if level := _level(rules.weekly_hours_rule):
        week = timeutils.local_week_start(shift.start)
        hours = shift.hours + sum(
            s.hours for s in theirs if timeutils.local_week_start(s.start) == week
        )
        if hours > rules.max_weekly_hours:
            problems.append(
                Problem(
                    "weekly_hours",
                    level,
                    _(
                        "That week would be %(hours).1f hours, above the %(max)s hours "
                        "maximum."
                    )
                    % {"hours": hours, "max": rules.max_weekly_hours},
                )
            )
    if level := _level(rules.unavailable_rule):
        days = timeutils.local_days(shift.start, shift.end)
        if AvailabilityException.objects.filter(
            worker=worker, start_date__lte=days[-1], end_date__gte=days[0]
        ).exists():
            problems.append(
                Problem("on_leave", level, _("The worker is on leave or unavailable."))
            )
        elif not availability_covers(worker=worker, start=shift.start, end=shift.end):
            problems.append(
                Problem(
                    "outside_availability",
                    level,
                    _("The shift is outside the worker's availability."),
                )
            )
    return problems


def availability_covers(*, worker: User, start: datetime, end: datetime) -> bool:
    """True when the worker has declared no windows (no preference) or the shift
    lies within their weekly windows, day by day in local time."""
    windows = list(Availability.objects.filter(worker=worker))
    if not windows:
        return True
    local_start, local_end = timeutils.to_local(start), timeutils.to_local(end)

    def minutes(value: time) -> int:
        return value.hour * 60 + value.minute

    for day in timeutils.local_days(start, end):
        need_from = minutes(local_start.time()) if day == local_start.date() else 0
        need_to = minutes(local_end.time()) if day == local_end.date() else 1440
        covered = need_from
        for window in sorted(
            (w for w in windows if w.weekday == day.weekday()),
            key=lambda w: w.start_time,
        ):
            window_end = (
                1440 if window.end_time == time(0) else minutes(window.end_time)
            )
            if minutes(window.start_time) <= covered < window_end:
                covered = window_end
        if covered < need_to:
            return False
    return True


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


# Shifts ---------------------------------------------------------------------------


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


def _release(assignment: ShiftAssignment) -> None:
    assignment.status = AssignmentStatus.RELEASED
    assignment.released_at = timezone.now()
    assignment.save(update_fields=["status", "released_at"])


# Swaps, cover and drops --------------------------------------------------------------


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


_PENDING = [SwapStatus.OPEN, SwapStatus.AWAITING_APPROVAL]


def _lock_swap(swap_id: int) -> SwapRequest:
    try:
        return SwapRequest.objects.select_for_update().get(pk=swap_id)
    except SwapRequest.DoesNotExist as error:
        raise RotaError(_("That offer no longer exists.")) from error


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


# Availability ----------------------------------------------------------------------


@transaction.atomic
def availability_set(*, worker: User, windows: list[tuple[int, time, time]]):
    """Replace the worker's weekly windows."""
    rows = [
        Availability(worker=worker, weekday=day, start_time=start, end_time=end)
        for day, start, end in windows
    ]
    for row in rows:
        if not (0 <= row.weekday <= 6):
            raise RotaError(_("Choose a day of the week."))
        if row.end_time != time(0) and row.end_time <= row.start_time:
            raise RotaError(_("A window must end after it starts."))
    Availability.objects.filter(worker=worker).delete()
    Availability.objects.bulk_create(rows)
    return rows


@transaction.atomic
def availability_window_add(*, worker: User, weekday: int, start: time, end: time):
    current = [
        (w.weekday, w.start_time, w.end_time)
        for w in Availability.objects.filter(worker=worker)
    ]
    availability_set(worker=worker, windows=current + [(weekday, start, end)])


@transaction.atomic
def availability_window_remove(*, worker: User, window_id: int) -> None:
    Availability.objects.filter(worker=worker, pk=window_id).delete()


@transaction.atomic
def availability_exception_add(
    *,
    worker: User,
    start_date: date,
    end_date: date,
    kind=ExceptionKind.LEAVE,
    note: str = "",
) -> AvailabilityException:
    exception = AvailabilityException(
        worker=worker, start_date=start_date, end_date=end_date, kind=kind, note=note
    )
    if end_date < start_date:
        raise RotaError(_("The last day cannot be before the first day."))
    exception.full_clean()
    exception.save()
    return exception


@transaction.atomic
def availability_exception_remove(*, worker: User, exception_id: int) -> None:
    AvailabilityException.objects.filter(worker=worker, pk=exception_id).delete()


# Patterns and locking ----------------------------------------------------------------


@transaction.atomic
def pattern_generate(
    *, pattern_id: int, weeks: int, actor: User | None, start_date: date | None = None
) -> list[Shift]:
    """Shifts for the next `weeks` weeks in local time; existing ones are skipped
    (unique on pattern and start), so running it again creates nothing new."""
    if not 1 <= weeks <= 52:
        raise RotaError(_("Choose between 1 and 52 weeks."))
    pattern = ShiftPattern.objects.select_for_update().get(pk=pattern_id)
    if not pattern.active:
        raise RotaError(_("This pattern is paused."))
    first = start_date or timeutils.to_local(timezone.now()).date()
    first += timedelta(days=(pattern.weekday - first.weekday()) % 7)
    existing = set(pattern.shifts.values_list("start", flat=True))
    created = []
    for week in range(weeks):
        start, end = timeutils.local_span(
            first + timedelta(weeks=week), pattern.start_time, pattern.duration_minutes
        )
        if start in existing:
            continue
        shift = Shift(
            space=pattern.space,
            duty=pattern.duty,
            start=start,
            end=end,
            role_needed=pattern.role_needed,
            min_workers=pattern.min_workers,
            max_workers=pattern.max_workers,
            pattern=pattern,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                shift.save()
        except IntegrityError:
            continue  # made by a generator running at the same moment
        event_record(
            shift=shift,
            actor=actor,
            action=ShiftEvent.Action.CREATED,
            detail=_("from pattern %(name)s") % {"name": pattern.name},
        )
        created.append(shift)
    return created


@transaction.atomic
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


# Safe staffing ---------------------------------------------------------------------


@transaction.atomic
def session_gap_offer(
    *, space, start: datetime, end: datetime, duty: str, actor: User | None
) -> Shift:
    """Offer the missing facilitator or safeguarding lead for a session as an open
    shift. Offering the same gap twice returns the shift already offered."""
    role = (
        RoleNeeded.SAFEGUARDING_LEAD
        if duty == Duty.SAFEGUARDING
        else RoleNeeded.PEER_WORKER
    )
    existing = Shift.objects.filter(
        space=space, duty=duty, start=start, for_session=True
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return shift_create(
                actor=actor,
                space=space,
                duty=duty,
                start=start,
                end=end,
                role_needed=role,
                for_session=True,
                reason=_("Safe staffing: session without cover"),
            )
    except IntegrityError:
        return Shift.objects.get(space=space, duty=duty, start=start, for_session=True)


# Calendar tokens, reminders and notices ------------------------------------------


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
    from peer_support.accounts.roles import ROTA_COORDINATOR

    from .selectors import coverage

    now = now or timezone.now()
    report = coverage(start=now, end=now + timedelta(hours=hours))
    gaps = report.understaffed
    if not gaps and not report.at_risk:
        return 0
    lines = [
        _("%(shift)s: %(have)s of %(need)s workers")
        % {"shift": str(row.shift), "have": row.workers, "need": row.shift.min_workers}
        for row in gaps
    ] + [_("At risk: %(what)s") % {"what": str(item)} for item in report.at_risk]
    emails = list(
        User.objects.filter(groups__name=ROTA_COORDINATOR, is_active=True)
        .values_list("email", flat=True)
        .distinct()
    )
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
