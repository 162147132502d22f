"""Thin tasks: take ids, re-fetch, call one service; safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from peer_support.errors import TRANSPORT_ERRORS


@shared_task(
    bind=True, autoretry_for=TRANSPORT_ERRORS, retry_backoff=True, max_retries=5
)
def send_notice_email_task(self, notice_id: int) -> bool:
    from .models import MemberNotice

    notice = (
        MemberNotice.objects.filter(pk=notice_id, member__is_active=True)
        .select_related("member")
        .first()
    )
    if notice is None:
        return False
    body = render_to_string("spaces/email/notice.txt", {"notice": notice})
    send_mail(notice.subject, body, settings.DEFAULT_FROM_EMAIL, [notice.member.email])
    return True


@shared_task
def expire_offer_task(membership_id: int) -> bool:
    from .services import membership_offer_expire

    return membership_offer_expire(membership_id=membership_id)


@shared_task
def expire_offers_due_task() -> int:
    """Periodic sweep, so an offer still expires if its own timer was lost."""
    from .services import membership_offers_expire_due

    return membership_offers_expire_due()


@shared_task
def lift_suspensions_due_task() -> int:
    from .services import membership_suspensions_lift_due

    return membership_suspensions_lift_due()
