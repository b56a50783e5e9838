from django.http import Http404
from django.shortcuts import render

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.places.models import HostRegion, Route, Settlement
from homeward.places.selectors import (
    find_settlements,
    shelter_occupancy,
    shelter_occupancy_by_region,
    shelters_of,
)


@staff_view(Permission.VIEW_PLACES)
def settlement_list(request, caller):
    query = request.GET.get("q", "").strip()
    settlements = (
        find_settlements(query) if query else Settlement.objects.prefetch_related("routes")
    )
    routes = Route.objects.prefetch_related("stops__settlement")
    return render(
        request,
        "places/settlement_list.html",
        {"settlements": settlements, "query": query, "routes": routes},
    )


@staff_view(Permission.VIEW_OCCUPANCY)
def occupancy(request, caller):
    table = shelter_occupancy_by_region(
        suppress_small_counts=not caller.may(Permission.VIEW_HOUSEHOLDS)
    )
    return render(request, "places/occupancy.html", table)


@staff_view(Permission.VIEW_OCCUPANCY)
def region_occupancy(request, caller, slug: str):
    region = HostRegion.objects.filter(slug=slug).first()
    if region is None:
        raise Http404
    # People per shelter only for roles with access to cases: a shelter of a few is a list of names.
    with_people = caller.may(Permission.VIEW_HOUSEHOLDS)
    shelters = shelter_occupancy(region) if with_people else shelters_of(region)
    return render(
        request,
        "places/region_occupancy.html",
        {"region": region, "shelters": shelters, "with_people": with_people},
    )
