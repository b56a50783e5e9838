"""A small run of the linkage benchmark, so that `make test` notices when it stops working."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^(?P<method>[a-z-]+): precision (?P<p>[\d.]+), recall (?P<r>[\d.]+), F1 (?P<f1>[\d.]+), "
    r"wall [\d.]+ s, peak memory [\d.]+ GiB$",
    re.MULTILINE,
)


def test_linkage_benchmark_reports_every_method():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "linkage.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "linkage benchmark: 300 people, 5 registers" in result.stdout
    scores = {m["method"]: m for m in LINE.finditer(result.stdout)}
    assert set(scores) == {"homeward", "splink-generic", "exact-keys"}
    assert all(0 <= float(m["f1"]) <= 1 for m in scores.values())
    assert float(scores["homeward"]["f1"]) > float(scores["exact-keys"]["f1"])
    assert "true pairs:" in result.stdout
