"""Clustering: connected components of linked pairs, without chaining through contradictions,
and respecting reviewers' decisions; pairwise scores counted from cluster sizes."""

from itertools import combinations

import pytest

from homeward.engines.linkage import cluster_pairs, pairwise_scores
from homeward.engines.linkage.cluster import (
    ClusterProfile,
    birth_dates_conflict,
    fathers_conflict,
    given_names_conflict,
)
from homeward.engines.linkage.names import name_key, patronymic_key, romanize


def person(
    given: str = "", year=None, month=None, day=None, patronymic="", sex=None
) -> ClusterProfile:
    return ClusterProfile(
        given_key=name_key(given) or None,
        given_latin=romanize(given) or None,
        father_key=patronymic_key(patronymic) or None,
        year=year,
        month=month,
        day=day,
        sex=sex,
    )


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("Գևորգի", "Վահանի", True),  # Lusine Gevorgi and Lusine Vahani: two women
        ("Gevorgovna", "Vahanovna", True),
        ("Ашотович", "Աշոտի", False),  # one father, two ways of writing it
        ("Ashotovna", "Ashot", False),
        ("Ованесович", "Hovhannesi", False),
        ("Арамович", "", False),  # unknown on one side: no evidence either way
    ],
)
def test_different_fathers_cannot_be_one_person(a, b, conflict):
    left, right = person("Lusine", patronymic=a), person("Lusine", patronymic=b)
    assert fathers_conflict(left, right) is conflict


def cluster(profiles: list[ClusterProfile], pairs, **decisions):
    return cluster_pairs(len(profiles), pairs, list(range(len(profiles))), profiles, **decisions)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gagik", "Hayk"),
        ("Anna", "Ani"),
        ("Давид", "Нарек"),
        ("Levon", "Grigor"),
        ("Seda", "Gohar"),
    ],
)
def test_different_given_names_conflict(a, b):
    assert given_names_conflict(person(a), person(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Гайк", "Aik"),  # Russian Г for Armenian Հ
        ("Гамлет", "Hamlet"),
        ("Рипсиме", "Hripsime"),
        ("Karen", "Kren"),  # a letter dropped
        ("Tigran", "Tigrsan"),  # a letter added
        ("Hovhannes", "Оганес"),
        ("Anna", ""),  # unknown
    ],
)
def test_one_name_spelt_differently_does_not_conflict(a, b):
    assert not given_names_conflict(person(a), person(b))


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ((1982, 9, 21), (1955, 2, 3), True),  # father and son
        ((1982, 9, 21), (1982, 9, 21), False),
        ((1982, 9, 12), (1982, 12, 9), False),  # day and month swapped
        ((1982, 1, 1), (1982, 9, 21), False),  # 01.01 written for an unknown day
        ((1982, None, None), (1982, 9, 21), False),  # year only
        ((1982, 9, 22), (1982, 9, 21), False),  # one slip of the day
        ((1983, 9, 21), (1982, 9, 21), False),  # one slip of the year
        ((1982, 3, 5), (1982, 9, 21), True),  # same year, another day and month
        ((1984, 9, 21), (1982, 9, 21), True),
        ((None, None, None), (1982, 9, 21), False),
    ],
)
def test_birth_dates_conflict_only_when_no_single_slip_explains_them(a, b, conflict):
    assert birth_dates_conflict(person("Ashot", *a), person("Ashot", *b)) is conflict


def test_linked_pairs_become_connected_components_numbered_by_first_record():
    profiles = [person("Ashot", 1955)] * 5
    result = cluster(profiles, [(3, 4), (1, 3)])
    assert result.labels.tolist() == [0, 1, 2, 1, 1]
    assert not result.refused


def test_a_vague_record_does_not_chain_twins_together():
    davit, narek = person("Davit", 2010, 5, 14), person("Narek", 2010, 5, 14)
    vague = person("", 2010)  # no given name, year only: compatible with both
    # Strongest first: the vague record joins Davit; its link to Narek is refused.
    result = cluster([davit, narek, vague], [(0, 2), (1, 2)])
    assert result.labels[2] == result.labels[0] != result.labels[1]
    assert result.refused == [(1, 2)]


def test_a_father_and_son_linked_by_a_bad_pair_stay_apart():
    father, son = person("Ashot", 1955, 2, 3), person("Ashot", 1982, 9, 21)
    result = cluster([father, son], [(0, 1)])
    assert result.labels[0] != result.labels[1]


def test_two_records_of_one_household_are_never_joined_however_alike():
    # Same-sex twins whose given names are one letter apart: to the score, one person with a
    # typo; to the body that registered them both in one household, two boys.
    arman, armen = person("Arman", 2010, 5, 14, sex="M"), person("Armen", 2010, 5, 14, sex="M")
    result = cluster([arman, armen], [(0, 1)], household_of=[7, 7])
    assert result.labels[0] != result.labels[1]
    assert result.refused == [(0, 1)] and result.refused_why == ["household"]


def test_one_household_is_not_joined_through_a_third_record_either():
    twin_a, twin_b = person("Arman", 2010, 5, 14), person("Armen", 2010, 5, 14)
    elsewhere = person("Arman", 2010, 5, 14)  # another body's record of one of them
    result = cluster([twin_a, twin_b, elsewhere], [(0, 2), (1, 2)], household_of=[3, 3, 4])
    assert result.labels[0] == result.labels[2] != result.labels[1]
    assert result.refused_why == ["household"]


def test_records_of_different_recorded_sex_are_not_joined():
    boy, girl = person("Hayk", 2012, 1, 9, sex="M"), person("Hayk", 2012, 1, 9, sex="F")
    result = cluster([boy, girl], [(0, 1)])
    assert result.labels[0] != result.labels[1]
    assert result.refused_why == ["sex"]


def test_a_household_of_another_body_or_none_does_not_keep_apart():
    one, other = person("Arman", 2010, 5, 14), person("Arman", 2010, 5, 14)
    assert cluster([one, other], [(0, 1)], household_of=[1, 2]).labels.tolist() == [0, 0]
    assert cluster([one, other], [(0, 1)], household_of=[-1, -1]).labels.tolist() == [0, 0]


def test_a_confirmed_pair_is_joined_even_against_the_guard():
    father, son = person("Ashot", 1955, 2, 3), person("Ashot", 1982, 9, 21)
    result = cluster([father, son], [], must_link=[(0, 1)])
    assert result.labels[0] == result.labels[1]


def test_a_rejected_pair_is_never_joined_even_through_others():
    profiles = [person("Ashot", 1955, 2, 3)] * 3
    result = cluster(profiles, [(0, 1), (1, 2)], cannot_link=[(0, 2)])
    assert result.labels[0] == result.labels[1] != result.labels[2]
    assert result.refused == [(1, 2)]


def test_a_confirmation_contradicting_a_rejection_is_reported_not_applied():
    profiles = [person("Ashot", 1955)] * 2
    result = cluster(profiles, [], must_link=[(0, 1)], cannot_link=[(1, 0)])
    assert result.labels[0] != result.labels[1]
    assert result.ignored_must_links == [(0, 1)]


def naive_scores(truth, predicted):
    pairs = list(combinations(range(len(truth)), 2))
    true = {p for p in pairs if truth[p[0]] == truth[p[1]]}
    found = {p for p in pairs if predicted[p[0]] == predicted[p[1]]}
    return len(true), len(found), len(true & found)


@pytest.mark.parametrize(
    ("truth", "predicted"),
    [
        ("aaabbc", "xxxyyz"),  # perfect
        ("aaabbc", "xxyyyz"),  # one record in the wrong cluster
        ("aaaaaa", "uvwxyz"),  # nothing found
        ("abcdef", "xxxxxx"),  # everything merged
        ("aabbccdd", "xxxxyyzz"),
    ],
)
def test_pairwise_scores_count_pairs_from_cluster_sizes(truth, predicted):
    scores = pairwise_scores(list(truth), list(predicted))
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == naive_scores(
        truth, predicted
    )


def test_pairwise_precision_recall_and_f1():
    scores = pairwise_scores(list("aaabbc"), list("xxyyyz"))
    # true pairs: 3 (a) + 1 (b); predicted: 1 (x) + 3 (y); correct: a-a in x, b-b in y.
    assert scores.precision == pytest.approx(2 / 4)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.f1 == pytest.approx(0.5)
