from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from peer_support.rotas import services, tasks
from peer_support.rotas.models import ShiftAssignment
from tests.celery_worker import running_worker, wait_for
from tests.factories import PeerWorkerFactory, RotaCoordinatorFactory, ShiftFactory


def test_beat_schedule_lists_rota_tasks():
    assert settings.CELERY_BEAT_SCHEDULE["rota_reminders_send"]["task"] == (
        "rota_reminders_send"
    )
    assert "rota_gaps_notify" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.django_db
def test_reminder_task_twice_sends_one_email(roles):
    worker = PeerWorkerFactory()
    shift = ShiftFactory(start=timezone.now() + timedelta(hours=3))
    services.shift_claim(shift_id=shift.pk, worker=worker)
    assert tasks.rota_reminders_send() == 1
    assert tasks.rota_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert worker.pseudonym in mail.outbox[0].body


@pytest.mark.django_db
def test_gap_notice_goes_to_coordinators(roles):
    coordinator = RotaCoordinatorFactory()
    ShiftFactory(start=timezone.now() + timedelta(hours=30))
    assert tasks.rota_gaps_notify() == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert "0 of 1 workers" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_gap_notice_when_covered(roles):
    RotaCoordinatorFactory()
    shift = ShiftFactory(start=timezone.now() + timedelta(hours=30))
    services.shift_claim(shift_id=shift.pk, worker=PeerWorkerFactory())
    assert tasks.rota_gaps_notify() == 0
    assert mail.outbox == []


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_reminder_and_records_it(roles, tmp_path):
    worker = PeerWorkerFactory()
    shift = ShiftFactory(start=timezone.now() + timedelta(hours=3))
    assignment = services.shift_claim(shift_id=shift.pk, worker=worker)
    with running_worker(extra_env={"EMAIL_FILE_PATH": str(tmp_path / "mail")}):
        tasks.assignment_remind_task.apply_async(args=[assignment.pk])
        tasks.assignment_remind_task.apply_async(args=[assignment.pk])

        def reminded():
            return ShiftAssignment.objects.get(pk=assignment.pk).reminded_at is not None

        assert wait_for(reminded, timeout=60)
    files = list((tmp_path / "mail").iterdir())
    assert sum("Reminder" in f.read_text() for f in files) == 1
