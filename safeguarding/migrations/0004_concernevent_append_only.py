from django.db import migrations

from peer_support.audit import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0003_safety_plan"),
    ]

    # Nothing is erasable: a safeguarding record keeps who acted and about whom
    # (the links are PROTECT, so such accounts are kept rather than erased).
    operations = [
        append_only_trigger("safeguarding_concernevent"),
    ]
