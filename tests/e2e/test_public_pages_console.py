"""Public pages load in Chromium with no CSP violation, no script error and no
missing favicon."""

import pytest
from playwright.sync_api import Page

from tests.conftest import wagtail_tree_ensure
from tests.factories import GroupIndexPageFactory, GroupPageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_pages_load_without_csp_violations_or_missing_files(
    live_server, page: Page
):
    home = wagtail_tree_ensure()
    finder = GroupIndexPageFactory(parent=home)
    group = GroupPageFactory(parent=finder, title="Monday group", slug="monday")
    problems, missing = [], []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            missing.append(response.url) if response.status == 404 else None
        ),
    )

    for path in ("/", finder.url, group.url, "/accounts/login/", "/accounts/register/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    favicon = page.request.get(f"{live_server.url}/favicon.ico")
    assert favicon.status == 200
    assert problems == []
    assert missing == []
