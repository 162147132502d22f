"""A coordinator reads the coverage report a week at a time, in Chromium under the
site's Content-Security-Policy: the coming week's gaps first, then a later week's."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peer_support.rotas.models import ShiftAssignment
from tests.conftest import wagtail_tree_ensure
from tests.factories import (
    PeerWorkerFactory,
    RotaCoordinatorFactory,
    ShiftFactory,
)

from .content import admin_csp_violations, admin_sign_in
from .test_rota_claim import admin_access_permission_ensure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_the_gaps_of_this_week_then_of_a_later_week(
    live_server, page: Page
):
    wagtail_tree_ensure()
    admin_access_permission_ensure()
    coordinator = RotaCoordinatorFactory(pseudonym="Calm River")
    soon = ShiftFactory(
        start=timezone.now() + timedelta(days=2), min_workers=2, max_workers=2
    )
    ShiftAssignment.objects.create(shift=soon, worker=PeerWorkerFactory())
    later = ShiftFactory(start=timezone.now() + timedelta(days=9))

    violations = admin_csp_violations(page)
    admin_sign_in(page, live_server.url, coordinator)

    page.get_by_role("button", name="Rota").click()
    page.get_by_role("link", name="Coverage").click()
    page.wait_for_url("**/admin/rota/coverage/")
    main = page.locator("main")
    expect(main).to_contain_text("Under-staffed shifts (1)")
    expect(main).to_contain_text(str(soon))
    expect(main).not_to_contain_text(str(later))

    weeks = page.locator("#coverage-weeks")
    expect(weeks.locator("[aria-current=page]")).to_have_count(1)
    weeks.get_by_role("link").first.click()
    page.wait_for_url("**/admin/rota/coverage/?week=1")
    expect(main).to_contain_text(str(later))
    expect(main).not_to_contain_text(str(soon))
    assert violations == [], "\n".join(violations)
