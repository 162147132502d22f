"""Celery tasks: thin, take ids, re-fetch, call one service, safe to run twice.

Only `TRANSPORT_ERRORS` (mail server or broker out of reach) are retried; a refusal
(`ServiceError`) or a bug is raised at once, since running it again would only repeat
it.
"""

from celery import shared_task

from peer_support.errors import TRANSPORT_ERRORS

from . import services


@shared_task(bind=True, max_retries=5, acks_late=True)
def assignment_remind_task(self, assignment_id: int) -> bool:
    try:
        return services.assignment_remind(assignment_id=assignment_id)
    except TRANSPORT_ERRORS as error:
        raise self.retry(exc=error) from error


@shared_task(name="rota_reminders_send")
def rota_reminders_send() -> int:
    """Periodic: queue a reminder for each assignment whose shift starts within the
    lead time and that has not been reminded yet."""
    due = services.due_reminders()
    for assignment_id in due:
        assignment_remind_task.delay(assignment_id)
    return len(due)


@shared_task(name="rota_gaps_notify")
def rota_gaps_notify() -> int:
    return services.gaps_notify(hours=72)


@shared_task(name="rota_shifts_lock")
def rota_shifts_lock() -> int:
    return services.shifts_lock_past()
