"""Session lifetime: ended 12 hours after sign-in, at sign-out, and when an account is disabled."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.utils.cache import patch_cache_control

from homeward.access.models import SignedInSession

SIGNED_IN_AT = "homeward_signed_in_at"


def remember_sign_in(sender, request, user, **kwargs) -> None:
    """On sign-in: note when, and which session belongs to whom (to end it if disabled)."""
    request.session[SIGNED_IN_AT] = time.time()
    if not request.session.session_key:
        request.session.save()
    SignedInSession.objects.get_or_create(user=user, session_key=request.session.session_key)


def rotate_session_key(request) -> None:
    """A new session key, same contents: for when the session gains privilege (the second factor).

    A key seen before this step (on a shared machine, in a proxy log, planted by an attacker
    before sign-in) is worth nothing after it.
    """
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key:
        SignedInSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


def forget_sign_in(sender, request, user, **kwargs) -> None:
    if user is not None and request.session.session_key:
        SignedInSession.objects.filter(user=user, session_key=request.session.session_key).delete()


def end_sessions_of_disabled_accounts(sender, instance, **kwargs) -> None:
    if instance.pk and not instance.is_active:
        end_all_sessions(instance)


def end_all_sessions(user) -> int:
    keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    SignedInSession.objects.filter(user=user).delete()
    return len(keys)


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if signed_in_at is None or time.time() - signed_in_at > limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response the application makes.

    Pages and API answers name people, and so can a page without a signed-in user (a
    displaced person's status, behind a reference and PIN); no browser cache, shared computer
    or proxy should keep a copy. Static files are served before this (WhiteNoise, or the
    development server) and keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        return response
