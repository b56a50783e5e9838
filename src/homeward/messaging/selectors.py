"""Reads of the outbox: who was not reached, for the pages that sent the messages.

The outbox has no page of its own: each page that sends lists its own messages not
delivered, already scoped by the caller's organisation and the permission of that page.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, QuerySet

from homeward.access.caller import Caller
from homeward.messaging.models import Message
from homeward.people.models import Person, Relation


def messages_of(caller: Caller, *, permission: str, topic: str) -> QuerySet[Message]:
    """The caller's organisation's messages on a topic, if the caller holds the permission of
    the page that sends them."""
    if not caller.may(permission):
        return Message.objects.none()
    return Message.objects.filter(organisation=caller.organisation, topic=topic)


def about_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


@dataclass(frozen=True)
class NotReached:
    """A message given up on, as the pages list it: to whom, why, after how many attempts."""

    message_id: int
    name: str  # the head of the household, or the staff account's name
    reference: str  # the household's reference, or the account's username
    reason: str
    attempts: int
    at: datetime.datetime
    about_id: int | None


def _household_name(persons: list[Person]) -> str:
    if not persons:
        return ""
    head = next((p for p in persons if p.relation == Relation.HEAD), persons[0])
    return " ".join(p for p in (head.family_name, head.given_name) if p)


def not_reached(messages: QuerySet[Message], *, limit: int = 200) -> list[NotReached]:
    """The messages not delivered among these, newest first, named for the people following
    up (a bounded number of queries, whatever the number of rows)."""
    rows = (
        messages.filter(status=Message.Status.NOT_DELIVERED)
        .select_related("household", "user")
        .prefetch_related(Prefetch("household__persons", queryset=Person.objects.order_by("pk")))
        .order_by("-queued_at", "-pk")[:limit]
    )
    result = []
    for message in rows:
        if message.household is not None:
            name = _household_name(list(message.household.persons.all()))
            reference = message.household.reference
        else:
            name = message.user.get_full_name() or message.user.get_username()
            reference = message.user.get_username()
        result.append(
            NotReached(
                message_id=message.pk,
                name=name,
                reference=reference,
                reason=message.last_error,
                attempts=message.attempts,
                at=message.last_attempt_at or message.queued_at,
                about_id=message.about_id,
            )
        )
    return result


def waiting(messages: QuerySet[Message]) -> int:
    """How many of these are still on their way (queued, or failed and to be retried)."""
    return messages.filter(status__in=[Message.Status.QUEUED, Message.Status.RETRYING]).count()
