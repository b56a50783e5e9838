"""The Spark path: the same model scores the same pairs on Spark as on DuckDB.

Spark runs in local mode on one core with a small driver, on a few hundred people; the model
is trained once on DuckDB and applied on Spark, as a model trained on one machine would be
applied on a cluster (docs/linkage.md).
"""

import pandas as pd
import pytest

from homeward.engines.linkage import INPUT_COLUMNS, deduplicate
from homeward.engines.linkage.backends import local_spark_session
from homeward.engines.synthetic import HostRegion, Origin, generate_population

ORIGINS = [
    Origin("stepanakert", {"hy": "Ստեփանակերտ", "hy-Latn": "Stepanakert", "az": "Xankəndi",
                           "az-Latn": "Khankendi", "ru": "Степанакерт"}, 50_000),
    Origin("askeran", {"hy": "Ասկերան", "hy-Latn": "Askeran", "az": "Əsgəran",
                       "az-Latn": "Asgaran", "ru": "Аскеран"}, 2_300),
]  # fmt: skip
REGIONS = [HostRegion("yerevan", 1.0, ["yerevan"], [("YR-1", 500)])]
SPELLINGS = {name: o.slug for o in ORIGINS for name in o.names.values()}
TWINS = [
    ("migration-service", "T1", "Դավիթ", "Պետրոսյան", "Արմենի", "M", "14.05.2010", "Ասկերան", ""),
    ("unhcr", "T2", "Davit", "Petrosyan", "Armenovich", "M", "2010-05-14", "Askeran", ""),
    ("migration-service", "T4", "Նարեկ", "Պետրոսյան", "Արմենի", "M", "14.05.2010", "Ասկերան", ""),
    ("unhcr", "T5", "Narek", "Petrosyan", "Armenovich", "M", "2010-05-14", "Askeran", ""),
]  # fmt: skip


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    population = generate_population(
        people=400, seed=3, origins=ORIGINS, regions=REGIONS, sources=3
    )
    rows = [
        {column: getattr(r, column) for column in INPUT_COLUMNS}
        for registrations in population.registrations.values()
        for r in registrations
    ]
    rows += [dict(zip(INPUT_COLUMNS, twin, strict=True)) for twin in TWINS]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def spark():
    session = local_spark_session(master="local[1]", driver_memory="1g", shuffle_partitions=1)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def on_duckdb(records):
    return deduplicate(records, places=SPELLINGS, review_band=(0.5, 0.99))


@pytest.fixture(scope="module")
def on_spark(records, spark, on_duckdb):
    return deduplicate(
        records,
        places=SPELLINGS,
        review_band=(0.5, 0.99),
        backend="spark",
        spark=spark,
        model=on_duckdb.model,
    )


def test_spark_scores_the_same_pairs_as_duckdb(on_duckdb, on_spark):
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    pd.testing.assert_frame_equal(
        on_spark.pairs[columns], on_duckdb.pairs[columns], check_dtype=False, atol=1e-9
    )


def test_spark_gives_the_same_clusters_and_review_pairs(on_duckdb, on_spark):
    assert on_spark.cluster_ids.tolist() == on_duckdb.cluster_ids.tolist()
    assert [(p.record_a, p.record_b, p.agreements) for p in on_spark.review] == [
        (p.record_a, p.record_b, p.agreements) for p in on_duckdb.review
    ]


def test_twins_stay_apart_on_spark(on_spark):
    cluster = dict(zip(on_spark.references, on_spark.cluster_ids.tolist(), strict=True))
    davit = {cluster["migration-service", "T1"], cluster["unhcr", "T2"]}
    narek = {cluster["migration-service", "T4"], cluster["unhcr", "T5"]}
    assert len(davit) == 1 and len(narek) == 1 and davit != narek
