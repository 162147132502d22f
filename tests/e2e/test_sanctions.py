"""Sanctions in a real browser: a facilitator suspends a member from the member's record
page, the member appeals from their messages, the facilitator who suspended cannot
decide it, and a colleague overturns it, which ends the pause."""

import pytest
from playwright.sync_api import Browser, expect

from peer_support.accounts.roles import role_groups_sync
from peer_support.discussion.models import SpaceDiscussion
from peer_support.spaces.models import Membership, MembershipStatus, SpaceFacilitator
from tests.conftest import wagtail_tree_ensure
from tests.factories import PeerWorkerFactory, UserFactory
from tests.peer_support.discussion.builders import member_make, space_make

from .test_discussion import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_suspension_from_the_record_appealed_and_overturned_by_a_colleague(
    live_server, browser: Browser
):
    home = wagtail_tree_ensure()
    role_groups_sync()
    sanctioner = PeerWorkerFactory(pseudonym="Maple Owl")
    colleague = PeerWorkerFactory(pseudonym="Birch Wren")
    space = space_make(home, title="Thursday group", facilitator=sanctioner)
    SpaceFacilitator.objects.create(page_id=space.pk, worker=colleague)
    SpaceDiscussion.objects.create(space=space, probation_posts=0)
    member = member_make(space, user=UserFactory(pseudonym="Quiet Heron"))
    admin = f"{live_server.url}/admin/discussion"

    peer = signed_in(browser, live_server, sanctioner)
    peer.goto(f"{admin}/record/{space.pk}/{member.pk}/")
    expect(peer.locator(".member-record")).to_contain_text("Nothing on record")
    peer.get_by_label("Suspension for some days").check()
    peer.get_by_label("Ground rule cited").fill("Rule 1: no personal attacks")
    peer.get_by_label("Why (the member reads this)").fill("Two replies named names.")
    peer.get_by_label("Days (suspension only)").fill("7")
    peer.get_by_role("button", name="Record and tell the member").click()
    expect(peer.locator(".messages")).to_contain_text("The member has been told")
    expect(peer.locator(".record-sanction")).to_contain_text(
        "Rule 1: no personal attacks"
    )
    assert (
        Membership.objects.get(space=space, member=member).status
        == MembershipStatus.SUSPENDED
    )

    writer = signed_in(browser, live_server, member)
    writer.goto(f"{live_server.url}/spaces/notices/")
    expect(writer.get_by_text("About your pause in Thursday group")).to_be_visible()
    writer.get_by_role("link", name="Decisions about you, and appeals").click()
    writer.get_by_role("link", name="Appeal this decision").click()
    writer.get_by_label("Your appeal").fill("I was quoting someone else's post.")
    writer.get_by_role("button", name="Send my appeal").click()
    expect(writer.locator(".alert").first).to_contain_text("Your appeal has been sent")

    peer.goto(f"{admin}/appeals/")
    expect(peer.get_by_text("No appeals waiting.")).to_be_visible()

    other = signed_in(browser, live_server, colleague)
    other.goto(f"{admin}/appeals/")
    other.locator(".appeal-row a").first.click()
    expect(other.locator(".appeal-text")).to_contain_text("quoting someone else")
    other.get_by_label("Overturn: withdraw the decision").check()
    other.get_by_label("Reason (the member reads this)").fill("It was a quote.")
    other.get_by_role("button", name="Save decision").click()
    expect(other.locator(".messages")).to_contain_text("Appeal decided")

    other.goto(f"{admin}/record/{space.pk}/{member.pk}/")
    expect(other.locator(".record-decision")).to_contain_text("It was a quote.")
    writer.goto(f"{live_server.url}/discussion/decisions/")
    expect(writer.locator(".appeal-status")).to_contain_text("It was a quote.")
    assert (
        Membership.objects.get(space=space, member=member).status
        == MembershipStatus.ACTIVE
    )
