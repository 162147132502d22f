"""Links in emails use the site's real address, never the sites framework's."""

import re

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from peer_site.addresses import absolute_url, site_base_url
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-password-9"


@override_settings(WAGTAILADMIN_BASE_URL="https://peer.example.net")
def test_reset_link_from_the_email_resets_the_password(client):
    DjangoSite.objects.update_or_create(
        pk=1, defaults={"domain": "example.com", "name": "example.com"}
    )
    member = UserFactory(email="reset@example.org")

    client.post(reverse("password_reset"), {"email": "reset@example.org"})

    [email] = mail.outbox
    assert "example.com" not in email.body
    link = re.search(r"https://peer\.example\.net(/\S+)", email.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not member.check_password(PASSWORD)


def test_dev_server_address_is_the_base_under_make_run():
    from peer_site.settings import dev

    assert dev.WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8000"


@override_settings(WAGTAILADMIN_BASE_URL="")
def test_wagtail_default_site_is_the_fallback_address(home_page):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="peer.example", port=443)

    assert site_base_url() == "https://peer.example"
    assert absolute_url("/rota/") == "https://peer.example/rota/"


@override_settings(WAGTAILADMIN_BASE_URL="https://peer.example.net")
def test_notice_email_links_to_the_notices_page_on_the_real_site():
    from peer_support.spaces.models import MemberNotice
    from peer_support.spaces.tasks import send_notice_email_task

    notice = MemberNotice.objects.create(
        member=UserFactory(), subject="About your group", body="You're in."
    )

    send_notice_email_task.run(notice.pk)

    [email] = mail.outbox
    assert "https://peer.example.net/spaces/notices/" in email.body
    assert "example.com" not in email.body
