# Invitations and requests to join share their states: an invitation its inviter took back is
# "withdrawn", as a request its sender took back, no longer "cancelled".

import django.db.models.deletion
from django.conf import settings
from django.db import migrations
from django.db import models


def forwards(apps, schema_editor):
    apps.get_model("directory", "Invitation").objects.filter(state="cancelled").update(
        state="withdrawn"
    )


def backwards(apps, schema_editor):
    apps.get_model("directory", "Invitation").objects.filter(state="withdrawn").update(
        state="cancelled"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_claims_and_requests_withdrawn"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="invitation",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "waiting"),
                    ("accepted", "accepted"),
                    ("declined", "declined"),
                    ("withdrawn", "withdrawn"),
                ],
                default="pending",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="invitation",
            name="invited_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="invited by",
            ),
        ),
    ]
