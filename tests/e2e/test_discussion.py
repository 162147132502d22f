"""The discussion in a real browser: a member posts, a second replies, a third flags
the first post, a peer worker hides it from the admin queue with a reason and its
author sees why; and with nobody on the rota a new post waits under the banner until
a peer worker approves it."""

import pytest
from playwright.sync_api import Browser, expect

from peer_support.accounts.roles import role_groups_sync
from peer_support.discussion.models import Post, SpaceDiscussion
from tests.conftest import wagtail_tree_ensure
from tests.factories import PASSWORD, PeerWorkerFactory, UserFactory
from tests.peer_support.discussion.builders import member_make, on_duty_make, space_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser: Browser, live_server, user):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .member-pseudonym")).to_have_text(user.pseudonym)
    return page


def space_build(*, covered: bool):
    home = wagtail_tree_ensure()
    role_groups_sync()  # peer workers reach the admin, on a fresh database too
    facilitator = PeerWorkerFactory(pseudonym="Maple Owl")
    space = space_make(home, title="Tuesday evening group", facilitator=facilitator)
    SpaceDiscussion.objects.create(space=space, probation_posts=0)
    if covered:
        on_duty_make(space, worker=facilitator)
    names = ["Quiet Heron", "Amber Finch", "North Star"]
    members = [member_make(space, user=UserFactory(pseudonym=n)) for n in names]
    return space, facilitator, members


def test_flagged_post_hidden_from_the_queue_and_its_author_sees_why(
    live_server, browser: Browser
):
    space, facilitator, (first, second, third) = space_build(covered=True)
    threads_url = f"{live_server.url}/discussion/space/{space.pk}/"

    writer = signed_in(browser, live_server, first)
    writer.goto(threads_url)
    writer.get_by_label("Title").fill("Evenings")
    writer.get_by_label("Your post").fill("Evenings are hard. Anyone else?")
    writer.get_by_role("button", name="Post", exact=True).click()
    expect(writer.locator("h1.thread-heading")).to_have_text("Evenings")
    thread_url = writer.url.split("#")[0]

    replier = signed_in(browser, live_server, second)
    replier.goto(thread_url)
    replier.get_by_role("link", name="Reply").first.click()
    replier.get_by_label("Your reply").fill("Yes, me too. Headphones help.")
    replier.get_by_role("button", name="Post reply").click()
    expect(replier.locator(".post.level-1")).to_contain_text("Headphones help")

    flagger = signed_in(browser, live_server, third)
    flagger.goto(thread_url)
    flagger.locator(".post").first.get_by_role("link", name="Flag").click()
    flagger.get_by_label("It breaks a ground rule").check()
    flagger.get_by_role("button", name="Send to a peer worker").click()
    expect(flagger.locator(".alert")).to_contain_text("nobody else will know")

    peer = signed_in(browser, live_server, facilitator)
    assert Post.objects.get(thread_ref__title="Evenings", is_opening=True).needs_review
    peer.goto(f"{live_server.url}/admin/discussion_queue/")
    peer.get_by_role("link", name="Evenings are hard").click()
    expect(peer.locator(".review-flags")).to_contain_text("North Star")
    peer.get_by_label("Hide, with a reason").check()
    peer.get_by_label("Reason (the author reads this; cite the ground rule)").fill(
        "Ground rule 3: please keep posts about this group."
    )
    peer.get_by_role("button", name="Save decision").click()
    expect(peer.locator(".messages")).to_contain_text("The author has been told")

    writer.goto(thread_url)
    expect(writer.locator(".tombstone").first).to_contain_text(
        "Ground rule 3: please keep posts about this group."
    )
    writer.goto(f"{live_server.url}/spaces/notices/")
    expect(writer.get_by_text("A peer worker hid your post").first).to_be_visible()
    # Nobody else sees the reason, or who flagged.
    replier.goto(thread_url)
    expect(replier.get_by_text("Ground rule 3")).to_have_count(0)


def test_with_nobody_on_the_rota_a_post_waits_until_a_peer_worker_approves(
    live_server, browser: Browser
):
    space, facilitator, (first, second, _third) = space_build(covered=False)
    threads_url = f"{live_server.url}/discussion/space/{space.pk}/"

    writer = signed_in(browser, live_server, first)
    writer.goto(threads_url)
    expect(writer.locator(".duty-banner")).to_contain_text(
        "No peer worker is around right now"
    )
    writer.get_by_label("Title").fill("Late night")
    writer.get_by_label("Your post").fill("Can't sleep again tonight.")
    writer.get_by_role("button", name="Post", exact=True).click()
    expect(writer.locator(".alert").first).to_contain_text("waiting for a peer worker")
    expect(writer.locator(".held-note")).to_be_visible()
    thread_url = writer.url.split("#")[0]

    reader = signed_in(browser, live_server, second)
    reader.goto(threads_url)
    expect(reader.get_by_text("Late night")).to_have_count(0)

    peer = signed_in(browser, live_server, facilitator)
    peer.goto(f"{live_server.url}/admin/discussion_queue/")
    peer.get_by_role("link", name="sleep again").click()
    peer.get_by_label("Approve: it shows to everyone").check()
    peer.get_by_role("button", name="Save decision").click()
    expect(peer.locator(".messages")).to_contain_text("The author has been told")

    reader.goto(thread_url)
    expect(reader.locator(".post").first).to_contain_text("Can't sleep again tonight.")
