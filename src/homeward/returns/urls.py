from django.urls import path

from homeward.returns import views

app_name = "returns"
urlpatterns = [
    path("projection/", views.projection, name="projection"),
    path("guarantees/", views.guarantee_list, name="guarantee-list"),
    path("guarantees/<slug:code>/status/", views.change_status, name="guarantee-status"),
    path(
        "households/<str:reference>/intentions/",
        views.record_intention,
        name="household-intentions",
    ),
]
