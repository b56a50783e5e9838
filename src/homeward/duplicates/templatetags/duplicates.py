from django import template

from homeward.duplicates import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def same_person_notes(context, persons):
    """{% same_person_notes household.persons.all as same %}: the other records merged with
    each person shown (persons or search results), in one query."""
    return selectors.same_person_as(context.get("caller"), persons)


@register.filter
def others_of(notes, person):
    return notes.get(getattr(person, "pk", person), []) if notes else []
