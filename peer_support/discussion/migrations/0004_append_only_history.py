from django.db import migrations

from peer_support.audit import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("discussion", "0003_hold_reason_flagged_member")]

    operations = [
        append_only_trigger("discussion_moderationaction", erasable=["actor_id"]),
        append_only_trigger("discussion_postrevision"),
    ]
