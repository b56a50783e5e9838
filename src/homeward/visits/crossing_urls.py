"""Pages of the crossing part of visits (included by visits/urls.py under the "visits" namespace)."""

from django.urls import path

from homeward.visits import crossing_views as views

urlpatterns = [
    path("", views.checkpoint, name="checkpoint"),
    path("manifests/", views.manifest_list, name="manifest-list"),
    path("manifests/<int:convoy_id>/", views.manifest_detail, name="manifest"),
    path("slips/<str:reference>/", views.slip, name="slip"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
]
