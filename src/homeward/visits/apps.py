from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "homeward.visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the convoy-planning job kind and the visit records' retention rules.
        from homeward.visits import planning  # noqa: F401
        from homeward.visits.retention import register_rules

        register_rules()
