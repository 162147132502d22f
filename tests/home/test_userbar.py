"""Wagtail's userbar shows for people who may use the admin, and asking costs a
member who may not nothing after their first page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import StandardPage
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def info(home_page):
    return home_page.add_child(instance=StandardPage(title="About us", slug="about"))


def test_an_editor_sees_the_userbar_on_a_public_page(client, info, roles):
    client.force_login(EditorFactory())

    assert "<wagtail-userbar" in client.get(info.url).content.decode()


def test_a_member_or_visitor_never_sees_the_userbar(client, info, roles):
    assert "<wagtail-userbar" not in client.get(info.url).content.decode()

    client.force_login(UserFactory())

    assert "<wagtail-userbar" not in client.get(info.url).content.decode()


def test_a_member_who_may_not_use_the_admin_costs_no_permission_query(
    client, info, roles
):
    client.force_login(UserFactory())
    client.get(info.url)

    with CaptureQueriesContext(connection) as captured:
        client.get(info.url)

    assert not [q for q in captured.captured_queries if "auth_permission" in q["sql"]]
