from django import template

from homeward.visits.clearance import is_final
from homeward.visits.clearance import refusal_label as label_of

register = template.Library()


@register.filter
def refusal_label(code: str) -> str:
    return label_of(code) if code else ""


@register.filter
def clearance_is_final(traveller) -> bool:
    return is_final(traveller)


@register.filter
def refused_travellers(visit) -> list:
    """Travellers of a request refused or under appeal, for the request's page."""
    return list(
        visit.travellers.filter(clearance__in=["refused", "appealed"]).select_related("person")
    )
