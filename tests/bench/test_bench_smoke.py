"""A small run of each benchmark, so that `make test` notices when one stops working."""

import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_registry_benchmark_runs_on_this_database(db):
    database = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "registry.py"), "--smoke", "--database", database],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "import 300 persons: Homeward" in result.stdout
    assert "search over" in result.stdout and "recall" in result.stdout
