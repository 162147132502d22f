"""The rota calendar page offers the feed as a webcal:// subscription beside the
https link, with copy buttons that need no inline script."""

import re

import pytest
from django.urls import reverse

from tests.factories import PeerWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(roles):
    return PeerWorkerFactory()


def test_calendar_page_offers_webcal_beside_https(client, worker):
    client.force_login(worker)
    client.post(reverse("rotas:calendar"), {"action": "renew"})
    token = worker.rota_calendar.token
    path = reverse("rotas:feed", args=[token])

    page = client.get(reverse("rotas:calendar")).content.decode()

    assert f'href="webcal://testserver{path}"' in page
    assert f'value="webcal://testserver{path}"' in page
    assert f'value="http://testserver{path}"' in page
    # Copy buttons wait for the script; without it the page says how to copy.
    assert page.count("data-copy=") == 2
    assert "select the link in the box and copy it" in page
    assert "/static/js/copy-link.js" in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert [tag for tag in inline if "application/json" not in tag] == []


def test_calendar_page_without_a_link_offers_no_webcal(client, worker):
    client.force_login(worker)

    page = client.get(reverse("rotas:calendar")).content.decode()

    assert "webcal://" not in page
    assert "Make my link" in page


def test_member_who_is_not_a_peer_worker_gets_no_feed_page(client, roles):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    assert client.get(reverse("rotas:calendar")).status_code == 403
