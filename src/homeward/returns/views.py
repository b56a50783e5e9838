from django.shortcuts import render
from django.utils import translation

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.returns.models import Guarantee
from homeward.returns.projection import prior_cases, project
from homeward.returns.survey import CONDITION_LABELS


@staff_view(Permission.VIEW_PROJECTIONS)
def projection(request, caller):
    """The negotiator's what-if: tick guarantees, see who would return. htmx swaps the
    figures in place; without JavaScript the form submits and the page reloads."""
    guarantees = list(Guarantee.objects.all())
    given = request.GET.getlist("given")
    figures = project(given, with_small_counts=caller.may(Permission.VIEW_HOUSEHOLDS))
    language = (translation.get_language() or "en")[:2]
    texts = {g.code: g.text(language) for g in guarantees}
    context = {
        "guarantees": [(g, texts[g.code]) for g in guarantees],
        "given": set(given),
        "figures": figures,
        "largest": max((r.figures.would_return_people_high for r in figures.rows), default=0) or 1,
        "gains": [(texts[g.code], g) for g in figures.gains[:5]],
        "blocking": [(CONDITION_LABELS[g.code], g) for g in figures.blocking[:5]],
        "cases": prior_cases(),
    }
    template = (
        "returns/projection_figures.html"
        if request.headers.get("HX-Request")
        else "returns/projection.html"
    )
    return render(request, template, context)
