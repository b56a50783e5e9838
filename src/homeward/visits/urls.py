from django.urls import include, path

from homeward.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("new/<str:household>/", views.request_create, name="request-create"),
    path("requests/<str:reference>/", views.request_detail, name="request-detail"),
    path("capacity/", views.capacity_edit, name="capacity"),
    path("plan/", views.plan_overview, name="plan"),
    path("plan/runs/<int:job_id>/", views.plan_run, name="plan-run"),
    path("clearance/", include("homeward.visits.clearance_urls")),
    path("checkpoint/", include("homeward.visits.crossing_urls")),
]
