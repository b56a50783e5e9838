"""A second factor for every staff account: a TOTP code after the password.

Every page and every session-authenticated API call passes through
RequireSecondFactorMiddleware, so there is no path around it (the failure seen in other
systems: MFA enforced on one sign-in path and not another). API bearer tokens are a separate
credential for machine clients, issued by an operator and revocable; they do not sign in.
"""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.access.sessions import rotate_session_key
from homeward.audit.services import record_event

# Reachable before the second factor: signing in and out, choosing a language, static files.
OPEN_PATHS = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/second-factor/",
    "/i18n/",
    "/static/",
)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            if request.path.startswith("/api/"):
                # A browser session without its second factor is not signed in for the API.
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()
                return self.get_response(request)
            return redirect(f"/accounts/second-factor/?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor(request):
    """Enter the code; on first sign-in, enrol an authenticator app first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    device = confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", _("Too many wrong codes in a row. Wait a few seconds and try again.")
            )
        elif device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    _audit(request, "access.mfa.enrol")
                otp_login(request, device)
                rotate_session_key(request)
            if enrolling:
                messages.success(request, _("Your authenticator app is set up."))
            return redirect(next_url)
        else:
            form.add_error(
                "code", _("That code is not right, or has expired. Try the current one.")
            )
    context = {"form": form, "next": next_url, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = _base32(device)
    return render(request, "registration/second_factor.html", context)


def _base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _audit(request, action: str) -> None:
    from homeward.access.caller import caller_for

    caller = caller_for(request.user)
    record_event(
        actor=request.user,
        organisation=caller.organisation if caller else None,
        action=action,
        target=request.user,
    )
