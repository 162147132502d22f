"""A real Celery worker on Redis escalates an unanswered immediate concern tier by
tier, exactly once per tier, across a kill and a restart. Time is passed in."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from peer_site.celery import app as celery_app
from safeguarding import services, tasks
from safeguarding.models import ConcernEvent, ConcernSource, Escalation, Tier
from safeguarding.severity import Severity
from tests.celery_worker import running_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def fired(concern) -> list[int]:
    return list(
        Escalation.objects.filter(concern=concern, fired_at__isnull=False)
        .order_by("tier")
        .values_list("tier", flat=True)
    )


def escalated_events(concern) -> int:
    return ConcernEvent.objects.filter(
        concern=concern, kind=ConcernEvent.Kind.ESCALATED
    ).count()


def test_worker_escalates_tier_by_tier_exactly_once_across_a_kill(
    tmp_path: Path, member, space, worker, lead_on_call, other_lead
):
    raised = timezone.now()
    concern = services.concern_raise(
        member=member,
        severity=Severity.IMMEDIATE,
        source=ConcernSource.SCREENING,
        content="I want to die tonight",
        space=space,
        now=raised,
    )
    mail_dir = tmp_path / "mail"

    def at(minutes):
        return (raised + timedelta(minutes=minutes)).isoformat()

    env = {"EMAIL_FILE_PATH": str(mail_dir)}
    with running_worker(extra_env=env) as first:
        tasks.safeguarding_sweep.delay(at(10))  # not due yet
        tasks.safeguarding_sweep.delay(at(15))
        tasks.safeguarding_sweep.delay(at(15))  # the same sweep delivered twice
        assert wait_for(lambda: fired(concern) == [Tier.LEAD_ON_CALL], timeout=90)
        # Let the duplicate run too, then kill the worker without warning.
        tasks.safeguarding_sweep.delay(at(16))
        assert wait_for(lambda: not _queue_length(), timeout=30), (
            "the worker left sweeps on the queue"
        )
        first.kill()
        first.wait(timeout=20)

    # While no worker runs, the next sweep waits on the queue.
    celery_app.conf.task_always_eager = False
    try:
        tasks.safeguarding_sweep.delay(at(30))
    finally:
        celery_app.conf.task_always_eager = True
    assert _queue_length() == 1
    assert fired(concern) == [Tier.LEAD_ON_CALL]

    with running_worker(extra_env=env, purge=False):
        assert wait_for(
            lambda: fired(concern) == [Tier.LEAD_ON_CALL, Tier.ALL_LEADS], timeout=90
        )
        tasks.safeguarding_sweep.delay(at(31))
        tasks.safeguarding_sweep.delay(at(45))
        assert wait_for(lambda: fired(concern) == [1, 2, 3], timeout=60)
        tasks.safeguarding_sweep.delay(at(60))
        assert wait_for(lambda: not _queue_length(), timeout=30)

    assert escalated_events(concern) == 3
    manager = concern.notifications.filter(tier=Tier.SERVICE_MANAGER)
    assert manager.count() == 1
    assert wait_for(
        lambda: (
            mail_dir.exists()
            and any(
                "service-manager@" in path.read_text() for path in mail_dir.iterdir()
            )
        ),
        timeout=30,
    )


def _queue_length() -> int:
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen("celery")
