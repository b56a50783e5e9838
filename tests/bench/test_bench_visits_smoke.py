"""The visits benchmark still runs, and prints the app's figures beside its baselines."""

import re
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_visits_benchmark_plans_stored_requests_and_times_the_checkpoint(db):
    database = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "visits.py"), "--smoke", "--database", database],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout
    assert output.startswith("machine: ")
    assert re.search(r"planning 200 stored requests .* rules broken 0; baseline first", output)
    assert re.search(r"checkpoint, 5 households: .* checked out (\d+)/\1;", output)
    assert "baseline name search" in output
