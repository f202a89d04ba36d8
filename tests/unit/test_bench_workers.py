"""The engine benchmark's workers still run against today's engine (a renamed helper once broke
the "kernel alone" figures silently). Tiny sizes: this checks that they run, not how fast."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_engine.py"


@pytest.mark.parametrize("worker", ["engine", "engine-ckdtree", "kernel"])
def test_engine_bench_worker_runs(worker: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--worker", worker, "--sizes", "1500"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.strip().splitlines()[-1])
    assert record["rows"] == 1500
    if worker == "kernel":
        assert {"knn_speedup", "radius_speedup", "closest_speedup"} <= record.keys()
