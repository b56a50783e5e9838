from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "homeward.messaging"
    label = "messaging"
    verbose_name = "Messages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The outbox's retention rule and the eraser of message texts.
        from homeward.messaging.retention import register_rules

        register_rules()
