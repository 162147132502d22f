from datetime import timedelta

import pytest
from django.utils import timezone

from peer_support.rotas.models import Duty
from tests.factories import (
    PeerWorkerFactory,
    SafeguardingLeadFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    SpacePageFactory,
    UserFactory,
)


def on_shift(worker, *, duty, space=None, start=None, hours=12):
    start = start or timezone.now() - timedelta(hours=1)
    shift = ShiftFactory(start=start, hours=hours, duty=duty, space=space)
    ShiftAssignmentFactory(shift=shift, worker=worker)
    return shift


def space_make(home, title):
    return SpacePageFactory(parent=home, title=title)


@pytest.fixture
def space(home_page):
    return space_make(home_page, title="Tuesday circle")


@pytest.fixture
def member(roles):
    return UserFactory(pseudonym="Quiet Heron")


@pytest.fixture
def worker(roles, space):
    worker = PeerWorkerFactory(pseudonym="Maple Owl")
    on_shift(worker, duty=Duty.SPACE_COVER, space=space)
    return worker


@pytest.fixture
def lead_on_call(roles):
    lead = SafeguardingLeadFactory(pseudonym="Steady Oak")
    on_shift(lead, duty=Duty.SAFEGUARDING)
    return lead


@pytest.fixture
def other_lead(roles):
    return SafeguardingLeadFactory(pseudonym="Second Lead")


def sign_in(client, user):
    """Sign in and confirm the second factor, as safeguarding staff do."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="safeguarding", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
