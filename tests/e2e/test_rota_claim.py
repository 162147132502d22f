from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import Page, expect

from peer_support.accounts.roles import role_groups_sync
from peer_support.rotas.models import Shift
from tests.conftest import wagtail_tree_ensure
from tests.factories import PASSWORD, PeerWorkerFactory, RotaCoordinatorFactory

from .content import admin_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def admin_access_permission_ensure():
    """Wagtail's access_admin permission comes from a data migration, so the
    live_server flush removes it; put it back before the role groups are synced."""
    ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=ct,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    role_groups_sync()


def test_coordinator_opens_a_shift_worker_claims_it_and_feed_has_it(
    live_server, page: Page
):
    wagtail_tree_ensure()
    admin_access_permission_ensure()
    coordinator = RotaCoordinatorFactory()
    worker = PeerWorkerFactory(pseudonym="Morning Wren")
    start = timezone.localtime() + timedelta(days=3)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)

    admin_sign_in(page, live_server.url, coordinator)
    page.goto(f"{live_server.url}/admin/rotas_shift/new/")
    page.select_option("#id_duty", "moderation")
    page.locator("#id_start").fill(start.strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_end").fill(
        (start + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    )
    page.locator("#id_min_workers").fill("1")
    page.locator("#id_max_workers").fill("1")
    page.get_by_role("button", name="Create").first.click()
    expect(page.locator(".messages")).to_contain_text("created")
    shift = Shift.objects.get()
    assert timezone.localtime(shift.start).hour == 10

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(worker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/rota/")
    page.locator("#open-shifts").get_by_role("button", name="Claim").click()
    expect(page.get_by_text("The shift is yours")).to_be_visible()
    expect(page.locator("#my-upcoming-shifts")).to_contain_text(
        start.strftime("%a %-d %b %Y, 10:00")
    )

    page.get_by_role("link", name="Your calendar feed").click()
    page.get_by_role("button", name="Make my link").click()
    feed_url = page.get_by_label("Web link (https://)").input_value()
    feed = page.request.get(feed_url).text()
    assert f"UID:shift-{shift.pk}@peer-support" in feed
    assert "Moderation" in feed
