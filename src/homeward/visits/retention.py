"""How long visit records are kept (registered with the rights app's retention rules)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.people.models import Person
from homeward.rights.anonymisation import register_eraser
from homeward.rights.retention import YEAR, RetentionRule, delete_records, register
from homeward.visits.models import OutboundMessage, Traveller, VisitRequest

CROSSING_PERIOD = 5 * YEAR
MESSAGE_PERIOD = YEAR


def _travellers_held(persons: QuerySet[Person], now: datetime.datetime) -> QuerySet[Person]:
    """Anyone on a request still open, or who crossed within the period."""
    since = (now - CROSSING_PERIOD).date()
    open_or_recent = VisitRequest.objects.filter(
        Q(status__in=[VisitRequest.Status.WAITING, VisitRequest.Status.PLANNED])
        | Q(convoy__date__gte=since)
    )
    return persons.filter(pk__in=open_or_recent.values("travellers__person"))


def erase_visit_text(person_ids: list[int]) -> None:
    """What visits hold in people's words or with their names: appeal grounds, the
    authority's notes, and the text of messages about their requests."""
    Traveller.objects.filter(person_id__in=person_ids).update(appeal_grounds="", clearance_note="")
    requests = Traveller.objects.filter(person_id__in=person_ids).values("request")
    OutboundMessage.objects.filter(request__in=requests).update(body="")


def _old_messages(now: datetime.datetime) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(sent_at__lt=now - MESSAGE_PERIOD)


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
    register(
        RetentionRule(
            key="visits.messages",
            record=_("Messages sent to households and staff (phone number, text, delivery)"),
            kept=_("1 year"),
            then=_("deleted"),
            reason=_('Enough to answer "were we told?"; a phone number should not linger.'),
            period=MESSAGE_PERIOD,
            expired=_old_messages,
            end=delete_records,
        )
    )
