"""People's questions: filed by a caseworker, answered by the organisation responsible,
listed with their answers, and the unanswered counted by theme."""

from homeward.audit.models import AuditEvent
from homeward.returns.models import Question
from tests.clients import client_for

ANSWERS = {
    "answer_hy": "Այո, դպրոցները կբացվեն։",
    "answer_ru": "Да, школы откроются.",
    "answer_en": "Yes, the schools will open.",
    "answer_az": "Bəli, məktəblər açılacaq.",
}


def file(client, organisation, text="Will the school in the village reopen?", theme="services"):
    return client.post(
        "/returns/questions/new/",
        {"theme": theme, "text": text, "language": "en", "assigned_to": organisation.pk},
    )


def test_a_question_is_filed_answered_in_four_languages_and_listed(alice, bob, migration_service):
    assert file(client_for(alice), migration_service).status_code == 302
    question = Question.objects.get()
    planner = client_for(bob)
    waiting = planner.get("/returns/questions/").content.decode()
    assert "Will the school in the village reopen?" in waiting
    assert f"/returns/questions/{question.pk}/answer/" in waiting
    assert planner.post(f"/returns/questions/{question.pk}/answer/", ANSWERS).status_code == 302
    page = planner.get("/returns/questions/", headers={"Accept-Language": "ru"})
    assert "Да, школы откроются." in page.content.decode()
    assert AuditEvent.objects.filter(action="returns.question.answer").exists()


def test_an_answer_missing_a_language_is_refused(alice, bob, migration_service):
    file(client_for(alice), migration_service)
    question = Question.objects.get()
    page = client_for(bob).post(
        f"/returns/questions/{question.pk}/answer/", {**ANSWERS, "answer_az": ""}
    )
    assert page.status_code == 200 and 'class="error-summary"' in page.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_only_the_organisation_it_was_assigned_to_answers(alice, bob, other_organisation):
    file(client_for(alice), other_organisation)
    question = Question.objects.get()
    assert client_for(bob).get(f"/returns/questions/{question.pk}/answer/").status_code == 404


def test_the_unanswered_are_counted_by_theme(alice, migration_service):
    client = client_for(alice)
    for theme in ("safety", "safety", "property"):
        file(client, migration_service, theme=theme)
    page = client.get("/returns/questions/").content.decode()
    assert '<th scope="row">Safety and security</th><td class="number">2</td>' in page
    assert '<th scope="row">Homes and property</th><td class="number">1</td>' in page
