"""Thin tasks: take ids or nothing, call one service; safe to run twice."""

from celery import shared_task


@shared_task
def unanswered_notify_task() -> int:
    """Periodic: tell whoever is on duty about posts left unanswered, once per post."""
    from .services import unanswered_notify

    return unanswered_notify()
