from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Permanent return: intentions and conditions, guarantees, projections of who would return."""

    name = "homeward.returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homeward.returns.retention import register_rules

        register_rules()
