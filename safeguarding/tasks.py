"""Celery tasks: thin, take ids, re-fetch, call one function, safe to run twice.

Every task is acknowledged late, so a worker killed mid-task leaves it on the queue;
the functions they call lock their rows and check before acting. A clock may be
passed in (ISO 8601) so tests move time instead of sleeping through it.
"""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from peer_support.errors import TRANSPORT_ERRORS

from . import escalation


def _clock(now: str | None) -> datetime:
    return datetime.fromisoformat(now) if now else timezone.now()


@shared_task(acks_late=True)
def notification_send_task(notification_id: int, now: str | None = None) -> bool:
    return escalation.notification_send(
        notification_id=notification_id, now=_clock(now)
    )


@shared_task(acks_late=True)
def escalation_fire_task(escalation_id: int, now: str | None = None) -> bool:
    return escalation.escalation_fire(escalation_id=escalation_id, now=_clock(now))


@shared_task(name="safeguarding_sweep", acks_late=True)
def safeguarding_sweep(now: str | None = None) -> dict:
    return escalation.escalations_sweep(now=_clock(now))


@shared_task(bind=True, acks_late=True, max_retries=10)
def glass_notice_task(self, concern_id: int, lead_id: int) -> int:
    from .services import glass_notice_send

    try:
        return glass_notice_send(concern_id=concern_id, lead_id=lead_id)
    except TRANSPORT_ERRORS as error:
        raise self.retry(exc=error, countdown=60) from error
