import pytest
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, SiteSettings, StandardPage
from tests.factories import (
    CourseIndexPageFactory,
    EditorFactory,
    GroupIndexPageFactory,
    GroupPageFactory,
)

pytestmark = pytest.mark.django_db


def crisis_settings(**lines):
    settings = SiteSettings.load()
    settings.crisis_heading = "Need help right now?"
    settings.crisis_lines = [
        (
            "line",
            {
                "name": name,
                "phone": phone,
                "text_number": "",
                "hours": "",
                "description": "",
            },
        )
        for name, phone in lines.items()
    ]
    settings.save()
    return settings


def test_home_page_shows_crisis_lines_from_the_site_setting(client, home_page):
    crisis_settings(Samaritans="116 123")

    page = client.get("/").content.decode()

    assert "Need help right now?" in page
    assert "Samaritans" in page
    assert 'href="tel:116123"' in page


def test_crisis_lines_change_when_staff_change_the_setting(client, home_page):
    crisis_settings(Samaritans="116 123")
    crisis_settings(**{"Local Crisis Team": "0800 000 0000"})

    page = client.get("/").content.decode()

    assert "Local Crisis Team" in page
    assert "Samaritans" not in page


def test_crisis_signposting_is_on_every_page(client, home_page):
    crisis_settings(Samaritans="116 123")
    info = home_page.add_child(instance=StandardPage(title="About us", slug="about"))
    for url in (info.url, "/search/?query=about", "/accounts/login/"):
        assert "Samaritans" in client.get(url).content.decode()


def test_editor_changes_crisis_lines_in_the_admin(client, home_page, roles):
    client.force_login(EditorFactory())
    settings_url = client.get("/admin/settings/home/sitesettings/")["Location"]
    response = client.post(
        settings_url,
        {
            "service_name": "Peer Support",
            "crisis_heading": "Talk to someone now",
            "crisis_intro": "Call 999 in an emergency.",
            "crisis_lines-count": "1",
            "crisis_lines-0-type": "line",
            "crisis_lines-0-deleted": "",
            "crisis_lines-0-order": "0",
            "crisis_lines-0-value-name": "Night Line",
            "crisis_lines-0-value-phone": "0800 123",
            "crisis_lines-0-value-text_number": "",
            "crisis_lines-0-value-hours": "",
            "crisis_lines-0-value-description": "",
            "support_hours_note": "",
        },
    )
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Talk to someone now" in page
    assert "Night Line" in page


def test_pages_have_landmarks_and_a_skip_link(client, home_page):
    page = client.get("/").content.decode()
    assert 'href="#main-content"' in page
    assert '<main id="main-content"' in page
    assert "<header" in page
    assert "<footer" in page
    assert '<meta name="viewport"' in page


def test_assets_come_from_this_site_only(client, home_page):
    page = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert "/static/django_htmx/htmx-2.min.js" in page
    assert "//cdn" not in page
    assert "default-src 'self'" in client.get("/")["Content-Security-Policy"]


def test_search_finds_published_pages_only(client, home_page):
    home_page.add_child(instance=StandardPage(title="Hearing voices", slug="voices"))
    draft = StandardPage(title="Hearing draft", slug="draft", live=False)
    home_page.add_child(instance=draft)

    page = client.get("/search/", {"query": "Hearing"}).content.decode()

    assert "Hearing voices" in page
    assert "Hearing draft" not in page


def test_search_leaves_out_pages_in_a_private_section(client, home_page):
    home_page.add_child(instance=StandardPage(title="Hearing voices", slug="voices"))
    private = StandardPage(title="Hearing staff notes", slug="staff")
    home_page.add_child(instance=private)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )

    page = client.get("/search/", {"query": "Hearing"}).content.decode()

    assert "Hearing voices" in page
    assert "Hearing staff notes" not in page


def test_search_queries_do_not_grow_with_the_kinds_of_page_found(
    client, home_page, query_count
):
    home_page.add_child(instance=StandardPage(title="Sleep tips", slug="sleep"))
    finder = GroupIndexPageFactory(parent=home_page, title="Sleep groups")

    def other_kinds():
        GroupPageFactory(parent=finder, title="Sleep circle")
        CourseIndexPageFactory(parent=home_page, title="Sleep courses")

    query_count.assert_unchanged("/search/?query=sleep", other_kinds)
    page = client.get("/search/", {"query": "sleep"}).content.decode()
    assert "Sleep circle" in page and "Sleep courses" in page


@pytest.mark.parametrize("page_number", ["999999", "-1", "abc"])
def test_search_survives_bad_page_numbers(client, home_page, page_number):
    response = client.get("/search/", {"query": "anything", "page": page_number})
    assert response.status_code == 200


class PageTreeTests(WagtailPageTestCase):
    def test_information_pages_live_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_there_is_only_one_home_page(self):
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))


def test_main_menu_lists_pages_editors_put_in_menus(client, home_page):
    home_page.add_child(
        instance=StandardPage(title="Our groups", slug="groups", show_in_menus=True)
    )
    home_page.add_child(instance=StandardPage(title="Hidden page", slug="hidden"))

    nav = client.get("/").content.decode().split("</nav>")[0]

    assert "Our groups" in nav
    assert "Hidden page" not in nav
