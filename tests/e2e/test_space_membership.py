"""A member asks to join an online group, a facilitator approves, the member is in and
now sees the meeting link; a professional is refused by the cap and joins the waiting
list. Real Chromium, real server, a real `GroupPage`."""

import pytest
from playwright.sync_api import Browser, expect

from peer_support.groups.models import GroupFormat
from peer_support.spaces.models import (
    EligibilityQuestion,
    JoinPolicy,
    SpaceFacilitator,
)
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    PASSWORD,
    GroupIndexPageFactory,
    GroupPageFactory,
    PeerWorkerFactory,
    ProfessionalFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MEETING_LINK = "https://meet.example.org/tuesday-evening-room"


def space_build():
    home = wagtail_tree_ensure()
    space = GroupPageFactory(
        parent=GroupIndexPageFactory(parent=home),
        title="Tuesday evening group",
        slug="tuesday-evening",
        format=GroupFormat.ONLINE,
        meeting_link=MEETING_LINK,
        join_policy=JoinPolicy.REQUEST,
        capacity=8,
        max_professionals=0,
    )
    EligibilityQuestion.objects.create(page=space, text="What brings you here?")
    facilitator = PeerWorkerFactory(pseudonym="Maple Owl")
    SpaceFacilitator.objects.create(page_id=space.pk, worker=facilitator)
    return space, facilitator


def signed_in(browser: Browser, live_server, user):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .member-pseudonym")).to_have_text(user.pseudonym)
    return page


def test_member_requests_facilitator_approves_and_member_is_in(
    live_server, browser: Browser
):
    space, facilitator = space_build()
    member = UserFactory(pseudonym="Quiet Heron")

    page = signed_in(browser, live_server, member)
    page.goto(live_server.url + space.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday evening group")
    expect(page.locator(".meeting-link")).to_have_count(0)
    expect(page.get_by_text("meet.example.org")).to_have_count(0)
    page.get_by_role("link", name="Ask to join").click()
    page.get_by_label("What brings you here?").fill("Evenings are hard for me.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".membership-status")).to_contain_text(
        "waiting for a facilitator"
    )
    expect(page.locator(".meeting-link")).to_have_count(0)

    peer = signed_in(browser, live_server, facilitator)
    peer.goto(live_server.url + space.url)
    peer.get_by_role("link", name="Manage members").click()
    request = peer.locator(".request").filter(has_text="Quiet Heron")
    expect(request).to_contain_text("Evenings are hard for me.")
    request.get_by_label("Reason (the member reads this)").fill("Welcome!")
    request.get_by_role("button", name="Approve Quiet Heron").click()
    expect(peer.get_by_role("alert").or_(peer.locator(".alert"))).to_contain_text(
        "Approved"
    )
    expect(peer.locator("table.members")).to_contain_text("Quiet Heron")

    page.reload()
    expect(page.locator(".membership-status")).to_contain_text(
        "You're a member of this space."
    )
    link = page.locator(".meeting-link a")
    expect(link).to_have_text("Join the online meeting")
    expect(link).to_have_attribute("href", MEETING_LINK)
    page.goto(f"{live_server.url}/spaces/notices/")
    expect(page.locator(".notice").first).to_contain_text("Welcome!")


def test_professional_refused_by_the_cap_joins_the_waiting_list(
    live_server, browser: Browser
):
    space, _facilitator = space_build()
    professional = ProfessionalFactory(pseudonym="Blue Kestrel")

    page = signed_in(browser, live_server, professional)
    page.goto(live_server.url + space.url)
    # The join box says so before the form: no place for a professional just now.
    expect(page.locator(".membership-panel")).to_contain_text("balance of voices")
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_label("What brings you here?").fill("To listen and learn.")
    expect(page.get_by_label("I'm joining as a professional")).to_be_checked()
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("main form")).to_contain_text("balance of voices")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator(".membership-status")).to_contain_text(
        "You're on the waiting list"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday evening group")
    expect(page.locator(".meeting-link")).to_have_count(0)
