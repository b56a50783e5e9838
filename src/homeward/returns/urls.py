from django.urls import path

from homeward.returns import views

app_name = "returns"
urlpatterns = [
    path("projection/", views.projection, name="projection"),
    path("guarantees/", views.guarantee_list, name="guarantee-list"),
    path("questions/", views.question_list, name="question-list"),
    path("questions/new/", views.file_question, name="question-create"),
    path("questions/<int:question_id>/answer/", views.answer_question, name="question-answer"),
    path("guarantees/<slug:code>/status/", views.change_status, name="guarantee-status"),
    path(
        "households/<str:reference>/intentions/",
        views.record_intention,
        name="household-intentions",
    ),
]
