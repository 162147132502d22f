"""An editor uses the whole page editor under the admin's Content-Security-Policy:
adds a facilitator and a cancelled meeting to a group and publishes, and the browser
reports no CSP violation; the public page, seen before, shows the change at once and
keeps its strict policy."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from peer_support.accounts.roles import role_groups_sync
from peer_support.groups.models import GroupPage
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    PASSWORD,
    EditorFactory,
    GroupIndexPageFactory,
    GroupPageFactory,
    PeerWorkerFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CANCELLED_ON = datetime.date(2027, 1, 12)


def csp_violations(page: Page) -> list[str]:
    found = []

    def note(message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(text)

    page.on("console", note)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_editor_adds_facilitator_and_cancelled_date_and_publishes(
    live_server, page: Page
):
    home = wagtail_tree_ensure()
    role_groups_sync()
    group = GroupPageFactory(
        parent=GroupIndexPageFactory(parent=home),
        title="Thursday group",
        slug="thursday",
    )
    editor = EditorFactory(pseudonym="Paper Finch")
    PeerWorkerFactory(pseudonym="Willow Wren")
    problems = csp_violations(page)
    # Seen once before the edit, so the page's route and rows are kept in cache.
    page.goto(f"{live_server.url}{group.url}")
    expect(page.locator("h1")).to_have_text("Thursday group")

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(editor.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(
        page.locator("#wagtail-sidebar, [data-side-panel-toggle], main")
    ).not_to_have_count(0)

    page.goto(f"{live_server.url}/admin/pages/{group.pk}/edit/")
    page.get_by_role("button", name="Add cancelled meetings").click()
    date_input = page.locator('input[name="cancelled_dates-0-date"]')
    expect(date_input).to_be_visible()
    date_input.fill(CANCELLED_ON.isoformat())
    page.locator('input[name="cancelled_dates-0-reason"]').fill("Venue closed")

    page.get_by_role("button", name="Add facilitators").click()
    worker = page.locator('select[name="facilitators-0-worker"]')
    expect(worker).to_be_visible()
    worker.select_option(label="Willow Wren")

    page.get_by_role("button", name="More actions").last.click()
    page.locator('button[name="action-publish"]').click()
    expect(page.locator(".messages")).to_contain_text("published")

    group = GroupPage.objects.get(pk=group.pk)
    assert [c.date for c in group.cancelled_dates.all()] == [CANCELLED_ON]
    assert [f.worker.pseudonym for f in group.facilitators.all()] == ["Willow Wren"]
    assert problems == []

    public = page.goto(f"{live_server.url}{group.url}")
    expect(page.locator(".facilitators")).to_have_text("Willow Wren")
    expect(page.locator("wagtail-userbar")).to_have_count(1)  # for editors only
    policy = public.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert problems == []
