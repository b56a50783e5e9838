from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import include, path

from homeward.access import sharing_views
from homeward.access.caller import caller_for
from homeward.access.mfa import second_factor
from homeward.api import api
from homeward.jobs.views import healthz
from homeward.people.selectors import households_visible_to, persons_visible_to


def home(request):
    if not request.user.is_authenticated:
        return auth_views.redirect_to_login(request.get_full_path())
    caller = caller_for(request.user)
    counts = None
    if caller is not None:
        counts = {
            "households": households_visible_to(caller).count(),
            "persons": persons_visible_to(caller).count(),
        }
    return render(request, "home.html", {"counts": counts})


urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", second_factor, name="second-factor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("households/", include("homeward.people.urls")),
    path("sharing/", sharing_views.agreements, name="sharing-agreements"),
    path("sharing/<int:agreement_id>/approve/", sharing_views.approve, name="sharing-approve"),
    path("sharing/received/", sharing_views.received, name="sharing-received"),
    path("sharing/consent/<int:person_id>/", sharing_views.consent, name="sharing-consent"),
    path("places/", include("homeward.places.urls")),
    path("visits/", include("homeward.visits.urls")),
    path("rights/", include("homeward.rights.urls")),
    path("duplicates/", include("homeward.duplicates.urls")),
    path("returns/", include("homeward.returns.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
