from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "homeward.rights"
    default_auto_field = "django.db.models.BigAutoField"
