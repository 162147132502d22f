"""Login lock-out rules on top of django-axes.

An account is locked at one address after `AXES_FAILURE_LIMIT` failures
(`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`), so one person's typos on a
shared computer do not lock out everyone using it, and an attacker elsewhere cannot
lock a member out of their own device. An address on its own is locked only after the
looser `AXES_ADDRESS_FAILURE_LIMIT`, which still stops one machine trying many
accounts.

The client's address is read here rather than by ipware's proxy count: ipware asks for
an exact header length and otherwise falls back to the proxy's own address, which
would pool every client that sends its own X-Forwarded-For into one address.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def login_username(request, credentials: dict | None = None) -> str | None:
    """The email being signed in with, in one case, so `Member@` counts as `member@`."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "POST", None) or {}
        value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None


def valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address, trusting exactly `TRUSTED_PROXY_HOPS` proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is that many entries from the right; anything
    further left was written by the client and is ignored.
    """
    remote = valid_address(request.META.get("REMOTE_ADDR", "") or "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    return valid_address(forwarded[-hops]) or remote


def address_failures(*, ip_address: str | None, request=None) -> int:
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gt=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failures_left(request) -> int | None:
    """Tries left for the account at this address after a failed sign-in."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return max(settings.AXES_FAILURE_LIMIT - failures, 0)


class AccountAtAddressHandler(AxesDatabaseHandler):
    """Counts failures per account at an address, and locks a busy address too."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account = super().get_failures(request, credentials)
        address = address_failures(
            ip_address=getattr(request, "axes_ip_address", None), request=request
        )
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.AXES_FAILURE_LIMIT)
        return account
