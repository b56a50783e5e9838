"""The projection benchmark still runs, and prints Homeward's figures beside the loop's."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_projection_benchmark_prints_both_methods_and_their_agreement():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "projection.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout
    assert output.startswith("machine: ")
    assert "both methods agree on the point figure" in output
    assert re.search(r"^Homeward\s+[\d.]+ s\s+[\d.]+ s \(50\)", output, re.M)
    assert re.search(r"^loop\s+[\d.]+ s\s+[\d.]+ s \(50, scaled from 10 samples", output, re.M)
