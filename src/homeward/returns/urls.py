from django.urls import path

from homeward.returns import views

app_name = "returns"
urlpatterns = [
    path("projection/", views.projection, name="projection"),
]
