"""A coordinator finds the fairness report in the Rota menu, downloads it as CSV and
approves a swap, in Chromium under the site's Content-Security-Policy."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peer_support.rotas import services
from peer_support.rotas.models import ShiftAssignment, SwapKind, SwapStatus
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    ShiftFactory,
)

from .content import admin_csp_violations, admin_sign_in
from .test_rota_claim import admin_access_permission_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_fairness_exports_csv_and_approves_a_swap(
    live_server, page: Page
):
    wagtail_tree_ensure()
    admin_access_permission_ensure()
    coordinator = RotaCoordinatorFactory(pseudonym="Calm River")
    worker = PeerWorkerFactory(pseudonym="Morning Wren")
    other = PeerWorkerFactory(pseudonym="Late Robin")
    past = ShiftFactory(start=timezone.now() - timedelta(days=2), hours=3)
    ShiftAssignment.objects.create(shift=past, worker=worker)
    shift = ShiftFactory()
    services.shift_claim(shift_id=shift.pk, worker=worker)
    swap = services.swap_offer(shift_id=shift.pk, worker=worker, kind=SwapKind.COVER)
    services.swap_accept(swap_id=swap.pk, worker=other)

    violations = admin_csp_violations(page)
    admin_sign_in(page, live_server.url, coordinator)

    # The rota tools are in the one Rota menu group.
    page.get_by_role("button", name="Rota").click()
    page.get_by_role("link", name="Fairness").click()
    page.wait_for_url("**/admin/rota/fairness/")
    expect(page.locator("h1")).to_contain_text("Rota fairness")
    table = page.locator("table.listing")
    expect(table).to_contain_text("Morning Wren")
    expect(table.locator("tr", has_text="Morning Wren")).to_contain_text("3.0")

    page.locator("header").get_by_role("button", name="Actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    body = open(download.path(), encoding="utf-8").read()
    assert body.splitlines()[0].startswith("Peer worker,Shifts,Hours")
    assert "Morning Wren,1,3.0" in body

    page.get_by_role("button", name="Rota").click()
    page.get_by_role("link", name="Approvals").click()
    page.wait_for_url("**/admin/rota/swaps/")
    row = page.locator("tr", has_text="Late Robin")
    row.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Approved")
    swap.refresh_from_db()
    assert swap.status == SwapStatus.DONE
    assert shift.assignments.get(status="active").worker == other
    assert violations == [], "\n".join(violations)
