"""Thin tasks: take ids or nothing, call one service; safe to run twice."""

from celery import shared_task

from peer_support.errors import TRANSPORT_ERRORS


@shared_task
def unanswered_notify_task() -> int:
    """Periodic: tell whoever is on duty about posts left unanswered, once per post."""
    from .services import unanswered_notify

    return unanswered_notify()


@shared_task(
    bind=True, autoretry_for=TRANSPORT_ERRORS, retry_backoff=True, max_retries=5
)
def followers_notify_task(self, post_id: int) -> int:
    from .services import followers_notify

    return followers_notify(post_id=post_id)
