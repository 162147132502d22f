"""axe-core finds no critical or serious problem on the pages people use most, at
desktop and phone widths."""

import pytest
from playwright.sync_api import Page

from .axe import axe_violations, describe
from .content import sign_in, site_build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's CSP rightly refuses.
    return {**browser_context_args, "bypass_csp": True}


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_problems(live_server, page: Page, width):
    site = site_build()
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    visitor_pages = [
        "/",
        site["finder"].url,
        site["finder"].url + "?q=anxiety",
        site["groups"][0].url,
        site["course"].url,
        "/accounts/register/",
        "/terms/",
    ]
    problems = {}
    for path in visitor_pages:
        page.goto(base + path)
        if found := axe_violations(page):
            problems[path] = describe(found)

    sign_in(page, base, site["member"])
    for path in ("/my/", "/"):
        page.goto(base + path)
        if found := axe_violations(page):
            problems[f"member {path}"] = describe(found)

    sign_in(page, base, site["worker"])
    page.goto(base + "/rota/")
    if found := axe_violations(page):
        problems["peer worker /rota/"] = describe(found)

    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_axe_reports_a_known_problem(page: Page):
    """The harness itself: axe runs and a missing alt text is reported."""
    page.set_content(
        '<html lang="en"><body><main><img src="x.png"></main></body></html>'
    )
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


@pytest.mark.parametrize("width", [1280, 390])
def test_landmarks_are_unique_and_all_content_is_in_one(live_server, page: Page, width):
    site = site_build()
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for path in ("/", site["finder"].url, "/accounts/register/"):
        page.goto(live_server.url + path)
        found = axe_violations(page, impacts=None)
        found = [v for v in found if v["id"] in ("landmark-unique", "region")]
        if found:
            problems[path] = describe(found)
    assert not problems, problems
