"""The planning benchmark still runs, and prints Homeward's figures beside both baselines."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^(.+?)\s+([\d,]+)\s+([\d.]+)%\s+([\d,]+)\s+([\d,]+)\s+([\d.]+) s$", re.M)


def test_planning_benchmark_prints_cost_and_gap_beside_both_baselines():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "planning.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout
    assert output.startswith("machine: ")
    assert "cores" in output and "GiB" in output and "Python 3.11" in output
    assert re.search(r"^lower bound: [\d,]+ \(fluid LP \(HiGHS\)\)$", output, re.M)
    rows = {name.strip(): figures for name, *figures in ROW.findall(output)}
    assert set(rows) == {"Homeward", "first come, first served", "highest priority first"}
    cost = {name: int(figures[0].replace(",", "")) for name, figures in rows.items()}
    gap = {name: float(figures[1]) for name, figures in rows.items()}
    assert cost["Homeward"] <= cost["highest priority first"] < cost["first come, first served"]
    assert gap["Homeward"] < 5.0
    assert "every plan passes check_plan" in output
