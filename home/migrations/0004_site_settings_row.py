"""The site settings row exists from the start, so no page view creates it: every
page reads the settings from the cache (`peer_site.page_cache.content_cached`), and a row
created while a page is served would make the next page read them again."""

from django.db import migrations


def settings_row_ensure(apps, schema_editor):
    SiteSettings = apps.get_model("home", "SiteSettings")
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("home", "0003_home_sections_and_policy_pages")]

    operations = [migrations.RunPython(settings_row_ensure, migrations.RunPython.noop)]
