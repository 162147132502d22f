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


# Retries: transport errors only ------------------------------------------------------


def _remind_raising(monkeypatch, error):
    """Run the reminder task eagerly with the service raising `error`; return how
    many times the task asked to be retried."""
    from celery.exceptions import Retry

    retried = []

    def fake_remind(*, assignment_id):
        raise error

    def fake_retry(*args, **kwargs):
        retried.append(kwargs.get("exc"))
        raise Retry()

    monkeypatch.setattr(tasks.services, "assignment_remind", fake_remind)
    monkeypatch.setattr(tasks.assignment_remind_task, "retry", fake_retry)
    with pytest.raises(Exception) as raised:
        tasks.assignment_remind_task.run(1)
    return retried, raised.value


@pytest.mark.parametrize(
    "error",
    [
        services.RotaError("That shift no longer exists."),
        PermissionError("refused"),
        FileNotFoundError("gone"),
    ],
    ids=["rota-refusal", "permission-error", "file-not-found"],
)
def test_reminder_task_does_not_retry_a_refusal(monkeypatch, error):
    retried, raised = _remind_raising(monkeypatch, error)
    assert retried == []
    assert raised is error


@pytest.mark.parametrize(
    "error",
    [ConnectionRefusedError("mail server down"), TimeoutError("slow")],
    ids=["connection", "timeout"],
)
def test_reminder_task_retries_a_transport_error(monkeypatch, error):
    from celery.exceptions import Retry

    retried, raised = _remind_raising(monkeypatch, error)
    assert retried == [error]
    assert isinstance(raised, Retry)


def test_rota_error_is_a_service_error_with_its_problems():
    from peer_support.errors import ServiceError

    error = services.RotaError("Sorry, the shift is full.")
    assert isinstance(error, ServiceError)
    assert error.message == "Sorry, the shift is full."
    assert [p.message for p in error.problems] == ["Sorry, the shift is full."]
    warning = services.Problem("rest", services.WARN, "Short rest.")
    confirm = services.NeedsConfirmation([warning])
    assert isinstance(confirm, ServiceError) and confirm.problems == [warning]
