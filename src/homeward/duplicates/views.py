from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.duplicates import selectors, services
from homeward.duplicates.comparison import side_by_side, side_by_side_all
from homeward.duplicates.models import CandidatePair, DeduplicationRun, Merge, PairDecision


@staff_view(Permission.REVIEW_DUPLICATES)
def start_run(request, caller):
    """What a run will do, and a button to confirm it: one click must not merge a registry."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            run = services.start_deduplication(caller=caller)
        except services.DuplicatesConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("duplicates:overview")
        messages.success(request, _("Deduplication run started."))
        return redirect("duplicates:run", run_id=run.pk)
    from homeward.engines.linkage import DEFAULT_THRESHOLD

    return render(
        request,
        "duplicates/start.html",
        {
            "records": selectors.registry_size(caller),
            "threshold": DEFAULT_THRESHOLD,
            "review_floor": services.REVIEW_FLOOR,
            "run": selectors.latest_run(caller),
        },
    )


@staff_view(Permission.REVIEW_DUPLICATES)
def run_detail(request, caller, run_id: int):
    """A run's figures and the merges it made, so that they can be checked."""
    try:
        run = selectors.get_run(caller, run_id)
    except DeduplicationRun.DoesNotExist:
        raise Http404 from None
    merges = selectors.merges_of_run(caller, run)
    return render(
        request,
        "duplicates/run.html",
        {"run": run, "merges": Paginator(merges, 50).get_page(request.GET.get("page"))},
    )


@staff_view(Permission.REVIEW_DUPLICATES)
def overview(request, caller):
    if request.method == "POST":
        # Starting a run goes through the page that says what it will do.
        return redirect("duplicates:start")
    merges = (
        selectors.merges_visible_to(caller)
        .filter(state=Merge.State.ACTIVE)
        .prefetch_related("members__person__household")
    )
    return render(
        request,
        "duplicates/overview.html",
        {
            "run": selectors.latest_run(caller),
            "finished": selectors.latest_finished_run(caller),
            "open_count": selectors.open_pairs(caller).count(),
            "merges": Paginator(merges, 25).get_page(request.GET.get("page")),
        },
    )


@staff_view(Permission.REVIEW_DUPLICATES)
def review(request, caller):
    pairs = Paginator(selectors.open_pairs(caller), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "duplicates/review.html",
        {"pairs": pairs, "run": selectors.latest_finished_run(caller)},
    )


@staff_view(Permission.REVIEW_DUPLICATES)
def pair_detail(request, caller, pair_id: int):
    try:
        pair = selectors.get_pair(caller, pair_id)
    except CandidatePair.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in PairDecision.Decision.values:
            messages.error(request, _("Choose “same person” or “different people”."))
            return redirect("duplicates:pair", pair_id=pair.pk)
        try:
            services.decide_pair(
                caller=caller,
                pair=pair,
                decision=decision,
                reason=request.POST.get("reason", "").strip(),
            )
        except services.DuplicatesConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("duplicates:pair", pair_id=pair.pk)
        messages.success(
            request,
            _("Recorded: same person, records merged.")
            if decision == PairDecision.Decision.SAME
            else _("Recorded: different people; later runs keep them apart."),
        )
        following = selectors.open_pairs(caller).first()
        if following is None:
            return redirect("duplicates:review")
        return redirect("duplicates:pair", pair_id=following.pk)
    return render(
        request,
        "duplicates/pair.html",
        {
            "pair": pair,
            "rows": side_by_side(
                pair.person_a, pair.person_b, pair.agreements, pair.agreed, pair.disagreed
            ),
            "decision": selectors.decision_on(pair),
            "merge_a": selectors.active_merge_of(pair.person_a),
            "merge_b": selectors.active_merge_of(pair.person_b),
            "open_count": selectors.open_pairs(caller).count(),
        },
    )


@staff_view(Permission.REVIEW_DUPLICATES)
def merge_detail(request, caller, merge_id: int):
    try:
        merge = selectors.get_merge(caller, merge_id)
    except Merge.DoesNotExist:
        raise Http404 from None
    if request.method == "POST" and request.POST.get("give_back"):
        person = next(
            (
                m.person
                for m in merge.members.all()
                if str(m.person_id) == request.POST["give_back"]
            ),
            None,
        )
        if person is None:
            raise Http404
        try:
            continued = services.give_back(
                caller=caller, merge=merge, person=person, reason=request.POST.get("reason", "")
            )
        except services.DuplicatesConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("duplicates:merge", merge_id=merge.pk)
        messages.success(
            request,
            _("%(name)s is no longer in this merge; the others stay merged.")
            % {"name": f"{person.given_name} {person.family_name}"},
        )
        return redirect("duplicates:merge", merge_id=continued.pk)
    if request.method == "POST":
        try:
            services.undo_merge(
                caller=caller,
                merge=merge,
                different=request.POST.get("different") == "on",
                reason=request.POST.get("reason", "").strip(),
            )
        except services.DuplicatesConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _("Merge undone. The records are separate again."))
        return redirect("duplicates:merge", merge_id=merge.pk)
    persons = [member.person for member in merge.members.all()]
    return render(
        request,
        "duplicates/merge.html",
        {
            "merge": merge,
            "persons": persons,
            "rows": side_by_side_all(persons),
            "replaced": merge.replaced.order_by("pk"),
            "continued_as": merge.continued_as.first(),
            # One record can be given back only where others stay merged without it.
            "can_give_back": merge.active and len(persons) >= 3,
        },
    )
