"""Staff see each other in the Wagtail admin by pseudonym, never by email."""

import pytest
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name

from home.models import StandardPage
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_page(home_page, roles):
    author = EditorFactory(
        email="author.private@example.org",
        pseudonym="Paper Finch",
        first_name="Real",
        last_name="Surname",
    )
    page = home_page.add_child(instance=StandardPage(title="About us", slug="about"))
    page.title = "About us, updated"
    page.save_revision(user=author).publish(user=author)
    return page


def test_an_editors_page_history_shows_their_pseudonym_not_their_email(
    client, edited_page
):
    client.force_login(EditorFactory(pseudonym="Other Editor"))

    history = client.get(reverse("wagtailadmin_pages:history", args=[edited_page.pk]))

    html = history.content.decode()
    assert history.status_code == 200
    assert "Paper Finch" in html
    assert "author.private@example.org" not in html
    assert "Surname" not in html


def test_revisions_and_filters_name_users_by_pseudonym(client, edited_page):
    client.force_login(EditorFactory(pseudonym="Other Editor"))

    for url in (
        reverse("wagtailadmin_pages:history_results", args=[edited_page.pk]),
        reverse("wagtailadmin_reports:site_history"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "author.private@example.org" not in html, url


def test_display_name_is_the_pseudonym_and_real_name_is_kept_apart():
    member = UserFactory(pseudonym="Quiet Heron", first_name="Ada", last_name="L")

    assert get_user_display_name(member) == "Quiet Heron"
    assert member.get_short_name() == "Quiet Heron"
    assert member.real_name() == "Ada L"
