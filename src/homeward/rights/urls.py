from django.urls import path

from homeward.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("persons/<int:person_id>/correction/", views.correction_create, name="correction-create"),
    path("persons/<int:person_id>/erasure/", views.erasure_create, name="erasure-create"),
    path("corrections/<int:request_id>/", views.correction_detail, name="correction-detail"),
    path("erasures/<int:request_id>/", views.erasure_detail, name="erasure-detail"),
]
