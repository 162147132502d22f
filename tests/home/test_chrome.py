"""The menu, footer and site settings every page shows (`home.chrome`) are read once
and kept: each change an editor makes still shows on the very next request, for
visitors and signed-in members alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.models import SiteSettings, StandardPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu_page(home_page):
    return home_page.add_child(
        instance=StandardPage(title="Our groups", slug="our-groups", show_in_menus=True)
    )


@pytest.fixture
def info(home_page):
    return home_page.add_child(instance=StandardPage(title="About us", slug="about"))


def menu(client, url="/") -> str:
    return client.get(url).content.decode().split("</nav>")[0]


def footer(client, url="/") -> str:
    return client.get(url).content.decode().split("<footer")[1]


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [query["sql"] for query in captured]


def test_the_chrome_is_read_once_then_costs_no_query(client, menu_page, info):
    client.get(info.url)

    queries = queries_of(client, info.url)

    assert not [sql for sql in queries if "home_sitesettings" in sql]
    filters = [sql.split(" WHERE ", 1)[-1] for sql in queries]
    assert not [where for where in filters if '"show_in_menus"' in where]
    assert "Our groups" in menu(client, info.url)


def test_a_page_published_into_the_menu_shows_at_once(client, home_page, menu_page):
    assert "Our groups" in menu(client)
    new = home_page.add_child(
        instance=StandardPage(title="Courses", slug="courses", live=False)
    )
    assert "Courses" not in menu(client)

    new.show_in_menus = True
    new.save_revision().publish()

    assert "Courses" in menu(client)


def test_an_unpublished_menu_page_leaves_the_menu_at_once(client, menu_page):
    assert "Our groups" in menu(client)

    menu_page.unpublish()

    assert "Our groups" not in menu(client)


def test_a_renamed_menu_page_shows_its_new_title_at_once(client, menu_page):
    assert "Our groups" in menu(client)

    menu_page.title = "Peer groups"
    menu_page.save_revision().publish()

    page = menu(client)
    assert "Peer groups" in page
    assert "Our groups" not in page


def test_a_menu_page_made_private_leaves_the_menu_at_once(client, menu_page):
    assert "Our groups" in menu(client)

    restriction = PageViewRestriction.objects.create(
        page=menu_page, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Our groups" not in menu(client)

    restriction.delete()
    assert "Our groups" in menu(client)


def test_a_deleted_menu_page_leaves_the_menu_at_once(client, menu_page):
    assert "Our groups" in menu(client)

    menu_page.delete()

    assert "Our groups" not in menu(client)


def test_the_menu_marks_the_page_being_shown(client, menu_page, info):
    assert 'aria-current="page"' in menu(client, menu_page.url)
    assert 'aria-current="page"' not in menu(client, info.url)


def test_a_changed_service_name_and_footer_link_show_at_once(client, info):
    assert "Kind Words" not in client.get(info.url).content.decode()
    settings = SiteSettings.load()
    settings.service_name = "Kind Words"
    settings.contact_page = info
    settings.save()

    page = client.get(info.url).content.decode()

    assert "<title>About us | Kind Words</title>" in page
    assert "Kind Words is a peer-support service" in page
    assert f'href="{info.url}">Contact us' in footer(client, info.url)


def test_a_footer_link_to_a_moved_page_follows_it(client, home_page, info):
    settings = SiteSettings.load()
    settings.contact_page = info
    settings.save()
    assert 'href="/about/">Contact us' in footer(client)
    section = home_page.add_child(instance=StandardPage(title="Help", slug="help"))

    info.move(section, pos="last-child")

    assert 'href="/help/about/">Contact us' in footer(client)


def test_a_member_sees_the_same_menu_with_their_own_links(client, menu_page):
    client.get("/")  # the chrome is stored by an anonymous visit
    member = UserFactory(pseudonym="Quiet Heron")
    client.force_login(member)

    page = client.get("/").content.decode()

    assert "Our groups" in page.split("</nav>")[0]
    assert "Quiet Heron" in page
    assert "Sign out" in page
    client.logout()
    assert "Quiet Heron" not in client.get("/").content.decode()


def test_the_visit_that_makes_the_settings_row_keeps_the_chrome(client, info):
    SiteSettings.objects.all().delete()
    client.get(info.url)  # makes the row with its defaults

    queries = queries_of(client, info.url)

    assert SiteSettings.objects.count() == 1
    assert not [sql for sql in queries if "home_sitesettings" in sql]
