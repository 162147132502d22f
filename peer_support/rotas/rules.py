"""Read-only rota rules: eligibility, availability and what stands against a worker
taking a shift. Services call them before they write; selectors call them to list only
what a worker may take. Nothing here writes, so both sides import it freely.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support import timeutils
from peer_support.accounts.models import User
from peer_support.accounts.roles import role_names as roles_of

from .models import (
    DUTY_REQUIREMENTS,
    AssignmentStatus,
    Availability,
    AvailabilityException,
    RotaRules,
    RuleLevel,
    Shift,
    ShiftStatus,
    WorkerQualification,
)

REFUSE = RuleLevel.REFUSE
WARN = RuleLevel.WARN


@dataclass(frozen=True)
class Problem:
    code: str
    level: str
    message: str


def rota_rules() -> RotaRules:
    return RotaRules.load()


def worker_is_eligible(*, worker: User, shift: Shift, role_names=None, quals=None):
    """Role and current qualifications for the shift's duty. `role_names` and
    `quals` may be passed in (already fetched) so listings stay at fixed queries."""
    if role_names is None:
        role_names = roles_of(worker)
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
