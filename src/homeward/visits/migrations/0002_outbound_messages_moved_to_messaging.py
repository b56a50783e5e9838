"""Messages now live in the outbox (homeward.messaging); their rows were copied there first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("messaging", "0002_copy_visits_outbound_messages"),
    ]

    operations = [
        migrations.DeleteModel(
            name="OutboundMessage",
        ),
    ]
