import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from peer_support.accounts.roles import role_groups_sync
from peer_support.rotas.models import CalendarToken
from tests.conftest import wagtail_tree_ensure
from tests.factories import PASSWORD, PeerWorkerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_peer_worker_copies_the_webcal_link_under_the_sites_csp(
    live_server, page: Page
):
    wagtail_tree_ensure()
    role_groups_sync()
    worker = PeerWorkerFactory()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(worker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}{reverse('rotas:calendar')}")
    page.get_by_role("button", name="Make my link").click()

    token = CalendarToken.objects.get(worker=worker).token
    webcal = live_server.url.replace("http://", "webcal://") + reverse(
        "rotas:feed", args=[token]
    )
    expect(
        page.get_by_role("link", name="Subscribe in your calendar app")
    ).to_have_attribute("href", webcal)
    copy = page.locator('[data-copy="feed-url-webcal"]')
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#feed-url-webcal-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == webcal
    assert violations == []
