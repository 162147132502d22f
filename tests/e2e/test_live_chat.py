"""A live session's chat in real browsers under the site's strict CSP: two members
see each other's messages within 3 seconds without reloading, a moderator removes
one and it disappears from both; afterwards the moderator reads the transcript in
the admin and publishes a pinned summary into the course discussion."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from peer_support.accounts.roles import role_groups_sync
from peer_support.discussion.models import Thread
from tests.conftest import wagtail_tree_ensure
from tests.factories import PASSWORD
from tests.peer_support.chat.builders import chat_world

from .axe import axe_violations, describe
from .test_discussion import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WITHIN_3_S = 3000


def send(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_label("Your message")).to_have_value("")


def test_two_members_chat_live_and_a_removal_reaches_both(
    live_server, browser: Browser
):
    home = wagtail_tree_ensure()
    role_groups_sync()
    world = chat_world(home)
    first, second = world.members
    chat_url = live_server.url + reverse("chat:room", args=[world.session.pk])

    one = signed_in(browser, live_server, first)
    one.goto(chat_url)
    two = signed_in(browser, live_server, second)
    two.goto(chat_url)
    expect(two.locator("#chat-refresh")).to_be_hidden()  # the script is running

    send(one, "Hello from the first browser")
    expect(two.locator("#chat-lines")).to_contain_text(
        "Hello from the first browser", timeout=WITHIN_3_S
    )
    send(two, "And hello back from the second")
    expect(one.locator("#chat-lines")).to_contain_text(
        "And hello back from the second", timeout=WITHIN_3_S
    )
    expect(one.locator("#chat-lines .chat-line")).to_have_count(2)

    moderator = signed_in(browser, live_server, world.moderator)
    moderator.goto(chat_url)
    moderator.locator(".chat-line", has_text="Hello from the first").get_by_role(
        "button", name="Remove for everyone"
    ).click()
    expect(moderator.locator(".messages, .alert").first).to_contain_text(
        "Removed for everyone"
    )
    for page in (one, two):
        expect(page.locator("#chat-lines")).not_to_contain_text(
            "Hello from the first", timeout=WITHIN_3_S
        )
        expect(page.locator("#chat-lines")).to_contain_text("hello back")

    checker = browser.new_context(bypass_csp=True).new_page()  # axe is inline
    checker.goto(f"{live_server.url}/accounts/login/")
    checker.get_by_label("Email address").fill(first.email)
    checker.get_by_label("Password").fill(PASSWORD)
    checker.get_by_role("button", name="Sign in").click()
    checker.goto(chat_url)
    found = axe_violations(checker)
    assert not found, describe(found)

    moderator.goto(f"{live_server.url}/admin/live-chat/")
    moderator.get_by_role("link", name=world.session.title).click()
    expect(moderator.locator(".transcript")).to_contain_text("hello back")
    expect(moderator.locator(".transcript")).not_to_contain_text("first browser")
    moderator.get_by_label("Summary (edit the transcript down").fill(
        "We said hello and talked about what helps."
    )
    moderator.get_by_role("button", name="Publish and pin the summary").click()
    expect(moderator.locator(".messages")).to_contain_text("Published and pinned")
    summary = Thread.objects.get(label="summary")
    assert summary.pinned and summary.space_id == world.course.pk
    for page in (one, two, moderator, checker):
        page.context.close()  # stop polling before the next test empties the database
