"""Copy the messages visits kept (visits.OutboundMessage) into the outbox, before visits drops
its table: "were they told?" keeps its answer.

Household messages keep their request as what they are about; their topic is
"visits.before_outbox", since the old rows did not say whether they told a date or a
clearance decision. A staff message is kept when its account is still found by the name or
e-mail it was sent to.
"""

from django.conf import settings
from django.db import migrations

LEGACY_TOPIC = "visits.before_outbox"


def copy_messages(apps, schema_editor):
    OutboundMessage = apps.get_model("visits", "OutboundMessage")
    Message = apps.get_model("messaging", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    if not OutboundMessage.objects.exists():
        return
    request_type, _ = ContentType.objects.get_or_create(app_label="visits", model="visitrequest")
    for old in OutboundMessage.objects.select_related("request").order_by("pk").iterator():
        sent = old.status == "sent"
        fields = {
            "organisation_id": old.organisation_id,
            "address": old.recipient,  # opened under the old column's key, sealed under the new
            "language": old.language,
            "text": old.body,
            "status": "sent" if sent else "not_delivered",
            "attempts": 1,
            "last_error": "" if sent else (old.error or "failed"),
            "backend": old.backend,
            "queued_at": old.sent_at,
            "last_attempt_at": old.sent_at,
            "sent_at": old.sent_at if sent else None,
        }
        if old.request_id is not None:
            Message.objects.create(
                recipient_kind="household",
                household_id=old.request.household_id,
                topic=LEGACY_TOPIC,
                about_type=request_type,
                about_id=old.request_id,
                **fields,
            )
            continue
        user = (
            User.objects.filter(username=old.recipient).first()
            or User.objects.filter(email=old.recipient).exclude(email="").first()
        )
        if user is not None:
            Message.objects.create(
                recipient_kind="staff", user=user, topic="visits.alert", **fields
            )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_outbox"),
        ("visits", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_messages, migrations.RunPython.noop)]
