"""Rota coverage over 1,000 groups for 50 peer workers and 12 weeks (and over the
one week the coverage report shows at a time), fairness over the same weeks, and the
"on duty now" lookup.

Coverage checks every meeting of every running group, so the groups are those of the
groups scenario (built here too when it has not run). One group in ten has a space
cover shift for each of its meetings, every other one staffed.
"""

from datetime import timedelta

from django.utils import timezone

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER, role_groups_sync
from peer_support.groups.models import GroupPage
from peer_support.rotas.models import Duty, Shift, ShiftAssignment
from peer_support.rotas.selectors import coverage, fairness, on_duty

from . import groups as groups_scenario

WORKERS = 50
WEEKS = 12
SHIFTS_PER_DAY = 6  # three duties, two four-hour shifts each
COVERED_GROUP_EVERY = 10


def build() -> None:
    if not GroupPage.objects.exists():
        groups_scenario.build()
    group = role_groups_sync()[PEER_WORKER]
    workers = User.objects.bulk_create(
        User(email=f"bench-worker{n}@example.org", pseudonym=f"Bench worker {n}")
        for n in range(WORKERS)
    )
    group.user_set.add(*workers)
    now = timezone.now()
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    shifts = [
        Shift(
            duty=[Duty.MODERATION, Duty.SAFEGUARDING, Duty.MODERATION][n % 3],
            start=start + timedelta(hours=4 * (n // 3)),
            end=start + timedelta(hours=4 * (n // 3) + 4),
            min_workers=2,
            max_workers=2,
        )
        for n in range(WEEKS * 7 * SHIFTS_PER_DAY)
    ]
    # Groups with cover already (the demo's, under `make load`) keep their own shifts.
    uncovered = GroupPage.objects.exclude(
        pk__in=Shift.objects.filter(duty=Duty.SPACE_COVER).values("space_id")
    )
    for group_page in uncovered.order_by("pk")[::COVERED_GROUP_EVERY]:
        shifts += [
            Shift(
                space_id=group_page.pk,
                duty=Duty.SPACE_COVER,
                start=meeting_start,
                end=meeting_end,
                for_session=True,
            )
            for meeting_start, meeting_end in group_page.sessions_between(
                now, now + timedelta(weeks=WEEKS)
            )
        ]
    shifts = Shift.objects.bulk_create(shifts)
    ShiftAssignment.objects.bulk_create(
        ShiftAssignment(shift=shift, worker=workers[(n * 7) % WORKERS])
        for n, shift in enumerate(shifts)
        if n % 5  # leave some shifts short
    )


def measurements(client):
    now = timezone.now()
    return [
        (
            "rota coverage, 1,000 groups, 50 workers x 12 weeks",
            lambda: coverage(start=now, end=now + timedelta(weeks=WEEKS)),
        ),
        (
            "rota coverage, the coming week (the report's page), 1,000 groups",
            lambda: coverage(start=now, end=now + timedelta(weeks=1)),
        ),
        (
            "rota fairness, 50 workers x 12 weeks",
            lambda: fairness(end=now + timedelta(weeks=WEEKS), weeks=WEEKS),
        ),
        ("on duty now", lambda: list(on_duty())),
    ]
