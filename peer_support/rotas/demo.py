"""Demo rota: patterns for the next weeks with gaps, someone on duty now,
qualifications (one lapsed), a pending cover request, and most group and course
sessions covered with a few realistic gaps. Idempotent."""

from datetime import date, time, timedelta

from django.utils import timezone

from peer_support import timeutils
from peer_support.accounts.models import User
from peer_support.spaces.models import SpacePage

from . import selectors, services
from .models import (
    AssignmentStatus,
    Duty,
    QualificationKind,
    RoleNeeded,
    Shift,
    ShiftAssignment,
    ShiftPattern,
    SwapKind,
    SwapRequest,
    WorkerQualification,
)

PATTERNS = [
    # name, duty, weekday, start, minutes, role
    ("Weekday moderation (day)", Duty.MODERATION, 0, time(9), 8 * 60, "pw"),
    ("Weekday moderation (day)", Duty.MODERATION, 2, time(9), 8 * 60, "pw"),
    ("Weekday moderation (day)", Duty.MODERATION, 4, time(9), 8 * 60, "pw"),
    ("Saturday night moderation", Duty.MODERATION, 5, time(22), 9 * 60, "pw"),
    ("Safeguarding on call (Tue)", Duty.SAFEGUARDING, 1, time(9), 10 * 60, "sg"),
]


def load() -> list[str]:
    people = {u.email: u for u in User.objects.filter(email__endswith="@demo.invalid")}
    maple = people.get("peer@demo.invalid")
    oak = people.get("safeguarding@demo.invalid")
    river = people.get("coordinator@demo.invalid")
    extras = [people.get(f"peer{n}@demo.invalid") for n in range(1, 5)]
    if not (maple and oak and river) or None in extras:
        return ["Rota demo skipped: load the account demo first."]
    today = timezone.localdate()

    def qualify(worker, kind, obtained, expires):
        WorkerQualification.objects.get_or_create(
            worker=worker,
            kind=kind,
            obtained_on=obtained,
            defaults={"expires_on": expires},
        )

    qualify(
        oak, QualificationKind.SAFEGUARDING_TRAINING, date(2025, 3, 1), date(2027, 3, 1)
    )
    # Willow Wren's safeguarding training has lapsed: no safeguarding duty.
    qualify(
        extras[0],
        QualificationKind.SAFEGUARDING_TRAINING,
        date(2023, 1, 10),
        today - timedelta(days=20),
    )
    for worker in [maple, oak, river, *extras]:
        qualify(worker, QualificationKind.PEER_TRAINING, date(2024, 9, 1), None)

    for name, duty, weekday, start, minutes, role in PATTERNS:
        pattern, _created = ShiftPattern.objects.get_or_create(
            name=name,
            weekday=weekday,
            defaults={
                "duty": duty,
                "start_time": start,
                "duration_minutes": minutes,
                "role_needed": RoleNeeded.SAFEGUARDING_LEAD
                if role == "sg"
                else RoleNeeded.PEER_WORKER,
            },
        )
        services.pattern_generate(
            pattern_id=pattern.pk,
            weeks=4,
            actor=river,
            start_date=today - timedelta(days=today.weekday()),
        )

    # Someone on duty now: a moderation shift around the current time.
    now = timezone.now()
    current = Shift.objects.filter(
        duty=Duty.MODERATION,
        start__lte=now,
        end__gt=now,
        created_by=river,
        pattern__isnull=True,
    ).first() or services.shift_create(
        actor=river,
        duty=Duty.MODERATION,
        start=now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1),
        end=now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=6),
        reason="Demo: cover now",
    )
    _assign(current, maple, river)

    # Fill some of the generated shifts, leaving gaps on purpose.
    upcoming = list(
        Shift.objects.filter(pattern__isnull=False, start__gt=now).order_by("start")
    )
    crew = [maple, *extras[1:], river]
    for index, shift in enumerate(upcoming):
        if shift.duty == Duty.SAFEGUARDING:
            if index % 2 == 0:
                _assign(shift, oak, river)
        elif index % 3 != 2:  # every third one left open
            _assign(shift, crew[index % len(crew)], river)

    # A pending cover request from Maple Owl.
    maple_next = (
        Shift.objects.filter(
            assignments__worker=maple, assignments__status="active", start__gt=now
        )
        .order_by("start")
        .first()
    )
    if maple_next and not SwapRequest.objects.filter(offered_by=maple).exists():
        services.swap_offer(
            shift_id=maple_next.pk,
            worker=maple,
            kind=SwapKind.COVER,
            reason="Family appointment",
        )
    _sessions_cover(now=now, lead=oak, crew=crew, actor=river)
    return [
        "",
        f"Rota: {Shift.objects.count()} shifts; Maple Owl is on duty now. Peer "
        "workers see /rota/; coordinators use Rota in the admin.",
    ]


def _sessions_cover(*, now, lead, crew, actor) -> None:
    """Most group meetings and live sessions of the next four weeks get a facilitator,
    and their evenings the safeguarding lead on call; about one day in five stays a
    gap, chosen by its date so that loading again fills the same ones and no others."""
    report = selectors.coverage(start=now, end=now + timedelta(weeks=4))
    spaces = SpacePage.objects.in_bulk({item.space.pk for item in report.at_risk})
    evenings = {}
    for index, item in enumerate(report.at_risk):
        day = timeutils.to_local(item.start).date()
        if day.toordinal() % 5 == 0:
            continue  # a realistic gap for the coverage report
        if Duty.SPACE_COVER in item.missing:
            shift = services.session_gap_offer(
                space=spaces[item.space.pk],
                start=item.start,
                end=item.end,
                duty=Duty.SPACE_COVER,
                actor=actor,
            )
            _assign(shift, crew[index % len(crew)], actor)
        if Duty.SAFEGUARDING in item.missing:
            first, last = evenings.get(day, (item.start, item.end))
            evenings[day] = (min(first, item.start), max(last, item.end))
    for start, end in evenings.values():
        on_call = Shift.objects.filter(
            duty=Duty.SAFEGUARDING, space=None, start=start, end=end
        ).first() or services.shift_create(
            actor=actor,
            duty=Duty.SAFEGUARDING,
            start=start,
            end=end,
            role_needed=RoleNeeded.SAFEGUARDING_LEAD,
            reason="Demo: on call for the sessions",
        )
        _assign(on_call, lead, actor)


def _assign(shift, worker, actor):
    if (
        ShiftAssignment.objects.filter(
            shift=shift, status=AssignmentStatus.ACTIVE
        ).count()
        >= shift.max_workers
        or ShiftAssignment.objects.filter(
            shift=shift, worker=worker, status=AssignmentStatus.ACTIVE
        ).exists()
    ):
        return
    try:
        services.shift_assign(
            shift_id=shift.pk,
            worker=worker,
            actor=actor,
            confirm_warnings=True,
            reason="Demo rota",
        )
    except services.RotaError:
        pass  # e.g. overlapping: leave it as a gap
