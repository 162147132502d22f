import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding import services
from safeguarding.models import ConcernEvent, ConcernSource
from safeguarding.severity import Severity
from tests.factories import PeerWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(member, space, worker):
    return services.concern_raise(
        member=member,
        severity=Severity.HIGH,
        source=ConcernSource.SCREENING,
        content="I want to die",
        space=space,
    )


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_no_concern_without_a_second_factor_then_set_up_and_confirm(
    client, concern, worker
):
    client.force_login(worker)
    url = reverse("safeguarding_concern", args=[concern.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("safeguarding_verify"))
    assert not concern.events.filter(kind=ConcernEvent.Kind.VIEWED).exists()

    page = client.get(response.url).content.decode()
    device = TOTPDevice.objects.get(user=worker)
    assert not device.confirmed
    assert 'id="otp-key"' in page
    assert "I want to die" not in page

    wrong = client.post(
        reverse("safeguarding_verify"), {"token": "000000x", "next": url}
    )
    assert "did not match" in wrong.content.decode()
    assert client.get(url).status_code == 302

    response = client.post(
        reverse("safeguarding_verify"), {"token": code_for(device), "next": url}
    )
    assert response.status_code == 302 and response.url == url
    device.refresh_from_db()
    assert device.confirmed
    assert "I want to die" in client.get(url).content.decode()


def test_dashboard_needs_the_second_factor(client, worker):
    client.force_login(worker)
    assert client.get(reverse("safeguarding_dashboard")).status_code == 302


def test_strangers_get_404_before_any_second_factor_question(client, concern):
    client.force_login(PeerWorkerFactory())
    url = reverse("safeguarding_concern", args=[concern.pk])
    assert client.get(url).status_code == 404


def test_next_must_stay_on_this_site(client, worker):
    from tests.safeguarding.conftest import sign_in

    sign_in(client, worker)
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(
        reverse("safeguarding_verify"),
        {"token": code_for(device), "next": "https://evil.example/"},
    )
    assert response.url == reverse("safeguarding_dashboard")
