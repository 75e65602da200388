"""Outgoing email is delivered through a lease (core.outbox): a "sending" state, the lease's
end, and a Message-ID fixed per row. Rows already there get their own Message-ID each."""

from django.db import migrations
from django.db import models

import core.mail


def give_message_ids(apps, schema_editor):
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    for email in OutgoingEmail.objects.only("pk").iterator():
        OutgoingEmail.objects.filter(pk=email.pk).update(message_id=core.mail.new_message_id())


class Migration(migrations.Migration):
    dependencies = [("core", "0002_moderation_notices")]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="message_id",
            field=models.CharField(
                editable=False, max_length=255, null=True, verbose_name="Message-ID"
            ),
        ),
        migrations.RunPython(give_message_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="outgoingemail",
            name="message_id",
            field=models.CharField(
                default=core.mail.new_message_id,
                editable=False,
                max_length=255,
                unique=True,
                verbose_name="Message-ID",
            ),
        ),
        # Rows already queued get a lease that runs out in five minutes: then the sweeper queues
        # them again, as it does any row a lost task left behind.
        migrations.AddField(
            model_name="outgoingemail",
            name="lease_until",
            field=models.DateTimeField(
                default=core.mail.delivery_lease_end, verbose_name="lease until"
            ),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("sending", "sending"),
                    ("sent", "sent"),
                    ("failed", "failed"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddIndex(
            model_name="outgoingemail",
            index=models.Index(
                condition=models.Q(("status__in", ["queued", "sending"])),
                fields=["lease_until"],
                name="core_outgoing_unsent",
            ),
        ),
    ]
