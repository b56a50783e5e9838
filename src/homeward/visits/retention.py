"""How long visit records are kept (registered with the rights app's retention rules)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.people.models import Person
from homeward.rights.anonymisation import register_eraser
from homeward.rights.retention import YEAR, RetentionRule, register
from homeward.visits.models import Traveller, VisitRequest

CROSSING_PERIOD = 5 * YEAR


def _travellers_held(persons: QuerySet[Person], now: datetime.datetime) -> QuerySet[Person]:
    """Anyone on a request still open, or who crossed within the period."""
    since = (now - CROSSING_PERIOD).date()
    open_or_recent = VisitRequest.objects.filter(
        Q(status__in=[VisitRequest.Status.WAITING, VisitRequest.Status.PLANNED])
        | Q(convoy__date__gte=since)
    )
    return persons.filter(pk__in=open_or_recent.values("travellers__person"))


def erase_visit_text(person_ids: list[int]) -> None:
    """What visits hold in people's words or with their names: appeal grounds and the
    authority's notes (the messaging app clears the texts of messages about them)."""
    Traveller.objects.filter(person_id__in=person_ids).update(appeal_grounds="", clearance_note="")


def register_rules() -> None:
    register_eraser(erase_visit_text)
    register(
        RetentionRule(
            key="visits.crossings",
            record=_("Visit requests, travellers, their clearance and their crossings"),
            kept=_("while the request is open, then 5 years after the convoy's date"),
            then=_(
                "the travellers' registry records follow the registry's own rule; when a "
                "traveller is anonymised, so are their appeal's grounds, the authority's notes "
                "and the text of messages about their visit"
            ),
            reason=_(
                "The record that everyone who crossed came back is owed to families and monitors; "
                "it must outlast any complaint about a visit or a refusal."
            ),
            period=CROSSING_PERIOD,
            holds=_travellers_held,
        )
    )
