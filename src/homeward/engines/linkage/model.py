"""The Splink model: which pairs are compared, how each field is compared, how it is trained.

One definition serves every backend: the settings are written with Splink's level creators
and plain SQL that DuckDB and Spark both read, so the model trained on one machine with
DuckDB is the model a Spark cluster runs.

Fields and levels (first match wins; ``null`` levels carry no evidence):

- given and family name: same spelling once romanised; same phonetic key (the key forgives
  script and transliteration: Оганесян = Hovhannisyan); for given names, the same key but
  for the first velar or h (Гайк = Hayk, Гамлет = Hamlet); keys one edit apart (a keying
  error after folding); romanised spellings alike (Jaro-Winkler >= 0.88, then >= 0.7); else.
- patronymic: same key of the father's name (Ашотович = Աշոտի = Ashot); one edit apart; else.
  It is what tells a father from his son of the same name, and one family's children from
  another's.
- birth date: the same day; day and month swapped (US-style writing); the same year and month
  where one side lacks the day; the same year where one side lacks the month (or wrote 1
  January or 1 July for an unknown day); the year one apart with the same day and month (a
  year computed from a stated age), or with one side partial; the same year, other day; else.
  A missing date is neutral. Every level's weight is learned by EM, none set by hand.
- sex, origin (settlement id), phone ("+" digits; one edit apart for a keying error).

Training, all from the data itself:

- u (how often non-matches agree) by random sampling of record pairs;
- the prior (share of pairs that match) from a deterministic rule and its assumed recall;
- m (how often matches agree) by expectation maximisation in two sessions, each blocked on
  fields it does not estimate. Neither blocks on what family members share (surname alone,
  origin, phone): EM on such blocks learns "same household" instead of "same person"
  (splink issue #1817). One session blocks on the full birth date, where the second record
  of a person stands out from random people born the same day by name, patronymic, origin
  and phone; the other on given name and family name keys, where it stands out from
  namesakes and relatives by birth date, patronymic, sex, origin and phone.

No term-frequency adjustments: frequencies counted over records that hold duplicates are
biased (splink issue #2035), and the birth date and patronymic already separate namesakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.exceptions import SplinkException

__all__ = [
    "COMPARED_FIELDS",
    "DEFAULT_THRESHOLD",
    "PREDICTION_BLOCKING_RULES",
    "linkage_settings",
    "train",
    "trained_settings",
]

# The match probability at which a pair is linked. Chosen on synthetic ground truth with
# `bench/linkage.py --sweep` (5 registers): pairwise F1 at 0.5 / 0.7 / 0.8 / 0.9 / 0.95 / 0.99
# was 0.993 / 0.994 / 0.994 / 0.993 / 0.991 / 0.989 for 100,000 people (seed 1; seed 2 alike)
# and 0.972 / 0.978 / 0.980 / 0.985 / 0.984 / 0.974 for 1,000,000, where namesakes are denser.
# 0.9 is best at a million and on the plateau at 100,000, with precision above recall: a wrong
# merge costs a family more than a missed one, and a reviewer sees the pairs just below it.
DEFAULT_THRESHOLD = 0.9

# Fields shown to a reviewer, in this order, with the label of the level each pair reached.
COMPARED_FIELDS: tuple[str, ...] = (
    "given_name",
    "family_name",
    "patronymic",
    "birth_date",
    "sex",
    "origin",
    "phone",
)


def _name_comparison(field: str) -> Any:
    key, latin = f"{field}_key", f"{field}_latin"
    levels: list[Any] = [
        cll.NullLevel(key),
        cll.ExactMatchLevel(latin).configure(label_for_charts="same spelling"),
        cll.ExactMatchLevel(key).configure(label_for_charts="same name, other spelling"),
    ]
    if field == "given":
        levels.append(
            cll.ExactMatchLevel("given_bare").configure(
                label_for_charts="same name but its first sound"
            )
        )
        # Another name for the same name (Սերժ and Сергей), from the sourced data file.
        levels.append(
            cll.ExactMatchLevel("given_group").configure(label_for_charts="equivalent name")
        )
    return cl.CustomComparison(
        output_column_name=f"{field}_name",
        comparison_levels=[
            *levels,
            cll.DamerauLevenshteinLevel(key, 1).configure(label_for_charts="one letter apart"),
            cll.JaroWinklerLevel(latin, 0.88).configure(label_for_charts="similar"),
            cll.JaroWinklerLevel(latin, 0.7).configure(label_for_charts="somewhat similar"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        comparison_description=f"{field} name",
    )


def _stand_in(side: str) -> str:
    """A 1 January or 1 July written for an unknown day and month (estimated from an age)."""
    return f"(birth_day_{side} = 1 AND birth_month_{side} IN (1, 7))"


def _birth_date_comparison() -> Any:
    year_agrees = "birth_year_l = birth_year_r"
    year_one_off = "abs(birth_year_l - birth_year_r) = 1"
    month_agrees = f"{year_agrees} AND birth_month_l = birth_month_r"
    no_day = "(birth_day_l IS NULL OR birth_day_r IS NULL)"
    partial = (
        f"(birth_month_l IS NULL OR birth_month_r IS NULL OR {_stand_in('l')} OR {_stand_in('r')})"
    )
    same_day_and_month = (
        f"birth_month_l = birth_month_r AND birth_day_l = birth_day_r"
        f" AND NOT {_stand_in('l')} AND NOT {_stand_in('r')}"
    )
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="same day"),
            cll.CustomLevel(
                f"{year_agrees} AND birth_month_l = birth_day_r AND birth_day_l = birth_month_r",
                label_for_charts="day and month swapped",
            ),
            cll.CustomLevel(f"{month_agrees} AND {no_day}", label_for_charts="same month"),
            cll.CustomLevel(f"{year_agrees} AND {partial}", label_for_charts="same year"),
            # A year computed from a stated age is one too many before the birthday.
            cll.CustomLevel(
                f"{year_one_off} AND {same_day_and_month}",
                label_for_charts="year one apart, same day and month",
            ),
            cll.CustomLevel(
                f"{year_one_off} AND {partial}", label_for_charts="year one apart, one date partial"
            ),
            cll.CustomLevel(year_agrees, label_for_charts="same year, other day"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        comparison_description="birth date",
    )


def _exact(field: str, column: str, fuzzy: bool = False) -> Any:
    levels: list[Any] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(label_for_charts="same"),
    ]
    if fuzzy:
        levels.append(
            cll.DamerauLevenshteinLevel(column, 1).configure(label_for_charts="one digit apart")
        )
    levels.append(cll.ElseLevel().configure(label_for_charts="different"))
    return cl.CustomComparison(
        output_column_name=field, comparison_levels=levels, comparison_description=field
    )


def _patronymic_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="patronymic",
        comparison_levels=[
            cll.NullLevel("patronymic_key"),
            cll.ExactMatchLevel("patronymic_key").configure(label_for_charts="same father"),
            cll.DamerauLevenshteinLevel("patronymic_key", 1).configure(
                label_for_charts="one letter apart"
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        comparison_description="patronymic",
    )


# Pairs compared at prediction time. Together they reach a pair through any one field in
# error (a typo in one name, a partial or swapped date, a missing date, patronymic or phone),
# and each stays small on a million records because it holds a birth date or year, a
# patronymic or a phone: 50 million comparisons for a million people in five registers
# (2.9 million records). On synthetic registers they reach 99.6% of true pairs; clustering
# reaches most of the rest through a third record. Given name + birth year + patronymic would
# add 0.15% of pairs for 26 million more comparisons (F1 +0.0005 at 100,000 people): left out.
_MISSING_YEAR = (
    "{side}.birth_year IS NULL AND l.given_key = r.given_key AND l.family_key = r.family_key"
)
PREDICTION_BLOCKING_RULES: tuple[tuple[str, ...] | str, ...] = (
    ("given_key", "family_key", "birth_year"),
    ("given_key", "birth_date"),
    ("family_key", "birth_date"),
    ("phone",),
    _MISSING_YEAR.format(side="l"),
    _MISSING_YEAR.format(side="r"),
    ("family_key", "birth_year", "patronymic_key"),
    ("birth_date", "sex", "patronymic_key"),
    # Passes that need no full birth date, for the field's estimated dates: names and father;
    # names with the day and month (a year computed from an age); a given name's equivalent
    # (Serzh, Sergey); a woman under another family name (maiden and married), by given name,
    # father and year.
    ("given_key", "family_key", "patronymic_key"),
    ("given_key", "family_key", "birth_month", "birth_day"),
    ("given_group", "family_key", "birth_year"),
    ("given_key", "patronymic_key", "birth_year"),
)


def _blocking_rule(rule: tuple[str, ...] | str) -> Any:
    return rule if isinstance(rule, str) else block_on(*rule)


def _comparisons() -> list[Any]:
    return [
        _name_comparison("given"),
        _name_comparison("family"),
        _patronymic_comparison(),
        _birth_date_comparison(),
        _exact("sex", "sex"),
        _exact("origin", "origin_id"),
        _exact("phone", "phone", fuzzy=True),
    ]


def linkage_settings(comparisons: list[Any] | None = None) -> SettingsCreator:
    """The model's settings, untrained unless ``comparisons`` carry estimates."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons if comparisons is not None else _comparisons(),
        blocking_rules_to_generate_predictions=[
            _blocking_rule(rule) for rule in PREDICTION_BLOCKING_RULES
        ],
        retain_matching_columns=True,  # the comparison levels (gamma_*) explain each pair
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
    )


def trained_settings(model: Mapping[str, Any]) -> SettingsCreator:
    """Our settings with the parameters of a saved model, for any backend.

    The saved model's SQL is written in the dialect it was trained on; the levels are built
    afresh for the backend at hand and only the estimates are carried over.
    """
    saved = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    comparisons = _comparisons()
    for comparison in comparisons:
        levels = comparison.create_comparison_levels()
        trained = saved[comparison.create_output_column_name()]
        if len(trained) != len(levels):
            raise ValueError("the saved model was trained with other comparison levels")
        for level, values in zip(levels, trained, strict=True):
            estimates = {k: values[k] for k in ("m_probability", "u_probability") if k in values}
            if estimates:
                level.configure(**estimates)
    settings = linkage_settings(comparisons)
    settings.probability_two_random_records_match = float(
        model["probability_two_random_records_match"]
    )
    return settings


# Share of true pairs that agree exactly on both name keys and the full birth date, measured
# on synthetic registers (about 0.75: typos, partial and swapped dates make up the rest); it
# turns the count of such pairs into the prior probability that two records match.
DETERMINISTIC_RECALL = 0.75
U_SAMPLE_PAIRS = 5e6
EM_MAX_PAIRS = 2e6

# Expectation maximisation, each session blocked on evidence of "same person" that family
# members do not share: a phone alone is shared by a household, a phone with a birth date or
# a given name is one person's. Each session estimates the fields it does not block on.
EM_SESSIONS: tuple[tuple[str, ...], ...] = (
    ("birth_date", "phone"),  # names, patronymic, sex, origin
    ("given_key", "phone"),  # family name, patronymic, birth date, sex, origin
    ("given_key", "family_key", "birth_date"),  # patronymic, sex, origin, phone
)
# For registers without phones: blocks that family members share less often than a surname.
EM_FALLBACK_SESSIONS: tuple[tuple[str, ...], ...] = (
    ("birth_date",),
    ("given_key", "family_key", "patronymic_key"),
)


# Below this many records every pair fits in the samples: sampling in chunks (to stop early)
# would only add queries, which on Spark cost seconds each.
SMALL_INPUT = 20_000


def train(linker: Linker, *, records: int, seed: int = 1) -> None:
    """Estimate the prior, u and m of ``linker``'s model from its own input of ``records``."""
    training = linker.training
    small = records < SMALL_INPUT
    training.estimate_probability_two_random_records_match(
        [block_on("given_key", "family_key", "birth_date")], recall=DETERMINISTIC_RECALL
    )
    training.estimate_u_using_random_sampling(
        max_pairs=U_SAMPLE_PAIRS, seed=seed, num_chunks=1 if small else 10
    )
    failed = False
    for columns in EM_SESSIONS:
        failed = not _em(linker, columns, None if small else EM_MAX_PAIRS) or failed
    if failed:
        for columns in EM_FALLBACK_SESSIONS:
            _em(linker, columns, None if small else EM_MAX_PAIRS)


def _em(linker: Linker, columns: tuple[str, ...], max_pairs: float | None) -> bool:
    """One EM session; False when its block holds too few pairs to estimate anything."""
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*columns),
            estimate_without_term_frequencies=True,
            max_pairs=max_pairs,
        )
    except (SplinkException, ZeroDivisionError, ValueError):
        return False
    return True
