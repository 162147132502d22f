"""The home page's ways in and the finder on a phone, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from .content import sign_in, site_build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_home_page_routes_lead_to_the_finder_and_courses(live_server, page: Page):
    site = site_build()
    page.goto(live_server.url + "/")
    routes = page.locator(".routes")
    expect(routes.get_by_role("link", name="Find a group")).to_be_visible()
    expect(page.locator(".upcoming-groups .space-card")).to_have_count(3)
    expect(page.locator(".upcoming-courses")).to_contain_text("Living Well Online")
    expect(page.locator(".step")).to_have_count(3)
    expect(page.locator("a[href='sms:85258?body=SHOUT']").first).to_be_visible()
    icon = page.locator(".route svg use").first.get_attribute("href")
    assert icon.startswith("/static/icons/sprite.svg#icon-")
    sprite = page.request.get(live_server.url + icon.split("#")[0])
    assert sprite.ok and 'id="icon-group"' in sprite.text()

    routes.get_by_role("link", name="Courses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    page.go_back()
    routes.get_by_role("link", name="Find a group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(site["finder"].title)


def test_home_page_fits_a_phone(live_server, page: Page):
    site_build()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    box = page.locator(".route").first.bounding_box()
    assert box["width"] > 300  # one route per row, full width


def test_finder_on_a_phone_shows_results_first_and_folds_the_filters(
    live_server, page: Page
):
    site = site_build()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + site["finder"].url)

    results = page.locator("#finder-results")
    filters = page.locator(".finder-filters")
    assert results.bounding_box()["y"] < filters.bounding_box()["y"]
    expect(page.get_by_label("How it meets")).to_be_hidden()
    page.locator(".finder-filters summary").click()
    expect(page.get_by_label("How it meets")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_finder_on_a_desktop_keeps_the_filters_open_beside_the_results(
    live_server, page: Page
):
    site = site_build()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + site["finder"].url)
    expect(page.get_by_label("How it meets")).to_be_visible()
    filters = page.locator(".finder-filters").bounding_box()
    results = page.locator("#finder-results").bounding_box()
    assert filters["x"] < results["x"]


def test_finder_says_so_when_the_location_is_refused(live_server, page: Page, context):
    site = site_build()
    context.clear_permissions()
    page.goto(live_server.url + site["finder"].url)
    page.get_by_role("button", name="Sort by distance from where I am").click()
    message = page.locator("[data-location-message]")
    expect(message).to_be_visible()
    expect(message).to_contain_text("did not share your location")
    assert "lat=" not in page.url


def test_finder_words_search_in_the_browser(live_server, page: Page):
    site = site_build()
    page.goto(live_server.url + site["finder"].url)
    page.get_by_label("Search").last.fill("anxious")
    page.get_by_role("button", name="Show groups").click()
    expect(page.locator(".group-result")).to_have_count(1)
    expect(page.locator(".group-result")).to_contain_text("Calm Corner")


def test_member_reads_my_groups_and_sees_unread_count(live_server, page: Page):
    site = site_build()
    sign_in(page, live_server.url, site["member"])
    header = page.locator("header")
    expect(header.get_by_role("link", name="My groups and courses")).to_contain_text(
        "1 unread message"
    )
    header.get_by_role("link", name="My groups and courses").click()
    expect(page.locator(".offers")).to_contain_text("Hearing Voices Online")
    expect(page.locator(".meetings")).to_contain_text("Calm Corner")
    page.get_by_role("link", name="Leave Calm Corner").click()
    page.get_by_role("button", name="Yes, leave").click()
    expect(page.get_by_text("You've left")).to_be_visible()


def test_peer_worker_finds_shifts_from_the_header(live_server, page: Page):
    site = site_build()
    sign_in(page, live_server.url, site["worker"])
    page.locator("header").get_by_role("link", name="My shifts").click()
    expect(page).to_have_url(f"{live_server.url}/rota/")
