"""How long intention survey answers are kept (registered with the rights app's rules)."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.people.models import Person
from homeward.returns.models import Intention
from homeward.rights.anonymisation import register_eraser
from homeward.rights.retention import YEAR, RetentionRule, delete_records, register

INTENTION_PERIOD = 5 * YEAR


def erase_intention_text(person_ids: list[int]) -> None:
    """A household's concerns and questions are its members' words: when one member is
    anonymised, the household's words go too (the codes stay: they name nobody)."""
    households = Person.objects.filter(pk__in=person_ids).values("household")
    Intention.objects.filter(household__in=households).update(concerns="", questions="")


def _old_intentions(now: datetime.datetime) -> QuerySet[Intention]:
    return Intention.objects.filter(recorded_at__lt=now - INTENTION_PERIOD)


def register_rules() -> None:
    register_eraser(erase_intention_text)
    register(
        RetentionRule(
            key="returns.intentions",
            record=_("Intention survey answers (intention, conditions, concerns, questions)"),
            kept=_("5 years after the answer"),
            then=_(
                "deleted; when a household member is anonymised, its concerns and questions at once"
            ),
            reason=_(
                "Projections and the plan's answers rest on them for a round of negotiation; "
                "after five years a family's answer no longer speaks for it."
            ),
            period=INTENTION_PERIOD,
            expired=_old_intentions,
            end=delete_records,
        )
    )
