"""Rota lists at fixed cost: coverage over many groups' meetings, and the swaps
waiting for a coordinator, make the same queries with 5 items as with 50."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peer_support.rotas.models import ShiftAssignment, SwapKind, SwapRequest, SwapStatus
from peer_support.rotas.selectors import coverage
from tests.factories import PeerWorkerFactory, RotaCoordinatorFactory, ShiftFactory
from tests.site_builders import finder_make, group_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(roles):
    return RotaCoordinatorFactory()


def test_coverage_queries_do_not_grow_with_groups(
    client, home_page, coordinator, query_count, django_assert_max_num_queries
):
    finder = finder_make(home_page)

    def groups_add(count, offset):
        for n in range(offset, offset + count):
            group_make(finder, title=f"Group {n:02d}", weekday=n % 7)

    groups_add(5, 0)
    client.force_login(coordinator)
    url = reverse("rotas_coverage")
    query_count.assert_unchanged(url, lambda: groups_add(45, 5))

    now = timezone.now()
    with django_assert_max_num_queries(8):
        report = coverage(start=now, end=now + timedelta(weeks=4))
    assert {item.space.title for item in report.at_risk} == {
        f"Group {n:02d}" for n in range(50)
    }


def test_swaps_to_approve_queries_do_not_grow(client, coordinator, query_count):
    workers = [PeerWorkerFactory() for _ in range(3)]

    def swaps_add(count, offset):
        for n in range(offset, offset + count):
            shift = ShiftFactory(start=timezone.now() + timedelta(days=1, hours=3 * n))
            ShiftAssignment.objects.create(shift=shift, worker=workers[n % 3])
            SwapRequest.objects.create(
                shift=shift,
                offered_by=workers[n % 3],
                accepted_by=workers[(n + 1) % 3],
                kind=SwapKind.COVER,
                status=SwapStatus.AWAITING_APPROVAL,
            )

    swaps_add(5, 0)
    client.force_login(coordinator)
    url = reverse("rotas_swaps")
    query_count.assert_unchanged(url, lambda: swaps_add(45, 5))
    assert client.get(url).content.decode().count(workers[1].pseudonym) >= 10
