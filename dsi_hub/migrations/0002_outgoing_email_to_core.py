"""OutgoingEmail now belongs to core (core.0001_outgoing_email), which keeps its table: this
app only forgets the model; nothing changes in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dsi_hub", "0001_initial"), ("core", "0001_outgoing_email")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingEmail")],
            database_operations=[],
        ),
    ]
