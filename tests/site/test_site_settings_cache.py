"""The site settings (service name, crisis lines) are read from the cache until
they change (`SiteSettings._get_or_create`, kept by `page_cache.content_cached`);
the menu and footer built from them are covered in tests/home/test_chrome.py."""

import pytest

from home.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_settings_are_read_once_and_a_saved_change_shows_at_once(
    django_assert_num_queries,
):
    SiteSettings.load()
    with django_assert_num_queries(0):
        assert SiteSettings.load().crisis_intro
    settings = SiteSettings.load()
    settings.crisis_intro = "Call us any time on 0800 000 000."
    settings.save()
    assert SiteSettings.load().crisis_intro == "Call us any time on 0800 000 000."
