from django.urls import path

from homeward.places import views

app_name = "places"
urlpatterns = [
    path("", views.settlement_list, name="settlement-list"),
    path("occupancy/", views.occupancy, name="occupancy"),
    path("occupancy/<slug:slug>/", views.region_occupancy, name="region-occupancy"),
]
