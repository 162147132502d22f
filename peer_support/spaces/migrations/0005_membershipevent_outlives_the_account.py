# Membership events name their space and member themselves, so erasing an account can
# clear the person and keep the history.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def events_name_space_and_member(apps, schema_editor):
    Membership = apps.get_model("spaces", "Membership")
    MembershipEvent = apps.get_model("spaces", "MembershipEvent")
    of_membership = Membership.objects.filter(pk=OuterRef("membership_id"))
    MembershipEvent.objects.update(
        space_id=Subquery(of_membership.values("space_id")[:1]),
        member_id=Subquery(of_membership.values("member_id")[:1]),
    )
    MembershipEvent.objects.filter(actor__isnull=True).update(by_system=True)


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0004_offer_days_optional"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="membershipevent",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "membership event",
            },
        ),
        migrations.AddField(
            model_name="membershipevent",
            name="by_system",
            field=models.BooleanField(
                default=False,
                help_text="The system acted (an expiry, a lifted suspension), not a person.",
            ),
        ),
        migrations.AddField(
            model_name="membershipevent",
            name="member",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank once the member's account has been erased.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="membershipevent",
            name="space",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="spaces.spacepage",
            ),
        ),
        migrations.AlterField(
            model_name="membershipevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank when the system acted or the account has been erased.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="membershipevent",
            name="membership",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank once the member's account has been erased.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="events",
                to="spaces.membership",
            ),
        ),
        migrations.RunPython(
            events_name_space_and_member, migrations.RunPython.noop, elidable=True
        ),
    ]
