"""How long the outbox keeps messages, and the eraser of their texts."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.messaging.models import Message
from homeward.rights.anonymisation import register_eraser
from homeward.rights.retention import YEAR, RetentionRule, delete_records, register

MESSAGE_PERIOD = YEAR


def erase_message_text(person_ids: list[int]) -> None:
    """A message to a household may name any of its members (a refusal names the traveller):
    when one is anonymised, the texts and the number of the household's messages go."""
    Message.objects.filter(household__persons__in=person_ids).update(text="", address="")


def _old_messages(now: datetime.datetime) -> QuerySet[Message]:
    return Message.objects.filter(queued_at__lt=now - MESSAGE_PERIOD)


def register_rules() -> None:
    register_eraser(erase_message_text)
    register(
        RetentionRule(
            key="messaging.messages",
            record=_(
                "Messages to households and staff (phone number or account, text, delivery "
                "attempts and the reason one was not delivered)"
            ),
            kept=_(
                "1 year after the message was written (its text and number are cleared "
                "at once if a member of the household is anonymised)"
            ),
            then=_("deleted"),
            reason=_('Enough to answer "were we told?"; a phone number should not linger.'),
            period=MESSAGE_PERIOD,
            expired=_old_messages,
            end=delete_records,
        )
    )
