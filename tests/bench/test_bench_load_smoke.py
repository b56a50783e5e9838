"""The load benchmark still runs: the production server answers several caseworkers at once."""

import re
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_load_benchmark_serves_caseworkers_at_once_and_prints_both_figures(db):
    database = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--smoke", "--database", database],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    output = result.stdout
    assert output.startswith("machine: ")
    assert "server: gunicorn homeward.wsgi --workers 2, DEBUG off" in output
    # Every request answered as a caseworker expects: no failure line.
    assert "failed" not in output, output
    for request in ("search, name + birth year", "search, name only", "register household"):
        assert re.search(rf"^{re.escape(request)} +\d+ ms +\d+ ms +\d+ ms +\d+ ms", output, re.M), (
            output
        )
