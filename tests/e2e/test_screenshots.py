"""Screenshots for the README: `UPDATE_SCREENSHOTS=1 make test
PYTEST_ARGS="tests/e2e/test_screenshots.py"` writes them to docs/screenshots/."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .content import sign_in, site_build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.skipif(
    os.environ.get("UPDATE_SCREENSHOTS") != "1",
    reason="writes docs/screenshots/ only when UPDATE_SCREENSHOTS=1",
)
def test_take_screenshots(live_server, page: Page):
    site = site_build()
    OUT.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        page.goto(live_server.url + "/")
        page.screenshot(path=OUT / f"home-{width}.png", full_page=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, live_server.url, site["member"])
        page.goto(live_server.url + "/my/")
        page.screenshot(path=OUT / f"my-groups-{width}.png", full_page=True)
