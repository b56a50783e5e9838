from django.urls import path

from homeward.duplicates import views

app_name = "duplicates"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("run/", views.start_run, name="start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("review/", views.review, name="review"),
    path("pairs/<int:pair_id>/", views.pair_detail, name="pair"),
    path("merges/<int:merge_id>/", views.merge_detail, name="merge"),
]
