from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import querydict_from_html

from peer_support.accounts.models import User
from tests.conftest import wagtail_tree_ensure
from tests.factories import GroupIndexPageFactory, GroupPageFactory


class GroupPreviewTests(WagtailPageTestCase):
    # Wagtail's assertPageIsPreviewable signs in through the first auth backend,
    # which here is django-axes (it cannot), so these tests post the forms themselves.

    def setUp(self):
        self.finder = GroupIndexPageFactory(parent=wagtail_tree_ensure())
        admin = User.objects.create_superuser(
            email="boss@example.org", pseudonym="Boss", password="x-long-pass-123"
        )
        self.client.force_login(admin)

    def test_editor_previews_a_saved_group_and_the_finder(self):
        group = GroupPageFactory(parent=self.finder, title="Preview Me")

        for page in (group, self.finder):
            edit = reverse("wagtailadmin_pages:edit", kwargs={"page_id": page.pk})
            html = self.client.get(edit).content.decode()
            data = querydict_from_html(html, form_id="page-edit-form")
            data.setdefault("body-count", "0")
            preview = reverse(
                "wagtailadmin_pages:preview_on_edit", kwargs={"page_id": page.pk}
            )
            posted = self.client.post(preview, data)
            shown = self.client.get(preview)

            self.assertJSONEqual(
                posted.content, {"is_valid": True, "is_available": True}
            )
            self.assertContains(shown, page.title)

    def test_editor_previews_a_group_before_its_first_save(self):
        kwargs = {
            "content_type_app_name": "groups",
            "content_type_model_name": "grouppage",
            "parent_page_id": self.finder.pk,
        }
        html = self.client.get(reverse("wagtailadmin_pages:add", kwargs=kwargs))
        data = querydict_from_html(html.content.decode(), form_id="page-edit-form")
        data.update(
            {
                "title": "Not saved yet",
                "slug": "not-saved-yet",
                "summary": "Draft",
                "format": "online",
                "meeting_link": "https://meet.example.org/x",
                "weekday": "1",
                "start_time": "19:00",
                "duration_minutes": "90",
                "starts_on": "2026-01-01",
                "body-count": "0",  # the StreamField's form is drawn by JavaScript
            }
        )
        preview = reverse("wagtailadmin_pages:preview_on_add", kwargs=kwargs)

        posted = self.client.post(preview, data)
        shown = self.client.get(preview)

        self.assertJSONEqual(posted.content, {"is_valid": True, "is_available": True})
        self.assertEqual(shown.status_code, 200)
        self.assertContains(shown, "Not saved yet")
