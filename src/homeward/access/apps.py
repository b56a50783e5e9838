from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "homeward.access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_save

        from homeward.access import sessions

        user_logged_in.connect(sessions.remember_sign_in, dispatch_uid="homeward-sign-in")
        user_logged_out.connect(sessions.forget_sign_in, dispatch_uid="homeward-sign-out")
        post_save.connect(
            sessions.end_sessions_of_disabled_accounts,
            sender=get_user_model(),
            dispatch_uid="homeward-disabled-account",
        )
