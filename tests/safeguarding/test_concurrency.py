"""Signals about one member at the same moment open one concern, and one deadline
fires once when the timer task and the sweep arrive together (real PostgreSQL, real
transactions in threads)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from safeguarding import escalation, services
from safeguarding.models import Concern, ConcernEvent, ConcernSource, Tier
from safeguarding.severity import Severity

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls):
    barrier = threading.Barrier(len(calls))
    errors, results = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors, results


def test_ten_signals_at_once_open_one_concern(member, space, worker):
    now = timezone.now()

    def signal(severity):
        return lambda: (
            services.concern_raise(
                member=member,
                severity=severity,
                source=ConcernSource.SCREENING,
                space=space,
                now=now,
            ).pk
        )

    errors, results = race([signal(Severity.LOW + n % 4) for n in range(10)])
    assert errors == []
    assert Concern.objects.filter(member=member).count() == 1
    assert len(set(results)) == 1
    assert Concern.objects.get().severity == Severity.IMMEDIATE


def test_timer_and_sweep_together_fire_a_deadline_once(
    member, space, worker, lead_on_call
):
    raised = timezone.now()
    concern = services.concern_raise(
        member=member,
        severity=Severity.IMMEDIATE,
        source=ConcernSource.SCREENING,
        space=space,
        now=raised,
    )
    row = concern.escalations.get(tier=Tier.LEAD_ON_CALL)
    later = raised + timedelta(minutes=15)
    calls = [
        lambda: escalation.escalation_fire(escalation_id=row.pk, now=later)
        for _ in range(4)
    ] + [lambda: escalation.escalations_sweep(now=later) for _ in range(4)]
    errors, _results = race(calls)
    assert errors == []
    assert (
        ConcernEvent.objects.filter(
            concern=concern, kind=ConcernEvent.Kind.ESCALATED
        ).count()
        == 1
    )
    assert concern.notifications.filter(tier=Tier.LEAD_ON_CALL).count() == 1
