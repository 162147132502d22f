"""Thin tasks: take ids or nothing, call one service; safe to run twice."""

from celery import shared_task


@shared_task
def transcripts_purge_task() -> int:
    """Daily: erase transcripts past the retention setting."""
    from .services import chat_transcripts_purge

    return chat_transcripts_purge()
