from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from peer_site.addresses import absolute_url
from peer_support.errors import TRANSPORT_ERRORS

from .models import User


@shared_task(
    bind=True, autoretry_for=TRANSPORT_ERRORS, retry_backoff=True, max_retries=5
)
def send_welcome_email_task(self, user_id: int) -> bool:
    """Send the welcome email once; a retry after a deleted account does nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    body = render_to_string("accounts/email/welcome.txt", {"user": user})
    send_mail(
        _("Welcome to %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True


@shared_task(
    bind=True, autoretry_for=TRANSPORT_ERRORS, retry_backoff=True, max_retries=5
)
def registration_attempt_notify_task(self, user_id: int) -> bool:
    """Tell an account's owner that someone tried to join with their email address."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    body = render_to_string(
        "accounts/email/registration_attempt.txt",
        {
            "user": user,
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        },
    )
    send_mail(
        _("Someone tried to join %(site)s with your email address")
        % {"site": settings.WAGTAIL_SITE_NAME},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True
