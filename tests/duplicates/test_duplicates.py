"""Deduplication in the app: runs as jobs, the review queue, merges and their undoing."""

import pytest

from homeward.audit.models import AuditEvent
from homeward.duplicates import selectors
from homeward.duplicates.models import CandidatePair, Merge, MergeMember, PairDecision
from homeward.duplicates.services import (
    DuplicatesConflict,
    decide_pair,
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
