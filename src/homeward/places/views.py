from django.http import Http404
from django.shortcuts import render

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.places.models import HostRegion, Route, Settlement
from homeward.places.selectors import (
    find_settlements,
    shelter_occupancy,
    shelter_occupancy_by_region,
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
    rows = shelter_occupancy_by_region()
    totals = {
        "shelters": sum(r["shelters"] for r in rows),
        "capacity": sum(r["capacity"] for r in rows),
        "people": sum(r["people"] for r in rows),
    }
    totals["free"] = totals["capacity"] - totals["people"]
    return render(request, "places/occupancy.html", {"rows": rows, "totals": totals})


@staff_view(Permission.VIEW_OCCUPANCY)
def region_occupancy(request, caller, slug: str):
    region = HostRegion.objects.filter(slug=slug).first()
    if region is None:
        raise Http404
    return render(
        request,
        "places/region_occupancy.html",
        {"region": region, "shelters": shelter_occupancy(region)},
    )
