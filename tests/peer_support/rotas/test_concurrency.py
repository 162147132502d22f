"""Two workers acting at the same moment, on PostgreSQL with real transactions."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from peer_support.rotas import services
from peer_support.rotas.models import AssignmentStatus, SwapKind, SwapStatus
from tests.factories import PeerWorkerFactory, ShiftFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls):
    """Run the calls in threads released together; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except services.RotaError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_two_workers_claiming_the_last_place_exactly_one_wins(roles):
    for _ in range(5):  # a race lost by luck once would pass; repeat it
        shift = ShiftFactory(start=timezone.now() + timedelta(days=2 + _))
        first, second = PeerWorkerFactory(), PeerWorkerFactory()
        results, errors = race(
            [
                lambda w=first, s=shift: services.shift_claim(shift_id=s.pk, worker=w),
                lambda w=second, s=shift: services.shift_claim(shift_id=s.pk, worker=w),
            ]
        )
        assert len(results) == 1 and len(errors) == 1
        assert "someone else took the last place" in errors[0].messages[0]
        assert shift.assignments.filter(status=AssignmentStatus.ACTIVE).count() == 1


def test_two_workers_accepting_one_cover_offer_exactly_one_wins(roles):
    owner = PeerWorkerFactory()
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=owner)
    swap = services.swap_offer(shift_id=shift.pk, worker=owner, kind=SwapKind.COVER)
    first, second = PeerWorkerFactory(), PeerWorkerFactory()
    results, errors = race(
        [
            lambda: services.swap_accept(swap_id=swap.pk, worker=first),
            lambda: services.swap_accept(swap_id=swap.pk, worker=second),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert "already been taken" in errors[0].messages[0]
    swap.refresh_from_db()
    assert swap.status == SwapStatus.AWAITING_APPROVAL
    assert swap.accepted_by in (first, second)


def test_crossed_swaps_do_not_deadlock_or_double_assign(roles):
    """A offers shift 1 for B's shift 2 while B offers shift 2 for A's shift 1;
    both accept at once. Locks in id order: one completes, the other is refused."""
    services_rules = services.rota_rules()
    services_rules.swaps_need_approval = False
    services_rules.save()
    a, b = PeerWorkerFactory(), PeerWorkerFactory()
    one = ShiftFactory(start=timezone.now() + timedelta(days=2))
    two = ShiftFactory(start=timezone.now() + timedelta(days=4))
    services.shift_claim(shift_id=one.pk, worker=a)
    services.shift_claim(shift_id=two.pk, worker=b)
    offer_a = services.swap_offer(shift_id=one.pk, worker=a, kind=SwapKind.SWAP)
    offer_b = services.swap_offer(shift_id=two.pk, worker=b, kind=SwapKind.SWAP)
    results, errors = race(
        [
            lambda: services.swap_accept(
                swap_id=offer_a.pk, worker=b, their_shift_id=two.pk
            ),
            lambda: services.swap_accept(
                swap_id=offer_b.pk, worker=a, their_shift_id=one.pk
            ),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    for shift in (one, two):
        assert shift.assignments.filter(status=AssignmentStatus.ACTIVE).count() == 1
    assert one.assignments.get(status="active").worker == b
    assert two.assignments.get(status="active").worker == a
