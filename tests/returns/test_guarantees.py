"""The rights framework: guarantees in four languages, status changes dated and audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from homeward.audit.models import AuditEvent
from homeward.people.validation import FieldProblem
from homeward.returns import services
from homeward.returns.models import Guarantee

TEXTS = {
    "hy": "Հայերեն դպրոցներ",
    "ru": "Школы на армянском языке",
    "en": "Schools teaching in Armenian",
    "az": "Erməni dilində təhsil verən məktəblər",
}


def add(caller, **overrides):
    values = {
        "code": "schools",
        "group": "cultural",
        "texts": TEXTS,
        "responsible_party": "Ministry of Education",
        "answers": ["school_armenian"],
        "status_since": datetime.date(2026, 9, 1),
    }
    values.update(overrides)
    return services.add_guarantee(caller=caller, **values)


def test_a_status_change_is_dated_kept_in_the_history_and_audited(bob):
    guarantee = add(bob)
    services.change_guarantee_status(
        caller=bob,
        guarantee=guarantee,
        status=Guarantee.Status.UNDER_NEGOTIATION,
        changed_on=datetime.date(2026, 10, 15),
    )
    guarantee.refresh_from_db()
    assert guarantee.status == "under_negotiation"
    assert guarantee.status_since == datetime.date(2026, 10, 15)
    assert [(c.from_status, c.to_status) for c in guarantee.history.all()] == [
        ("", "proposed"),
        ("proposed", "under_negotiation"),
    ]
    event = AuditEvent.objects.get(action="returns.guarantee.status")
    assert event.details == {"from": "proposed", "to": "under_negotiation", "on": "2026-10-15"}


def test_a_guarantee_needs_its_text_in_every_language(bob):
    with pytest.raises(FieldProblem) as problem:
        add(bob, texts={**TEXTS, "az": " "})
    assert problem.value.field == "text_az"


def test_a_guarantee_answers_known_conditions_only(bob):
    with pytest.raises(FieldProblem) as problem:
        add(bob, answers=["school_armenian", "free_wifi"])
    assert problem.value.field == "answers"


def test_a_status_cannot_go_back_before_the_current_one_began(bob):
    guarantee = add(bob)
    with pytest.raises(FieldProblem):
        services.change_guarantee_status(
            caller=bob, guarantee=guarantee, status="agreed", changed_on=datetime.date(2026, 8, 1)
        )


def test_a_caseworker_may_not_change_the_framework(alice, bob):
    guarantee = add(bob)
    with pytest.raises(PermissionDenied):
        services.change_guarantee_status(caller=alice, guarantee=guarantee, status="agreed")
