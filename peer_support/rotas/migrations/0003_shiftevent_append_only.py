from django.db import migrations

from peer_support.audit import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("rotas", "0002_shiftpattern_length_in_real_time"),
    ]

    operations = [
        append_only_trigger("rotas_shiftevent", erasable=["actor_id", "worker_id"]),
    ]
