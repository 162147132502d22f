import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from peer_support.accounts.roles import role_groups_sync
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


def test_a_risky_post_is_held_with_support_and_the_worker_on_duty_closes_its_concern(
    live_server, browser: Browser
):
    from peer_support.discussion.models import Post, SpaceDiscussion
    from safeguarding.models import Concern
    from tests.e2e.test_discussion import signed_in
    from tests.home.test_pages import crisis_settings
    from tests.peer_support.discussion.builders import member_make, on_duty_make
    from tests.peer_support.discussion.builders import space_make as discussion_space

    home = wagtail_tree_ensure()
    admin_access_permission_ensure()
    role_groups_sync()
    crisis_settings(Samaritans="116 123")
    worker = PeerWorkerFactory(pseudonym="Maple Owl")
    space = discussion_space(home, title="Tuesday evening group", facilitator=worker)
    SpaceDiscussion.objects.create(space=space, probation_posts=0)
    on_duty_make(space, worker=worker)
    writer_member = member_make(space, user=UserFactory(pseudonym="Quiet Heron"))
    reader_member = member_make(space, user=UserFactory(pseudonym="Amber Finch"))

    writer = signed_in(browser, live_server, writer_member)
    writer.goto(f"{live_server.url}/discussion/space/{space.pk}/")
    writer.get_by_label("Title").fill("Tonight")
    writer.get_by_label("Your post").fill("I want to kill myself tonight.")
    writer.get_by_role("button", name="Post", exact=True).click()
    support = writer.locator(".support-message")
    expect(support).to_contain_text("you don't have to face them alone")
    expect(support.locator("a[href='tel:116123']")).to_be_visible()
    expect(support).not_to_contain_text("blocked")
    thread_url = writer.url.split("#")[0].split("?")[0]
    expect(writer.locator("body")).to_contain_text("I want to kill myself tonight.")

    reader = signed_in(browser, live_server, reader_member)
    reader.goto(thread_url)
    expect(reader.locator("body")).not_to_contain_text("kill myself")

    post = Post.objects.get(comment="I want to kill myself tonight.")
    concern = Concern.objects.get(member=writer_member)
    assert concern.owner == worker
    assert concern.content_ref == f"discussion.post:{post.pk}"

    page = browser.new_context().new_page()
    admin_sign_in(page, live_server.url, worker)
    page.locator("#open-concerns").get_by_role("link", name=concern.reference).click()
    expect(page.locator("#concern-content")).to_contain_text("kill myself tonight")
    expect(page.locator("body")).not_to_contain_text(writer_member.email)
    page.locator("#acknowledge-form").get_by_role("button").click()
    expect(page.locator("#concern-status")).to_have_text("Acknowledged")
    page.locator("#note-form textarea").fill("Messaged; with their sister")
    page.locator("#note-form").get_by_role("button").click()
    expect(page.locator("#timeline")).to_contain_text("with their sister")
    page.locator("#close-form select").select_option("support_offered")
    page.locator("#close-form textarea").fill("Safe tonight; follow-up booked")
    page.locator("#close-form").get_by_role("button").click()
    expect(page.locator("#concern-status")).to_have_text("Closed")
    expect(page.locator("#timeline")).to_contain_text("Safe tonight; follow-up booked")

    # The audit trail, as a lead reads it: who acknowledged, noted and closed.
    lead = SafeguardingLeadFactory(pseudonym="Steady Oak")
    admin_sign_in(page, live_server.url, lead)
    page.goto(f"{live_server.url}/admin/safeguarding/concerns/{concern.pk}/")
    audit = page.locator("#audit")
    for kind in ("Acknowledged", "Note", "Closed", "Viewed"):
        expect(audit).to_contain_text(kind)
    expect(audit).to_contain_text("Maple Owl")
    for kind in ("acknowledged", "note", "closed"):
        assert ConcernEvent.objects.filter(
            concern=concern, kind=kind, actor=worker
        ).exists()
