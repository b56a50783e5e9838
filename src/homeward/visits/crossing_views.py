"""Pages of the crossing: manifests and slips to print, the checkpoint, and who is not back.

The checkpoint page works with plain forms: every action is a POST that redirects back to
the same look-up, so a reload never repeats a check-out and no JavaScript is needed.
"""

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.people.validation import FieldProblem
from homeward.visits import crossing
from homeward.visits.models import Convoy, MissingTravellerAlert, Traveller, VisitRequest


def _checkpoint_url(code: str = "") -> str:
    url = reverse("visits:checkpoint")
    return f"{url}?{urlencode({'code': code})}" if code else url


def _name(traveller: Traveller) -> str:
    person = traveller.person
    return f"{person.family_name} {person.given_name}"


def _checkpoint_action(request, caller) -> str:
    """Do what the officer asked; return the code to look up again afterwards."""
    code = request.POST.get("code", "")
    action = request.POST.get("action", "")
    try:
        if action in ("out", "in"):
            traveller = crossing.get_traveller(caller, int(request.POST.get("traveller", "")))
            if action == "out":
                crossing.check_out(caller=caller, traveller=traveller)
                messages.success(request, _("%(name)s checked out.") % {"name": _name(traveller)})
            else:
                crossing.check_in(caller=caller, traveller=traveller)
                messages.success(request, _("%(name)s checked in.") % {"name": _name(traveller)})
        elif action in ("out-all", "in-all"):
            visit = crossing.get_request_at_checkpoint(caller, request.POST.get("reference", ""))
            if action == "out-all":
                done = crossing.check_out_everyone(caller=caller, visit=visit)
                text = ngettext(
                    "%(count)d traveller checked out.",
                    "%(count)d travellers checked out.",
                    len(done),
                )
            else:
                done = crossing.check_in_everyone(caller=caller, visit=visit)
                text = ngettext(
                    "%(count)d traveller checked in.", "%(count)d travellers checked in.", len(done)
                )
            messages.success(request, text % {"count": len(done)})
        elif action == "returned":
            convoy = crossing.get_convoy(caller, int(request.POST.get("convoy", "")))
            alerts = crossing.mark_convoy_returned(caller=caller, convoy=convoy)
            if alerts:
                messages.error(
                    request,
                    ngettext(
                        "Convoy %(convoy)s returned: %(count)d traveller is not back. "
                        "The planners and the monitors have been alerted.",
                        "Convoy %(convoy)s returned: %(count)d travellers are not back. "
                        "The planners and the monitors have been alerted.",
                        len(alerts),
                    )
                    % {"convoy": convoy.code, "count": len(alerts)},
                )
            else:
                messages.success(
                    request,
                    _("Convoy %(convoy)s returned: everyone is back.") % {"convoy": convoy.code},
                )
        else:
            messages.error(request, _("Nothing to do: choose check out or check in."))
    except ValueError as problem:
        # FieldProblem (and CrossingRefused) is a ValueError; so is a tampered id.
        message = problem.message if isinstance(problem, FieldProblem) else str(problem)
        messages.error(request, message)
    except (Traveller.DoesNotExist, VisitRequest.DoesNotExist, Convoy.DoesNotExist):
        raise Http404 from None
    return code


@staff_view(Permission.CROSS_CHECKPOINT)
def checkpoint(request, caller):
    if request.method == "POST":
        return redirect(_checkpoint_url(_checkpoint_action(request, caller)))
    code = request.GET.get("code", "").strip()
    lookup = crossing.find_at_checkpoint(caller, code) if code else None
    status = 404 if lookup is not None and lookup.visit is None else 200
    return render(
        request,
        "visits/checkpoint.html",
        {"code": code, "lookup": lookup, "convoys": crossing.todays_convoys(caller)},
        status=status,
    )


@staff_view(Permission.PRINT_MANIFESTS)
def manifest_list(request, caller):
    return render(request, "visits/manifest_list.html", {"convoys": crossing.convoy_list(caller)})


@staff_view(Permission.PRINT_MANIFESTS)
def manifest_detail(request, caller, convoy_id: int):
    try:
        manifest = crossing.manifest(caller, convoy_id)
    except Convoy.DoesNotExist:
        raise Http404 from None
    return render(request, "visits/manifest.html", {"manifest": manifest})


@staff_view(Permission.REQUEST_VISITS)
def slip(request, caller, reference: str):
    try:
        visit = crossing.get_request_for_slip(caller, reference)
    except VisitRequest.DoesNotExist:
        raise Http404 from None
    # Inline SVG: the slip prints from the page itself, with no image URL anyone could fetch.
    qr = segno.make(visit.reference, error="m").svg_inline(scale=5, title=visit.reference)
    travellers = visit.travellers.exclude(clearance=Traveller.Clearance.REFUSED).select_related(
        "person"
    )
    return render(
        request,
        "visits/slip.html",
        {
            "visit": visit,
            "qr": mark_safe(qr),  # noqa: S308 -- segno's own markup of our own reference
            "travellers": travellers,
            "capacity": crossing.slip_capacity(visit),
        },
    )


@staff_view(Permission.VIEW_CROSSING_ALERTS)
def alert_list(request, caller):
    show_all = request.GET.get("all") == "1"
    alerts = crossing.alerts_visible_to(caller)
    if not show_all:
        alerts = alerts.filter(resolved_at__isnull=True)
    return render(
        request,
        "visits/alerts.html",
        {
            "rows": crossing.alert_rows(caller, alerts[:500]),
            "show_all": show_all,
            "not_reached": crossing.staff_not_reached(caller),
        },
    )


@staff_view(Permission.VIEW_CROSSING_ALERTS)
def alert_detail(request, caller, alert_id: int):
    try:
        alert = crossing.get_alert(caller, alert_id)
    except MissingTravellerAlert.DoesNotExist:
        raise Http404 from None
    error = ""
    if request.method == "POST":
        try:
            crossing.resolve_alert(
                caller=caller, alert=alert, resolution=request.POST.get("resolution", "")
            )
        except FieldProblem as problem:
            error = problem.message
        else:
            messages.success(request, _("Alert closed."))
            return redirect("visits:alert-detail", alert_id=alert.pk)
    (row,) = crossing.alert_rows(caller, [alert])
    return render(
        request,
        "visits/alerts_detail.html",
        {"row": row, "error": error, "resolution": request.POST.get("resolution", "")},
        status=422 if error else 200,
    )
