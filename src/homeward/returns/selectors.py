"""Reads of the returns app, scoped to what the caller may see."""

from django.db.models import OuterRef, QuerySet, Subquery

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.returns.models import Guarantee, Intention


def intentions_for(caller: Caller) -> QuerySet[Intention]:
    """The organisation's intention records; nothing for a role that may not record them."""
    if not caller.may(Permission.RECORD_INTENTIONS):
        return Intention.objects.none()
    return Intention.objects.filter(organisation=caller.organisation).select_related("household")


def current_intentions_for(caller: Caller) -> QuerySet[Intention]:
    """Each household's newest answer only."""
    newest = (
        Intention.objects.filter(household=OuterRef("household"))
        .order_by("-recorded_at", "-id")
        .values("id")[:1]
    )
    return intentions_for(caller).filter(id=Subquery(newest))


def guarantees() -> QuerySet[Guarantee]:
    """The rights framework is public: every guarantee, with its history."""
    return Guarantee.objects.prefetch_related("history")
