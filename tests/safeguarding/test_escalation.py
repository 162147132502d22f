import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from safeguarding import escalation, services, tasks
from safeguarding.models import (
    ConcernEvent,
    ConcernSource,
    ConcernStatus,
    Escalation,
    Notification,
    NotificationStatus,
    Tier,
)
from safeguarding.severity import Severity

pytestmark = pytest.mark.django_db
Kind = ConcernEvent.Kind


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")


@pytest.fixture
def immediate(member, space, worker, lead_on_call, other_lead):
    now = timezone.now()
    concern = services.concern_raise(
        member=member,
        severity=Severity.IMMEDIATE,
        source=ConcernSource.SCREENING,
        content="I want to die tonight",
        space=space,
        now=now,
    )
    return concern, now


def tiers_fired(concern):
    return list(
        concern.escalations.filter(fired_at__isnull=False)
        .order_by("tier")
        .values_list("tier", flat=True)
    )


def test_unacknowledged_concern_escalates_tier_by_tier_exactly_once(
    immediate, lead_on_call, other_lead, settings
):
    concern, raised = immediate
    escalation.escalations_sweep(now=raised + timedelta(minutes=14))
    assert tiers_fired(concern) == []

    escalation.escalations_sweep(now=raised + timedelta(minutes=15))
    escalation.escalations_sweep(now=raised + timedelta(minutes=16))
    assert tiers_fired(concern) == [Tier.LEAD_ON_CALL]
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ESCALATED

    escalation.escalations_sweep(now=raised + timedelta(minutes=30))
    assert tiers_fired(concern) == [Tier.LEAD_ON_CALL, Tier.ALL_LEADS]
    assert concern.notifications.filter(
        tier=Tier.ALL_LEADS, recipient=other_lead
    ).exists()

    escalation.escalations_sweep(now=raised + timedelta(minutes=45))
    escalation.escalations_sweep(now=raised + timedelta(minutes=90))
    assert tiers_fired(concern) == [1, 2, 3]
    manager = concern.notifications.get(tier=Tier.SERVICE_MANAGER)
    assert manager.address == settings.SAFEGUARDING_SERVICE_MANAGER_EMAIL
    assert concern.events.filter(kind=Kind.ESCALATED).count() == 3


def test_firing_the_same_deadline_twice_fires_once(immediate):
    concern, raised = immediate
    row = concern.escalations.get(tier=Tier.LEAD_ON_CALL)
    later = raised + timedelta(minutes=20)
    assert escalation.escalation_fire(escalation_id=row.pk, now=later) is True
    assert escalation.escalation_fire(escalation_id=row.pk, now=later) is False
    tasks.escalation_fire_task(row.pk, later.isoformat())
    assert concern.events.filter(kind=Kind.ESCALATED).count() == 1


def test_a_deadline_before_its_time_does_nothing(immediate):
    concern, raised = immediate
    row = concern.escalations.get(tier=Tier.LEAD_ON_CALL)
    assert not escalation.escalation_fire(
        escalation_id=row.pk, now=raised + timedelta(minutes=5)
    )
    assert tiers_fired(concern) == []


def test_acknowledged_concern_does_not_escalate(immediate, worker):
    concern, raised = immediate
    services.concern_acknowledge(
        concern_id=concern.pk, user=worker, now=raised + timedelta(minutes=5)
    )
    escalation.escalations_sweep(now=raised + timedelta(hours=5))
    assert tiers_fired(concern) == []


def test_one_deadline_row_per_concern_and_tier(immediate):
    from django.db import IntegrityError, transaction

    concern, raised = immediate
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(
            concern=concern, tier=Tier.LEAD_ON_CALL, due_at=raised
        )


def test_a_timer_is_queued_on_commit_for_the_exact_due_time(
    member, space, worker, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        tasks.escalation_fire_task,
        "apply_async",
        lambda args, eta: queued.append((args[0], eta)),
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        concern = services.concern_raise(
            member=member,
            severity=Severity.IMMEDIATE,
            source=ConcernSource.SCREENING,
            space=space,
            now=now,
        )
    assert queued == []  # nothing before commit
    for callback in callbacks:
        callback()
    first = concern.escalations.get(tier=Tier.LEAD_ON_CALL)
    assert (first.pk, now + timedelta(minutes=15)) in queued


def test_mail_server_down_keeps_the_concern_shows_failure_and_sweep_retries(
    member, space, worker, django_capture_on_commit_callbacks
):
    with override_settings(EMAIL_BACKEND=f"{__name__}.BrokenMailBackend"):
        with django_capture_on_commit_callbacks(execute=True):
            concern = services.concern_raise(
                member=member,
                severity=Severity.HIGH,
                source=ConcernSource.SCREENING,
                space=space,
            )
    note = concern.notifications.get()
    assert note.status == NotificationStatus.FAILED
    assert concern.events.filter(kind=Kind.NOTIFICATION_FAILED).exists()

    result = escalation.escalations_sweep(now=timezone.now() + timedelta(minutes=2))
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert result["sent"] == 1
    assert concern.events.filter(kind=Kind.NOTIFIED).count() == 1
    assert len(mail.outbox) == 1
    # Sent ones are never sent again.
    escalation.escalations_sweep(now=timezone.now() + timedelta(minutes=4))
    assert len(mail.outbox) == 1


def test_broker_down_does_not_lose_the_concern(
    member, space, worker, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("no broker")

    monkeypatch.setattr(tasks.notification_send_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_raise(
            member=member,
            severity=Severity.HIGH,
            source=ConcernSource.SCREENING,
            space=space,
        )
    assert concern.notifications.get().status == NotificationStatus.PENDING
    escalation.escalations_sweep(now=timezone.now() + timedelta(minutes=2))
    assert concern.notifications.get().status == NotificationStatus.SENT


def test_sweep_task_takes_the_clock(immediate):
    concern, raised = immediate
    tasks.safeguarding_sweep((raised + timedelta(minutes=15)).isoformat())
    assert tiers_fired(concern) == [Tier.LEAD_ON_CALL]


def test_notifications_are_unique_per_person_and_tier(immediate, worker):
    concern, raised = immediate
    before = Notification.objects.count()
    escalation.notifications_create(
        concern, tier=Tier.FIRST, recipients=[worker], now=raised
    )
    assert Notification.objects.count() == before
