import pytest

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_root_and_linked_from_every_page(client, home_page):
    icon = client.get("/favicon.ico")
    page = client.get("/").content.decode()

    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in page
    assert "img/favicon.svg" in page


def test_htmx_is_told_not_to_inject_styles_on_every_page(client, home_page):
    page = client.get("/").content.decode()

    assert '"includeIndicatorStyles": false' in page


def test_admin_asks_no_third_party_for_avatars(client, roles):
    from django.conf import settings

    from tests.factories import EditorFactory

    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    client.force_login(EditorFactory(email="private@example.org"))
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
