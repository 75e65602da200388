"""OutgoingEmail moves from the configuration package (dsi_hub) to core, keeping its table:
only Django's idea of which app holds it changes (see dsi_hub.0002_outgoing_email_to_core)."""

from django.db import migrations
from django.db import models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("dsi_hub", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("message", models.JSONField(verbose_name="message")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "queued"),
                                    ("sent", "sent"),
                                    ("failed", "failed"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
                        ),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="sent"),
                        ),
                    ],
                    options={
                        "verbose_name": "outgoing email",
                        "verbose_name_plural": "outgoing emails",
                        "db_table": "dsi_hub_outgoingemail",
                        "indexes": [
                            models.Index(
                                fields=["status", "sent_at"], name="dsi_hub_out_status_e81728_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
