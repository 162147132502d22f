"""Site-wide values every page shows (`page_cache.site_wide`): the site settings and
the main menu come from the cache, and every change to them shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def _nav(client) -> str:
    return client.get("/").content.decode().split("</nav>")[0]


def test_site_settings_and_menu_are_read_once(client, home_page):
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/accounts/login/")
    sql = [query["sql"] for query in captured.captured_queries]
    assert not any("home_sitesettings" in query for query in sql)
    assert not any("show_in_menus" in query.partition("WHERE")[2] for query in sql)


def test_a_changed_service_name_shows_at_once(client, home_page):
    assert "Peer Support" in client.get("/").content.decode()
    settings = SiteSettings.load()
    settings.service_name = "Kind Words"
    settings.save()
    page = client.get("/").content.decode()
    assert "Kind Words" in page and "Peer Support</a>" not in page


def test_a_page_put_in_the_menu_shows_and_leaves_with_it(client, home_page):
    page = home_page.add_child(
        instance=StandardPage(
            title="Our groups", slug="groups", show_in_menus=True, live=False
        )
    )
    assert "Our groups" not in _nav(client)
    page.save_revision().publish()
    assert "Our groups" in _nav(client)
    page.refresh_from_db()
    page.unpublish()
    assert "Our groups" not in _nav(client)


def test_a_page_given_a_view_restriction_leaves_the_menu(client, home_page):
    page = home_page.add_child(
        instance=StandardPage(title="Staff notes", slug="staff", show_in_menus=True)
    )
    assert "Staff notes" in _nav(client)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Staff notes" not in _nav(client)


def test_the_current_page_is_marked_in_the_menu(client, home_page):
    page = home_page.add_child(
        instance=StandardPage(title="About us", slug="about", show_in_menus=True)
    )
    client.get("/")  # the menu is stored from another page
    nav = client.get(page.url).content.decode().split("</nav>")[0]
    assert f'href="{page.url}" aria-current="page"' in nav
