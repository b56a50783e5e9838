from django.urls import path

from homeward.people import views

app_name = "people"
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("new/", views.household_create, name="household-create"),
    path("<str:reference>/", views.household_detail, name="household-detail"),
    path("<str:reference>/edit/", views.household_edit, name="household-edit"),
    path("<str:reference>/persons/new/", views.person_create, name="person-create"),
    path("persons/<int:person_id>/edit/", views.person_edit, name="person-edit"),
]
