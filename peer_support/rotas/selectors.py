"""Reads about the rota. `on_duty` is the one answer to "who is on duty"."""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import accumulate
from operator import attrgetter
from typing import NamedTuple

from django.apps import apps
from django.db.models import (
    Count,
    F,
    Min,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from peer_support import timeutils
from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER
from peer_support.accounts.roles import role_names as roles_of
from peer_support.spaces.models import SpaceSession

from .models import (
    AssignmentStatus,
    Duty,
    Shift,
    ShiftAssignment,
    ShiftStatus,
    SwapRequest,
    SwapStatus,
    WorkerQualification,
)
from .rules import rota_rules, worker_is_eligible

ACTIVE = Q(assignments__status=AssignmentStatus.ACTIVE)


def _covering(*, space=None, duty=None, at: datetime):
    shifts = Shift.objects.filter(
        status=ShiftStatus.SCHEDULED, start__lte=at, end__gt=at
    )
    if space is not None:
        shifts = shifts.filter(space=space)
    if duty is not None:
        shifts = shifts.filter(duty=duty)
    return shifts


def _working(shifts) -> QuerySet[User]:
    return User.objects.filter(
        shift_assignments__status=AssignmentStatus.ACTIVE,
        shift_assignments__shift__in=shifts,
        is_active=True,
    ).distinct()


def on_duty(*, space=None, duty=None, at: datetime | None = None) -> QuerySet[User]:
    """Workers whose active shift covers `at` (default now), for a space, a duty,
    or (neither given) anywhere on the rota."""
    return _working(_covering(space=space, duty=duty, at=at or timezone.now()))


def reading_discussion(*, space, at: datetime | None = None) -> QuerySet[User]:
    """Workers reading a space's discussion at `at` (default now): its own cover, or
    the moderation duty, which reads every discussion."""
    shifts = _covering(at=at or timezone.now()).filter(
        Q(space=space) | Q(duty=Duty.MODERATION)
    )
    return _working(shifts)


def next_cover(*, space=None, duty=None, at: datetime | None = None) -> datetime | None:
    """When a peer worker is next around (for a space, a duty, or anywhere): `at`
    itself if someone is on duty now, else the start of the next staffed shift, else
    None."""
    at = at or timezone.now()
    shifts = Shift.objects.filter(status=ShiftStatus.SCHEDULED, end__gt=at).filter(
        assignments__status=AssignmentStatus.ACTIVE
    )
    if space is not None:
        shifts = shifts.filter(space=space)
    if duty is not None:
        shifts = shifts.filter(duty=duty)
    first = shifts.order_by("start").values_list("start", flat=True).first()
    if first is None:
        return None
    return max(first, at)


@dataclass(frozen=True)
class Cover:
    """Whether a kind of cover is on now, or when it next is (None: not on the
    rota)."""

    now: bool
    next: datetime | None


@dataclass(frozen=True)
class PeerCover:
    """The two kinds of cover the public pages speak of, kept apart so they never
    contradict each other: the moderation duty that reads every discussion, and (on
    a space's page) the cover for that space."""

    discussions: Cover
    space: Cover | None = None


def _cover(first: datetime | None, *, at: datetime) -> Cover:
    when = None if first is None else max(first, at)
    return Cover(now=when is not None and when <= at, next=when)


def peer_cover(*, space=None, at: datetime | None = None) -> PeerCover:
    """What the home page and every space page say about peer workers being around,
    naming no one. Every page says the same about the discussions (the moderation
    duty); a space's page adds its own cover. One query: `next_cover` for each."""
    at = at or timezone.now()
    starts = {"discussions": Min("start", filter=Q(duty=Duty.MODERATION))}
    if space is not None:
        starts["space"] = Min("start", filter=Q(space=space))
    firsts = (
        Shift.objects.filter(status=ShiftStatus.SCHEDULED, end__gt=at)
        .filter(assignments__status=AssignmentStatus.ACTIVE)
        .aggregate(**starts)
    )
    return PeerCover(
        discussions=_cover(firsts["discussions"], at=at),
        space=None if space is None else _cover(firsts["space"], at=at),
    )


def next_cover_change(*, at: datetime | None = None) -> datetime | None:
    """The next instant after `at` when what `peer_cover` says may change by the
    clock alone: the next start or end of a scheduled shift (None: no shift ahead).
    Pages that say it are cached no longer than this (`peer_site.page_cache`)."""
    at = at or timezone.now()
    bounds = Shift.objects.filter(status=ShiftStatus.SCHEDULED, end__gt=at).aggregate(
        start=Min("start", filter=Q(start__gt=at)), end=Min("end")
    )
    return min((when for when in bounds.values() if when is not None), default=None)


@dataclass
class ShiftRow:
    shift: Shift
    workers: int
    worker_names: list[str] = field(default_factory=list)

    @property
    def understaffed(self) -> bool:
        return self.workers < self.shift.min_workers

    @property
    def places_left(self) -> int:
        return max(self.shift.max_workers - self.workers, 0)


@dataclass(frozen=True)
class SpaceRef:
    """A space by id and title: enough to name it and offer its gaps, without
    building its page."""

    pk: int
    title: str


class AtRiskSession(NamedTuple):
    """A session missing cover; a named tuple, as a report can hold thousands."""

    space: SpaceRef
    start: datetime
    end: datetime
    title: str
    missing: tuple[str, ...]  # duties without cover

    def __str__(self):
        local = timeutils.to_local(self.start)
        title = f"{self.space.title}: {self.title}" if self.title else self.space.title
        return f"{title}, {local:%a %d %b %H:%M}"


@dataclass(frozen=True)
class WorkerRef:
    """A worker by id and pseudonym: all the coverage report shows of them."""

    pk: int
    pseudonym: str


@dataclass
class Coverage:
    start: datetime
    end: datetime
    rows: list[ShiftRow]
    over_hours: list[tuple[WorkerRef, object, float]]  # worker, week start, hours
    at_risk: list[AtRiskSession]

    @property
    def understaffed(self) -> list[ShiftRow]:
        return [row for row in self.rows if row.understaffed]

    @property
    def duties_uncovered(self) -> list[ShiftRow]:
        return [
            row
            for row in self.rows
            if row.shift.duty != Duty.SPACE_COVER and row.workers == 0
        ]


def _weeks_touched(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """From the local Monday 00:00 of `start`'s week to the one after `end`'s."""
    first = timeutils.local_week_start(start)
    last = timeutils.local_week_start(end - timedelta(microseconds=1))
    return (
        timeutils.local_instant(first, time(0)),
        timeutils.local_instant(last + timedelta(weeks=1), time(0)),
    )


def coverage(*, start: datetime, end: datetime, with_sessions: bool = True) -> Coverage:
    """Under-staffed shifts, duties with no one, workers over their weekly hours
    and sessions at risk between `start` and `end`, in a fixed number of queries.
    Weekly hours count whole local weeks, so a period that starts or ends mid-week
    still sees a worker's hours earlier or later that week. The rows' shifts come
    without their spaces: `spaces_attach` the ones shown.
    Assignments are read as plain rows: a report over weeks holds thousands of
    them, and model objects would cost more than the rest of the report."""
    rules = rota_rules()
    in_period = Q(status=ShiftStatus.SCHEDULED, start__lt=end, end__gt=start)
    shifts = list(Shift.objects.filter(in_period))
    weeks_from, weeks_to = _weeks_touched(start, end)
    staff = defaultdict(list)
    hours = defaultdict(float)
    refs = {}  # one WorkerRef per worker, however many shifts they have
    for shift_id, worker_id, pseudonym, begins, ends in (
        ShiftAssignment.objects.filter(
            Q(shift__start__gte=weeks_from, shift__start__lt=weeks_to)
            | Q(shift__start__lt=end, shift__end__gt=start),
            status=AssignmentStatus.ACTIVE,
            shift__status=ShiftStatus.SCHEDULED,
        )
        .order_by("pk")
        .values_list(
            "shift_id", "worker_id", "worker__pseudonym", "shift__start", "shift__end"
        )
    ):
        worker = refs.get(worker_id)
        if worker is None:
            worker = refs[worker_id] = WorkerRef(pk=worker_id, pseudonym=pseudonym)
        if begins < end and ends > start:
            staff[shift_id].append(worker)
        if weeks_from <= begins < weeks_to:
            week = timeutils.local_week_start(begins)
            hours[(worker, week)] += timeutils.elapsed(begins, ends).total_seconds()
    rows = []
    for s in shifts:
        workers = staff.get(s.pk, ())
        rows.append(
            ShiftRow(
                shift=s,
                workers=len(workers),
                worker_names=[w.pseudonym for w in workers],
            )
        )
    over = sorted(
        (
            (worker, week, seconds / 3600)
            for (worker, week), seconds in hours.items()
            if seconds / 3600 > rules.max_weekly_hours
        ),
        key=lambda item: (item[1], item[0].pseudonym),
    )
    at_risk = (
        sessions_at_risk(
            start=start, end=end, staffed=[s for s in shifts if s.pk in staff]
        )
        if with_sessions
        else []
    )
    return Coverage(start=start, end=end, rows=rows, over_hours=over, at_risk=at_risk)


def spaces_attach(rows: list[ShiftRow]) -> None:
    """The spaces of the rows' shifts, in one query, for the rows shown or sent."""
    prefetch_related_objects([row.shift for row in rows], "space")


class _Windows:
    """Staffed (start, end) windows, answering "does one of them cover the whole of
    this span?" by bisection rather than a scan of every window."""

    def __init__(self, windows: list[tuple[datetime, datetime]]):
        windows = sorted(windows)
        self.starts = [start for start, _ in windows]
        # reach[i]: the latest end among the windows starting no later than starts[i]
        self.reach = list(accumulate((end for _, end in windows), max))

    def cover(self, start: datetime, end: datetime) -> bool:
        i = bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end


def space_sessions_between(*, start: datetime, end: datetime) -> list[SpaceSession]:
    """Every meeting of every live space between `start` and `end`: one read per
    kind of space that meets, however many spaces there are."""
    from peer_support.spaces.models import SpacePage

    return [
        session
        for model in apps.get_models()
        # A kind that only inherits the method is already read with its parent.
        if issubclass(model, SpacePage) and "live_sessions_between" in vars(model)
        for session in model.live_sessions_between(start, end)
    ]


def sessions_at_risk(*, start: datetime, end: datetime, staffed: list[Shift]):
    """Sessions without a staffed facilitator (space cover) shift and a staffed
    safeguarding-lead shift covering the whole session. `staffed`: the shifts with
    at least one active worker."""
    # Staffed windows by (duty, space id), so each session checks only the shifts
    # that could cover it rather than every shift in the period.
    spans = defaultdict(list)
    for shift in staffed:
        spans[(shift.duty, shift.space_id)].append((shift.start, shift.end))
    nowhere = _Windows([])
    windows = defaultdict(lambda: nowhere)
    windows.update((key, _Windows(found)) for key, found in spans.items())
    space_cover, safeguarding = Duty.SPACE_COVER, Duty.SAFEGUARDING
    safeguarding_anywhere = windows[(safeguarding, None)]

    at_risk = []
    spaces = {}  # one SpaceRef per space, however many of its sessions are at risk
    for space_id, space_title, begins, ends, title in space_sessions_between(
        start=start, end=end
    ):
        missing = ()
        if not windows[(space_cover, space_id)].cover(begins, ends):
            missing = (space_cover,)
        if not (
            safeguarding_anywhere.cover(begins, ends)
            or windows[(safeguarding, space_id)].cover(begins, ends)
        ):
            missing += (safeguarding,)
        if missing:
            space = spaces.get(space_id)
            if space is None:
                space = spaces[space_id] = SpaceRef(pk=space_id, title=space_title)
            at_risk.append(AtRiskSession(space, begins, ends, title, missing))
    at_risk.sort(key=attrgetter("start"))
    return at_risk


@dataclass
class FairnessRow:
    worker: User
    hours: float = 0.0
    shifts: int = 0
    nights: int = 0
    weekends: int = 0
    concerns_handled: int = 0

    @property
    def pseudonym(self) -> str:
        return self.worker.pseudonym


def fairness(
    *, end: datetime | None = None, weeks: int = 4, workers=None
) -> list[FairnessRow]:
    """Hours, night and weekend shifts per peer worker over the last `weeks` weeks,
    peer workers only (a safeguarding lead's on-call shifts are not counted here).
    `workers` narrows it to one page of them. Concerns handled: safeguarding
    concerns each acknowledged, worked on or closed (a count only)."""
    from safeguarding.selectors import concerns_handled_counts

    end = end or timezone.now()
    start = end - timedelta(weeks=weeks)
    if workers is None:
        workers = (
            User.objects.filter(groups__name=PEER_WORKER, is_active=True)
            .distinct()
            .order_by("pseudonym")
        )
    rows = {w.pk: FairnessRow(worker=w) for w in workers}
    assignments = ShiftAssignment.objects.filter(
        worker_id__in=list(rows),
        status=AssignmentStatus.ACTIVE,
        shift__status=ShiftStatus.SCHEDULED,
        shift__start__gte=start,
        shift__start__lt=end,
    ).select_related("shift")
    for a in assignments:
        row = rows[a.worker_id]
        row.hours += a.shift.hours
        row.shifts += 1
        row.nights += timeutils.is_night(a.shift.start, a.shift.end)
        row.weekends += timeutils.is_weekend(a.shift.start)
    for worker_id, count in concerns_handled_counts(start=start, end=end).items():
        if worker_id in rows:
            rows[worker_id].concerns_handled = count
    for row in rows.values():
        row.hours = round(row.hours, 1)
    return list(rows.values())


def workers_eligible_for(*, shift: Shift) -> QuerySet[User]:
    """Active workers the rules allow on `shift` (its role and current training),
    for the coordinator's assign drop-down."""
    candidates = list(
        User.objects.filter(groups__name=shift.role_needed, is_active=True)
        .distinct()
        .prefetch_related("qualifications")
    )
    eligible = [
        worker.pk
        for worker in candidates
        if worker_is_eligible(
            worker=worker,
            shift=shift,
            role_names={shift.role_needed},
            quals=list(worker.qualifications.all()),
        )
    ]
    return User.objects.filter(pk__in=eligible).order_by("pseudonym")


def my_shifts(*, worker: User, now: datetime | None = None):
    """The worker's own shifts to come and their last 20, with their spaces
    (prefetched, not joined: a few spaces serve many shifts, most have none)."""
    now = now or timezone.now()
    mine = (
        Shift.objects.filter(
            assignments__worker=worker, assignments__status=AssignmentStatus.ACTIVE
        )
        .prefetch_related("space")
        .distinct()
    )
    upcoming = list(
        mine.filter(end__gt=now, status=ShiftStatus.SCHEDULED).order_by("start")
    )
    past = list(mine.filter(end__lte=now).order_by("-start")[:20])
    return upcoming, past


@dataclass
class MyRota:
    on_now: list[Shift]  # started, not ended: worked now, cannot be offered
    upcoming: list[Shift]  # each with `my_offer`: the worker's pending offer or None
    past: list[Shift]
    offers: list[SwapRequest]


def my_rota(*, worker: User, now: datetime | None = None) -> MyRota:
    """A worker's own rota page: the shift in progress, the ones to come (with any
    offer already made for them), past ones and pending offers."""
    now = now or timezone.now()
    current, past = my_shifts(worker=worker, now=now)
    offers = list(
        SwapRequest.objects.filter(
            offered_by=worker,
            status__in=[SwapStatus.OPEN, SwapStatus.AWAITING_APPROVAL],
        ).select_related("shift", "shift__space")
    )
    by_shift = {offer.shift_id: offer for offer in offers}
    for shift in current:
        shift.my_offer = by_shift.get(shift.pk)
    return MyRota(
        on_now=[s for s in current if s.start <= now],
        upcoming=[s for s in current if s.start > now],
        past=past,
        offers=offers,
    )


class OpenShift(NamedTuple):
    """What eligibility reads of a shift, as a plain row: a busy rota has hundreds
    of open shifts, and a model object for each cost more than the rest of the
    page. `shifts_in_order` loads the few that are shown."""

    pk: int
    duty: str
    role_needed: str
    start: datetime
    end: datetime


def open_shifts_for(
    *, worker: User, now: datetime | None = None, weeks: int = 6
) -> list[OpenShift]:
    """Future shifts with a place left that this worker may claim, soonest first."""
    now = now or timezone.now()
    role_names = roles_of(worker)
    quals = list(WorkerQualification.objects.filter(worker=worker))
    rows = (
        Shift.objects.filter(
            status=ShiftStatus.SCHEDULED,
            start__gt=now,
            start__lt=now + timedelta(weeks=weeks),
        )
        .annotate(active=Count("assignments", filter=ACTIVE))
        .filter(active__lt=F("max_workers"))
        .exclude(
            assignments__worker=worker, assignments__status=AssignmentStatus.ACTIVE
        )
        .order_by("start", "pk")
        .values_list(*OpenShift._fields)
    )
    return [
        shift
        for shift in map(OpenShift._make, rows)
        if worker_is_eligible(
            worker=worker, shift=shift, role_names=role_names, quals=quals
        )
    ]


def shifts_in_order(ids: list[int]) -> list[Shift]:
    """The shifts `ids`, in that order, with their spaces: one page of a list of
    rows such as `OpenShift`."""
    found = Shift.objects.select_related("space").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def offers_for(*, worker: User):
    """Open cover and swap offers by other workers for shifts this worker may take."""
    role_names = roles_of(worker)
    quals = list(WorkerQualification.objects.filter(worker=worker))
    offers = (
        SwapRequest.objects.filter(
            status=SwapStatus.OPEN, shift__start__gt=timezone.now()
        )
        .exclude(offered_by=worker)
        .select_related("shift", "shift__space", "offered_by")
    )
    return [
        o
        for o in offers
        if worker_is_eligible(
            worker=worker, shift=o.shift, role_names=role_names, quals=quals
        )
    ]


def swaps_awaiting_approval() -> QuerySet[SwapRequest]:
    return SwapRequest.objects.filter(
        status=SwapStatus.AWAITING_APPROVAL
    ).select_related("shift", "shift__space", "offered_by", "accepted_by", "swap_shift")


def calendar_shifts(*, worker: User) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(
            assignments__worker=worker,
            assignments__status=AssignmentStatus.ACTIVE,
            status=ShiftStatus.SCHEDULED,
            end__gt=timezone.now() - timedelta(days=30),
        )
        .select_related("space")
        .distinct()
        .order_by("start")
    )
