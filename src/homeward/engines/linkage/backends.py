"""Where Splink runs: DuckDB in this process, or a Spark cluster beyond one machine.

The model (``model.linkage_settings``) is the same on both; only the database differs.
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from splink.internals.database_api import DatabaseAPI
    from splink.internals.splink_dataframe import SplinkDataFrame

__all__ = ["Backend", "database_for", "fetch_columns", "local_spark_session"]

Backend = Literal["duckdb", "spark"]


def database_for(backend: Backend, *, spark: Any = None) -> DatabaseAPI[Any]:
    """A Splink database API; ``spark`` is the SparkSession for the Spark backend."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        if spark is None:
            raise ValueError("the spark backend needs a SparkSession")
        from splink.backends.spark import SparkAPI

        # Splink cuts Spark's lineage after each step: on one machine by keeping intermediate
        # tables in memory, on a cluster by writing them as parquet under the checkpoint
        # directory, which the cluster sets to shared storage (see docs/linkage.md).
        local = str(spark.sparkContext.master).startswith("local")
        if not local and spark.sparkContext.getCheckpointDir() is None:
            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="homeward-spark-"))
        return SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=spark, break_lineage_method="persist" if local else "parquet"
        )
    raise ValueError(f"unknown backend {backend!r}: duckdb or spark")


def register_features(database: DatabaseAPI[Any], features: pd.DataFrame) -> SplinkDataFrame:
    """The features as Splink's input table."""
    if type(database).__name__.startswith("Spark"):
        table = _spark_frame(database, features)
    else:
        # An Arrow table, not the DataFrame: DuckDB scans Arrow columns in parallel without
        # the interpreter, where a DataFrame of Python strings is read one thread at a time.
        table = pa.Table.from_pandas(features, preserve_index=False)
    return database.register(table, table_name="homeward_records")


def _spark_frame(database: Any, features: pd.DataFrame) -> Any:
    # Nullable integers and Arrow-backed strings go over as plain objects, with None for gaps,
    # so that Spark infers integer and string columns.
    from pyspark.sql import types as T

    schema = T.StructType(
        [
            T.StructField(
                name,
                T.LongType()
                if name == "unique_id"
                else T.IntegerType()
                if name.startswith("birth_") and name != "birth_date"
                else T.BooleanType()
                if name == "names_swapped"
                else T.StringType(),
                nullable=True,
            )
            for name in features.columns
        ]
    )
    plain = features.astype(object).where(features.notna(), None)
    rows = [tuple(row) for row in plain.itertuples(index=False, name=None)]
    return database.spark.createDataFrame(rows, schema=schema)


def fetch_columns(frame: SplinkDataFrame, columns: list[str]) -> pd.DataFrame:
    """Some columns of a Splink result as pandas, without bringing the others over."""
    database = frame.db_api
    if type(database).__name__.startswith("Spark"):
        return frame.as_spark_dataframe().select(*columns).toPandas()
    relation = frame.as_duckdbpyrelation()
    return relation.select(*columns).df()


def local_spark_session(
    *, master: str = "local[1]", driver_memory: str = "2g", shuffle_partitions: int = 4
) -> Any:
    """A Spark session on this machine with Splink's similarity functions (for tests and trials).

    On a cluster, build the session as the cluster wants it and add Splink's jar
    (``splink.backends.spark.similarity_jar_location()``) to ``spark.jars``; see docs/linkage.md.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(master)
        .appName("homeward-linkage")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
