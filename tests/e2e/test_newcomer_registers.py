import pytest
from playwright.sync_api import Page, expect

from tests.conftest import wagtail_tree_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_newcomer_registers_signs_in_and_sees_their_pseudonym(live_server, page: Page):
    wagtail_tree_ensure()

    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Join").click()

    page.get_by_label("Pseudonym").fill("Morning Lark")
    page.get_by_label("Email address").fill("lark@example.org")
    page.locator("#id_password1").fill("a-long-and-fine-password")
    page.get_by_label("Password again").fill("a-long-and-fine-password")
    page.get_by_label("I have read and agree").check()
    page.get_by_role("button", name="Create my account").click()

    # The same answer whether or not the email was new: then the newcomer signs in.
    expect(page.get_by_text("We've sent an email to lark@example.org")).to_be_visible()
    page.get_by_label("Email address").fill("Lark@Example.org")
    page.get_by_label("Password").fill("a-long-and-fine-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".member-pseudonym").first).to_have_text("Morning Lark")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill("lark@example.org")
    page.get_by_label("Password").fill("a-long-and-fine-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("header .member-pseudonym")).to_have_text("Morning Lark")
