# A separate migration from the backfill: PostgreSQL will not alter a table with
# pending deferred-constraint checks in the same transaction.

import django.db.models.deletion
from django.db import migrations, models

from peer_support.audit import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0005_membershipevent_outlives_the_account"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membershipevent",
            name="space",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="spaces.spacepage",
            ),
        ),
        append_only_trigger(
            "spaces_membershipevent", erasable=["membership_id", "member_id", "actor_id"]
        ),
    ]
