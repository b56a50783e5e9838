from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "homeward.visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the planning and notifying job kinds and the visit records' retention rules.
        from homeward.visits import notifications, planning  # noqa: F401
        from homeward.visits.retention import register_rules

        register_rules()
