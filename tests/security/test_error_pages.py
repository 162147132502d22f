import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views.defaults import permission_denied, server_error

pytestmark = pytest.mark.django_db


def test_missing_page_is_styled_with_crisis_lines_and_a_way_back(client, home_page):
    response = client.get("/no-such-page-here/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in html
    assert 'id="crisis-help"' in html
    assert 'href="/"' in html
    assert "css/site.css" in html


def test_forbidden_page_is_styled_with_crisis_lines_and_a_way_back(home_page):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()

    response = permission_denied(request, PermissionDenied())

    html = response.content.decode()
    assert response.status_code == 403
    assert "isn't open to you" in html
    assert 'id="crisis-help"' in html
    assert "/accounts/login/" in html


def test_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert 'href="tel:116123"' in html
    assert 'href="/"' in html
    assert "css/site.css" in html
