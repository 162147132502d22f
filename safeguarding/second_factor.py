"""A second factor (TOTP, with django-otp) before any concern is shown.

Safeguarding pages ask `verified_or_redirect` after the access rule: someone who may
not see a concern still gets 404, someone who may is first asked for a code from their
authenticator app. The first time, the page sets up their device and shows its key.
"""

import base64
from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "safeguarding"


def is_verified(request) -> bool:
    if not getattr(settings, "SAFEGUARDING_REQUIRE_OTP", True):
        return True
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def verified_or_redirect(request):
    """None if the person has confirmed a code this session, else a redirect to the
    page that asks for one."""
    if is_verified(request):
        return None
    return redirect(
        f"{reverse('safeguarding_verify')}?next={quote(request.get_full_path())}"
    )


def device_for(user) -> TOTPDevice:
    """The person's confirmed device, or a new unconfirmed one to set up."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def device_key(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")
