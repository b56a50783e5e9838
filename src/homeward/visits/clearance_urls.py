"""Pages of the clearance part of visits (included by visits/urls.py under the "visits" namespace)."""

from django.urls import path

from homeward.visits import clearance_views as views

urlpatterns = [
    path("", views.clearance_list, name="clearance-list"),
    path("convoys/<int:convoy_id>/", views.clearance_convoy, name="clearance-convoy"),
    path("entries/<int:traveller_id>/decide/", views.clearance_decide, name="clearance-decide"),
    path("refusals/", views.refusal_list, name="clearance-refusals"),
    path("refusals/<int:traveller_id>/appeal/", views.refusal_appeal, name="clearance-appeal"),
    path("notify/", views.notify, name="clearance-notify"),
    path("notify/runs/<int:job_id>/", views.notify_run, name="notify-run"),
]
