"""`make bench`: run every benchmark; each prints its figures and writes bench/results.json."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = (
    "bench_engine.py",
    "bench_datasets.py",
    "bench_jobs.py",
    "bench_report_render.py",
    "bench_reports.py",
    "bench_time_series.py",
    "bench_batch.py",
    "bench_extended.py",
    "bench_soak.py",
)


def main() -> int:
    here = Path(__file__).resolve().parent
    failed = []
    for name in BENCHES:
        script = here / name
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    print(f"\nfigures written to {here / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
