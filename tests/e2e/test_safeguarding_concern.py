import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from peer_support.rotas.models import Duty
from safeguarding import services
from safeguarding.models import ConcernEvent, ConcernSource, ConcernStatus
from safeguarding.severity import Severity
from tests.conftest import wagtail_tree_ensure
from tests.e2e.test_rota_claim import admin_access_permission_ensure
from tests.factories import (
    PASSWORD,
    PeerWorkerFactory,
    SafeguardingLeadFactory,
    UserFactory,
)
from tests.safeguarding.conftest import on_shift, space_make
from tests.safeguarding.test_second_factor import code_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def admin_sign_in(page: Page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    # Safeguarding pages ask for a code from an authenticator app first.
    page.goto(f"{base}/admin/safeguarding/")
    key = page.locator("#otp-key").inner_text()
    device = TOTPDevice.objects.get(user=user)
    assert key and key in base64.b32encode(device.bin_key).decode()
    page.locator("#id_token").fill(code_for(device))
    page.locator("#verify-form").get_by_role("button").click()
    page.wait_for_url("**/admin/safeguarding/")


def test_worker_acknowledges_notes_and_closes_then_a_lead_breaks_the_glass(
    live_server, page: Page
):
    home = wagtail_tree_ensure()
    admin_access_permission_ensure()
    space = space_make(home, title="Thursday circle")
    worker = PeerWorkerFactory(pseudonym="Maple Owl")
    on_shift(worker, duty=Duty.SPACE_COVER, space=space)
    lead = SafeguardingLeadFactory(pseudonym="Steady Oak")
    member = UserFactory(pseudonym="Quiet Heron", email="quiet.heron@example.org")
    concern = services.concern_raise(
        member=member,
        severity=Severity.IMMEDIATE,
        source=ConcernSource.SCREENING,
        content="I want to die tonight",
        space=space,
    )
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and csp_violations.append(message.text)
        ),
    )

    admin_sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/admin/safeguarding/")
    page.locator("#open-concerns").get_by_role("link", name=concern.reference).click()
    expect(page.locator("#concern-content")).to_contain_text("I want to die tonight")
    expect(page.locator("body")).not_to_contain_text(member.email)
    page.locator("#acknowledge-form").get_by_role("button").click()
    expect(page.locator("#concern-status")).to_have_text("Acknowledged")
    page.locator("#checklist-form select").select_option("contact_attempted")
    page.locator("#checklist-form input[name=detail]").fill("Messaged them")
    page.locator("#checklist-form").get_by_role("button").click()
    page.locator("#note-form textarea").fill("They replied and are with a friend")
    page.locator("#note-form").get_by_role("button").click()
    expect(page.locator("#timeline")).to_contain_text("with a friend")
    page.locator("#close-form select").select_option("support_offered")
    page.locator("#close-form textarea").fill("Safe tonight; follow-up booked")
    page.locator("#close-form").get_by_role("button").click()
    expect(page.locator("#concern-status")).to_have_text("Closed")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED

    admin_sign_in(page, live_server.url, lead)
    page.goto(f"{live_server.url}/admin/safeguarding/concerns/{concern.pk}/")
    expect(page.locator("body")).not_to_contain_text(member.email)
    page.locator("#glass-form input[name=reason]").fill("Follow-up call needed")
    page.locator("#glass-form").get_by_role("button").click()
    expect(page.locator("#contact-details")).to_contain_text(member.email)
    expect(page.locator("#audit")).to_contain_text(
        "Contact details opened: Follow-up call needed"
    )
    assert ConcernEvent.objects.filter(
        concern=concern, kind=ConcernEvent.Kind.GLASS_BROKEN, actor=lead
    ).exists()
    assert csp_violations == []
