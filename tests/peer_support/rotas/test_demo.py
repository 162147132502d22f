from datetime import timedelta

import pytest
from django.utils import timezone

from peer_support.accounts import demo as accounts_demo
from peer_support.groups import demo as groups_demo
from peer_support.rotas import demo
from peer_support.rotas.models import Shift
from peer_support.rotas.selectors import coverage

pytestmark = pytest.mark.django_db


def test_demo_rota_covers_most_sessions_leaves_a_few_gaps_and_loads_twice(home_page):
    accounts_demo.load()
    groups_demo.load()
    demo.load()
    shifts = Shift.objects.count()
    demo.load()
    assert Shift.objects.count() == shifts
    now = timezone.now()
    report = coverage(start=now, end=now + timedelta(weeks=4))
    sessions = Shift.objects.filter(for_session=True, start__gt=now).count()
    assert report.at_risk, "a few sessions stay at risk"
    assert sessions > 0
    at_risk_starts = {(item.space.pk, item.start) for item in report.at_risk}
    covered = {
        (s.space_id, s.start)
        for s in Shift.objects.filter(for_session=True, start__gt=now)
    }
    assert len(covered - at_risk_starts) > 2 * len(at_risk_starts)
