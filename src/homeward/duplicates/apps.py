from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    name = "homeward.duplicates"
    label = "duplicates"
    verbose_name = "Duplicates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the deduplication job kind with the jobs app.
        from homeward.duplicates import jobs  # noqa: F401
