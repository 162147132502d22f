"""Rota coverage for 50 peer workers over 12 weeks, and the "on duty now" lookup."""

from datetime import timedelta

from django.utils import timezone

from peer_support.accounts.models import User
from peer_support.accounts.roles import PEER_WORKER, role_groups_sync
from peer_support.rotas.models import Duty, Shift, ShiftAssignment
from peer_support.rotas.selectors import coverage, on_duty

WORKERS = 50
WEEKS = 12
SHIFTS_PER_DAY = 6  # three duties, two four-hour shifts each


def build() -> None:
    group = role_groups_sync()[PEER_WORKER]
    workers = User.objects.bulk_create(
        User(email=f"bench-worker{n}@example.org", pseudonym=f"Bench worker {n}")
        for n in range(WORKERS)
    )
    group.user_set.add(*workers)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(
        hours=2
    )
    shifts = Shift.objects.bulk_create(
        Shift(
            duty=[Duty.MODERATION, Duty.SAFEGUARDING, Duty.MODERATION][n % 3],
            start=start + timedelta(hours=4 * (n // 3)),
            end=start + timedelta(hours=4 * (n // 3) + 4),
            min_workers=2,
            max_workers=2,
        )
        for n in range(WEEKS * 7 * SHIFTS_PER_DAY)
    )
    ShiftAssignment.objects.bulk_create(
        ShiftAssignment(shift=shift, worker=workers[(n * 7) % WORKERS])
        for n, shift in enumerate(shifts)
        if n % 5  # leave some shifts short
    )


def measurements(client):
    now = timezone.now()
    return [
        (
            "rota coverage, 50 workers x 12 weeks",
            lambda: coverage(start=now, end=now + timedelta(weeks=WEEKS)),
        ),
        ("on duty now", lambda: list(on_duty())),
    ]
