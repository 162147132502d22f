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
def post_notify_task(self, post_id: int, mentions_only: bool = False) -> int:
    from .notifications import post_notify

    return post_notify(post_id=post_id, mentions_only=mentions_only)
