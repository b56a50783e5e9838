"""Deduplication in the app: runs as jobs, the review queue, merges and their undoing."""

import pytest

from homeward.audit.models import AuditEvent
from homeward.duplicates import selectors
from homeward.duplicates.models import CandidatePair, Merge, MergeMember, PairDecision
from homeward.duplicates.services import (
    DuplicatesConflict,
    decide_pair,
    give_back,
    start_deduplication,
    undo_merge,
)
from homeward.people.models import Person
from tests.clients import client_for, token_client_for


def merged_together(*persons) -> bool:
    merges = {
        MergeMember.objects.filter(person=p, active=True).values_list("merge", flat=True).first()
        for p in persons
    }
    return len(merges) == 1 and None not in merges


def open_pair(caller, a, b) -> CandidatePair | None:
    low, high = sorted((a.pk, b.pk))
    return selectors.open_pairs(caller).filter(person_a=low, person_b=high).first()


def actions(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).values_list("action", flat=True)
    )


def test_a_run_merges_one_person_written_in_three_scripts(registry, alice):
    a1, a2, a3 = registry["A1"], registry["A2"], registry["A3"]

    run = start_deduplication(caller=alice)

    run.refresh_from_db()
    assert run.job.status == "done", run.job.error
    assert run.records == Person.objects.count()
    assert merged_together(a1, a2, a3)
    merge = selectors.active_merge_of(a1)
    assert merge.method == Merge.Method.AUTOMATIC and merge.run == run
    assert merge.weakest_link >= run.threshold
    assert actions(merge) == ["duplicates.merge"]
    assert actions(run) == ["duplicates.run.start", "duplicates.run.finish"]
    # Nothing the registering bodies wrote is touched.
    a2.refresh_from_db()
    assert (a2.given_name, a2.family_name, a2.household.reference) == (
        "Анаит",
        "Оганесян",
        registry["A2"].household.reference,
    )


def test_twins_are_not_merged_but_wait_for_a_reviewer(registry, alice):
    start_deduplication(caller=alice)

    assert not merged_together(registry["T1"], registry["T2"])
    assert open_pair(alice, registry["T1"], registry["T2"]) is not None


def test_twins_of_one_household_are_never_merged_and_the_queue_says_why(registry, alice):
    run = start_deduplication(caller=alice)

    client = client_for(alice)
    queue = client.get("/duplicates/review/").content.decode()
    for first, second in (("B1", "B2"), ("S1", "S2")):  # a boy and a girl; Erik and Edik
        assert not merged_together(registry[first], registry[second])
        pair = open_pair(alice, registry[first], registry[second])
        assert pair is not None and pair.why in ("household", "sex")
        assert pair.suspicions[0] == "Same household — twins?"
        page = client.get(f"/duplicates/pairs/{pair.pk}/").content.decode()
        assert "Same household — twins?" in page and "Never merged automatically" in page
        assert "Match probability" not in page
        row = queue[queue.index(registry[first].household.reference) :]
        assert "Same household — twins?" in row[:600]
    # The given names differ by a letter: close, not a tick.
    erik = open_pair(alice, registry["S1"], registry["S2"])
    page = client.get(f"/duplicates/pairs/{erik.pk}/").content.decode()
    given_name_row = page[page.index("Erik") : page.index("Family name")]
    assert "≈ close, not the same" in given_name_row and "✓" not in given_name_row
    assert run.kept_apart_by_guard >= 1


def test_the_review_page_shows_both_records_and_what_agrees(registry, alice):
    start_deduplication(caller=alice)
    twins = open_pair(alice, registry["T1"], registry["T2"])

    page = client_for(alice).get(f"/duplicates/pairs/{twins.pk}/").content.decode()

    for record in ("T1", "T2"):
        assert f"caseworkers / {record}" in page
        assert registry[record].household.reference in page
    assert "Davit" in page and "Gor" in page and "2001-06-15" in page
    assert page.count("✓ agrees") == 5  # family name, father, birth date, sex, origin
    assert page.count("✗ differs") == 1  # given name
    assert "Same person" in page and "Different people" in page


def test_a_pair_in_the_uncertain_band_waits_for_a_reviewer(registry, alice):
    run = start_deduplication(caller=alice)

    pair = open_pair(alice, registry["W1"], registry["W2"])
    assert pair.why == CandidatePair.Why.UNCERTAIN
    assert run.review_floor <= pair.probability < run.threshold
    assert pair.agreed == ["given_name", "family_name"]
    assert not merged_together(registry["W1"], registry["W2"])


def test_the_review_list_does_not_grow_queries_with_its_pairs(
    registry, alice, django_assert_max_num_queries
):
    start_deduplication(caller=alice)
    client = client_for(alice)
    with django_assert_max_num_queries(20):
        response = client.get("/duplicates/review/")
    assert response.status_code == 200
    assert "Sahakyan" in response.content.decode()


def test_confirming_merges_the_pair_and_the_next_run_keeps_it(registry, alice):
    start_deduplication(caller=alice)
    pair = open_pair(alice, registry["W1"], registry["W2"])

    response = client_for(alice).post(
        f"/duplicates/pairs/{pair.pk}/", {"decision": "same", "reason": "same phone call"}
    )

    assert response.status_code == 302
    decision = PairDecision.objects.get(pair=pair)
    assert decision.decision == "same" and decision.decided_by == alice.user
    assert decision.merge.method == Merge.Method.CONFIRMED
    assert merged_together(registry["W1"], registry["W2"])
    assert actions(decision) == ["duplicates.pair.confirm"]

    run = start_deduplication(caller=alice)

    assert merged_together(registry["W1"], registry["W2"])
    assert open_pair(alice, registry["W1"], registry["W2"]) is None
    assert not CandidatePair.objects.filter(
        run=run, person_a=pair.person_a, person_b=pair.person_b
    ).exists()


def test_rejecting_keeps_the_pair_apart_and_out_of_the_next_queue(registry, alice):
    start_deduplication(caller=alice)
    twins = open_pair(alice, registry["T1"], registry["T2"])

    client_for(alice).post(f"/duplicates/pairs/{twins.pk}/", {"decision": "different"})

    assert PairDecision.objects.get(pair=twins).decision == "different"
    assert not merged_together(registry["T1"], registry["T2"])
    assert open_pair(alice, registry["T1"], registry["T2"]) is None

    run = start_deduplication(caller=alice)

    assert run.pairs_to_review > 0
    assert not merged_together(registry["T1"], registry["T2"])
    assert not CandidatePair.objects.filter(
        run=run, person_a=twins.person_a, person_b=twins.person_b
    ).exists()


def test_a_confirmation_that_contradicts_a_rejection_is_refused(registry, alice):
    start_deduplication(caller=alice)
    twins = open_pair(alice, registry["T1"], registry["T2"])
    decide_pair(caller=alice, pair=twins, decision="different")

    with pytest.raises(DuplicatesConflict):
        decide_pair(caller=alice, pair=twins, decision="same")


def test_undoing_a_merge_restores_the_records_and_is_audited(registry, alice):
    start_deduplication(caller=alice)
    merge = selectors.active_merge_of(registry["A1"])
    household = registry["A1"].household.reference
    client = client_for(alice)
    assert "Same person as" in client.get(f"/households/{household}/").content.decode()

    response = client.post(f"/duplicates/merges/{merge.pk}/", {"reason": "asked the family"})

    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.state == Merge.State.UNDONE and merge.undone_by == alice.user
    assert merge.undo_reason == "asked the family" and not merge.undone_as_different
    assert not merged_together(registry["A1"], registry["A2"])
    assert MergeMember.objects.filter(merge=merge).count() == 3  # the history stays
    assert actions(merge) == ["duplicates.merge", "duplicates.merge.undo"]
    assert "Same person as" not in client.get(f"/households/{household}/").content.decode()

    # Undone without saying they differ: the next run asks instead of merging again.
    start_deduplication(caller=alice)
    assert not merged_together(registry["A1"], registry["A2"])
    held = open_pair(alice, registry["A1"], registry["A2"])
    assert held is not None and held.why == CandidatePair.Why.UNDONE


def test_one_record_given_back_from_a_merge_of_three_leaves_the_others_merged(registry, alice):
    start_deduplication(caller=alice)
    merge = selectors.active_merge_of(registry["A1"])
    a1, a2, a3 = registry["A1"], registry["A2"], registry["A3"]
    client = client_for(alice)
    assert (
        "This one is someone else" in client.get(f"/duplicates/merges/{merge.pk}/").content.decode()
    )

    response = client.post(
        f"/duplicates/merges/{merge.pk}/", {"give_back": a3.pk, "reason": "other Anahit"}
    )

    continued = selectors.active_merge_of(a1)
    assert response.status_code == 302 and response.url == f"/duplicates/merges/{continued.pk}/"
    assert merged_together(a1, a2) and selectors.active_merge_of(a3) is None
    assert continued.split_from_id == merge.pk and continued.given_back_id == a3.pk
    merge.refresh_from_db()
    assert merge.state == Merge.State.UNDONE and merge.undone_by == alice.user
    assert actions(merge) == ["duplicates.merge", "duplicates.merge.give_back"]
    event = AuditEvent.objects.get(action="duplicates.merge.give_back")
    assert event.details["given_back"] == a3.pk and event.reason == "other Anahit"
    assert event.details["remaining"] == sorted([a1.pk, a2.pk])
    different = PairDecision.objects.filter(decision="different", withdrawn_at__isnull=True)
    assert different.count() == 2  # the one given back against each of the others
    page = client.get(f"/duplicates/merges/{continued.pk}/").content.decode()
    assert f"#{merge.pk}" in page and "given back as someone else" in page
    # A merge of two is undone, not split.
    with pytest.raises(DuplicatesConflict):
        give_back(caller=alice, merge=continued, person=a2)

    start_deduplication(caller=alice)  # the next run keeps the two and leaves out the third
    assert merged_together(a1, a2) and selectors.active_merge_of(a3) is None


def test_starting_a_run_says_what_it_will_do_and_waits_for_confirmation(registry, alice):
    client = client_for(alice)

    page = client.get("/duplicates/run/").content.decode()
    assert f"the run will compare: {Person.objects.count()}." in page
    assert "never merged by the run" in page and "Start the run" in page
    client.post("/duplicates/")  # the old one-click button
    client.post("/duplicates/run/")  # without the confirmation
    assert selectors.latest_run(alice) is None

    response = client.post("/duplicates/run/", {"confirm": "yes"})

    run = selectors.latest_run(alice)
    assert response.url == f"/duplicates/runs/{run.pk}/"
    listing = client.get(response.url).content.decode()
    made = Merge.objects.filter(run=run).order_by("weakest_link")
    assert run.merges_made == made.count() > 0
    assert listing.count("/duplicates/merges/") == min(50, run.merges_made)
    weakest = made.first()
    assert f"/duplicates/merges/{weakest.pk}/" in listing  # least sure first
    assert f"{weakest.weakest_link:.3f}" in listing


def test_undoing_as_different_people_keeps_them_apart_for_good(registry, alice):
    start_deduplication(caller=alice)
    merge = selectors.active_merge_of(registry["A1"])

    undo_merge(caller=alice, merge=merge, different=True, reason="two cousins")

    assert PairDecision.objects.filter(decision="different", withdrawn_at__isnull=True).count() == 3
    start_deduplication(caller=alice)
    assert not merged_together(registry["A1"], registry["A2"])
    assert open_pair(alice, registry["A1"], registry["A2"]) is None


def test_undoing_a_confirmed_merge_brings_back_what_it_took_in(registry, alice):
    start_deduplication(caller=alice)
    anahit = selectors.active_merge_of(registry["A1"])
    pair = open_pair(alice, registry["W1"], registry["W2"])
    confirmed = decide_pair(caller=alice, pair=pair, decision="same").merge

    undo_merge(caller=alice, merge=confirmed)

    anahit.refresh_from_db()
    assert anahit.active  # an unrelated merge is untouched
    assert PairDecision.objects.get(pair=pair).withdrawn_by == alice.user
    assert not merged_together(registry["W1"], registry["W2"])


def test_search_results_say_same_person_as(registry, alice):
    start_deduplication(caller=alice)

    page = client_for(alice).get("/households/", {"q": "Hovhannisyan Anahit"}).content.decode()

    assert "Same person as" in page
    assert registry["A2"].household.reference in page


def test_the_api_runs_lists_decides_and_undoes(registry, alice):
    client = token_client_for(alice)

    started = client.post("/api/v1/duplicates/runs")

    assert started.status_code == 201
    run = started.json()
    assert run["status"] == "done" and run["merges_made"] > 0
    assert client.get(f"/api/v1/duplicates/runs/{run['id']}").json()["records"] == run["records"]
    pairs = client.get("/api/v1/duplicates/pairs").json()
    twins = next(p for p in pairs if {p["a"]["record_id"], p["b"]["record_id"]} == {"T1", "T2"})
    assert "given_name" in twins["disagreed"] and "birth_date" in twins["agreed"]
    decided = client.post(
        f"/api/v1/duplicates/pairs/{twins['id']}/decision",
        {"decision": "different"},
        content_type="application/json",
    )
    assert decided.status_code == 201 and decided.json()["merge"] is None
    again = client.post(
        f"/api/v1/duplicates/pairs/{twins['id']}/decision",
        {"decision": "same"},
        content_type="application/json",
    )
    assert again.status_code == 409
    merge = selectors.active_merge_of(registry["A1"])
    undone = client.post(
        f"/api/v1/duplicates/merges/{merge.pk}/undo",
        {"different": True},
        content_type="application/json",
    )
    assert undone.status_code == 200 and undone.json()["state"] == "undone"


def test_another_organisation_sees_none_of_it(registry, alice, charlie):
    start_deduplication(caller=alice)
    pair = open_pair(alice, registry["T1"], registry["T2"])
    merge = selectors.active_merge_of(registry["A1"])
    run = selectors.latest_run(alice)
    page, api = client_for(charlie), token_client_for(charlie)

    assert page.get(f"/duplicates/pairs/{pair.pk}/").status_code == 404
    assert page.post(f"/duplicates/pairs/{pair.pk}/", {"decision": "same"}).status_code == 404
    assert page.get(f"/duplicates/merges/{merge.pk}/").status_code == 404
    assert page.post(f"/duplicates/merges/{merge.pk}/").status_code == 404
    assert page.get(f"/duplicates/runs/{run.pk}/").status_code == 404
    give = f"/api/v1/duplicates/merges/{merge.pk}/give-back"
    body = {"person": registry["A3"].pk}
    assert api.post(give, body, content_type="application/json").status_code == 404
    assert "Sahakyan" not in page.get("/duplicates/review/").content.decode()
    assert api.get(f"/api/v1/duplicates/runs/{run.pk}").status_code == 404
    assert api.get("/api/v1/duplicates/pairs").json() == []
    assert (
        api.post(
            f"/api/v1/duplicates/merges/{merge.pk}/undo", {}, content_type="application/json"
        ).status_code
        == 404
    )
    merge.refresh_from_db()
    assert merge.active and not PairDecision.objects.exists()
