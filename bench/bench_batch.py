"""Batch job benchmark (issue 13 §7): 5M rows in 10 batches vs one ordinary job on 1M rows.

Usage: ``.venv/bin/python bench/bench_batch.py [--rows 5000000 --batches 10 --compare 1000000]``

On the engine benchmark's mixed table (20 continuous + 6 categorical columns, k = 20), against a
local server with ``--workers`` job processes (default 2):

- batch: the table cut into ``--batches`` consecutive batches (rows are i.i.d., so this is a random
  split), uploaded, then ``POST /jobs/avatarization_batch`` until success;
- ordinary: the first ``--compare`` rows, uploaded, then ``POST /jobs/avatarization`` until
  success.

Job times run from the creation request to the success seen by polling (every 0.2 s); uploads are
timed apart. Peak RSS of the server process and of its largest worker process are sampled every
0.1 s during each job. Targets: peak RSS per worker ≤ 2 GB; the batch job's time per row ≤ 1.2×
the ordinary job's. The machine's load (``os.getloadavg``) is printed and stored next to the
figures. Figures go to ``bench/results.json`` under ``"batch"``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_engine import make_table  # noqa: E402

from avatars.local import LocalServer  # noqa: E402
from avatars.models import (  # noqa: E402
    AvatarizationBatchJobCreate,
    AvatarizationBatchParameters,
    AvatarizationJobCreate,
    AvatarizationParameters,
)
from avatars.waiting import RUNNING_STATUSES, poll  # noqa: E402

RESULTS = HERE / "results.json"
K = 20
SEED = 0
TARGET_WORKER_RSS = 2 * 1024**3
TARGET_RATIO = 1.2


class TreeRss:
    """Samples the RSS of a process and of each of its children; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self._root = psutil.Process(pid)
        self._interval = interval
        self.server = 0
        self.worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.server = max(self.server, self._root.memory_info().rss)
                for child in self._root.children():
                    try:
                        self.worker = max(self.worker, child.memory_info().rss)
                    except psutil.Error:
                        continue
            except psutil.Error:
                pass
            self._stop.wait(self._interval)

    def stop(self) -> tuple[int, int]:
        self._stop.set()
        self._thread.join()
        return self.server, self.worker


def _wait(fetch: Callable[[], Any]) -> Any:
    job = poll(
        fetch,
        lambda current: str(current.status) in RUNNING_STATUSES,
        timeout=6 * 3600,
        initial_delay=0.2,
        max_delay=0.2,
    )
    if str(job.status) != "success":
        raise RuntimeError(f"the job ended {job.status}: {job.error_message}")
    return job


def _gb(value: int) -> float:
    return round(value / 1024**3, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--compare", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    load_before = os.getloadavg()
    print(f"load average before: {load_before}", flush=True)
    table = make_table(args.rows)
    size = -(-args.rows // args.batches)
    figures: dict[str, Any] = {}
    env = {"AVATARS_JOB_WORKERS": str(args.workers)}
    with LocalServer(env=env) as server, server.client() as client:
        assert server._process is not None
        pid = server._process.pid

        start = time.perf_counter()
        ids = [
            client.pandas_integration.upload_dataframe(table.iloc[i : i + size], progress=False).id
            for i in range(0, args.rows, size)
        ]
        upload_batches = time.perf_counter() - start
        start = time.perf_counter()
        compare_id = client.pandas_integration.upload_dataframe(
            table.iloc[: args.compare], progress=False
        ).id
        upload_compare = time.perf_counter() - start
        del table
        print(
            f"uploads: {len(ids)} batches in {upload_batches:.1f} s, "
            f"{args.compare} rows in {upload_compare:.1f} s",
            flush=True,
        )

        rss = TreeRss(pid)
        start = time.perf_counter()
        job = client.jobs.create_avatarization_job(
            AvatarizationJobCreate(
                parameters=AvatarizationParameters(k=K, dataset_id=compare_id, seed=SEED)
            )
        )
        _wait(lambda: client.jobs.get_avatarization_job(job.id, timeout=0))
        ordinary_s = time.perf_counter() - start
        ordinary_server, ordinary_worker = rss.stop()
        load_mid = os.getloadavg()
        print(
            f"ordinary job, {args.compare} rows: {ordinary_s:.1f} s "
            f"({1e6 * ordinary_s / args.compare:.1f} µs/row), peak RSS worker "
            f"{_gb(ordinary_worker)} GB, server {_gb(ordinary_server)} GB; load {load_mid}",
            flush=True,
        )

        rss = TreeRss(pid)
        start = time.perf_counter()
        batch = client.jobs.create_avatarization_batch_job(
            AvatarizationBatchJobCreate(
                parameters=AvatarizationBatchParameters(
                    k=K, training_dataset_id=ids[0], dataset_ids=ids[1:], seed=SEED
                )
            )
        )
        # The batches start once pass 1 and the fit on the training batch are done.
        prepared: list[float] = []

        def fetch() -> Any:
            current = client.jobs.get_avatarization_batch_job(batch.id, timeout=0)
            progress = current.current_progress
            name = getattr(progress, "name", None)
            if not prepared and isinstance(name, str) and name.startswith("batches"):
                prepared.append(time.perf_counter() - start)
            return current

        _wait(fetch)
        batch_s = time.perf_counter() - start
        prepare_s = prepared[0] if prepared else float("nan")
        batch_server, batch_worker = rss.stop()
    load_after = os.getloadavg()
    ratio = (batch_s / args.rows) / (ordinary_s / args.compare)
    print(
        f"batch job, {args.rows} rows in {len(ids)} batches: {batch_s:.1f} s "
        f"({1e6 * batch_s / args.rows:.1f} µs/row; pass 1 + fit {prepare_s:.1f} s), "
        f"peak RSS largest worker "
        f"{_gb(batch_worker)} GB, server {_gb(batch_server)} GB; load {load_after}",
        flush=True,
    )
    worker_ok = batch_worker <= TARGET_WORKER_RSS
    ratio_ok = ratio <= TARGET_RATIO
    print(
        f"targets: worker peak RSS <= 2 GB -> {'met' if worker_ok else 'NOT met'}; "
        f"time per row {ratio:.2f}x the ordinary job (<= {TARGET_RATIO}x) -> "
        f"{'met' if ratio_ok else 'NOT met'}"
    )
    figures = {
        "rows": args.rows,
        "batches": len(ids),
        "compare_rows": args.compare,
        "workers": args.workers,
        "k": K,
        "upload_batches_s": round(upload_batches, 2),
        "upload_compare_s": round(upload_compare, 2),
        "batch_job_s": round(batch_s, 2),
        "batch_prepare_s": round(prepare_s, 2),
        "ordinary_job_s": round(ordinary_s, 2),
        "time_per_row_ratio": round(ratio, 3),
        "batch_peak_rss_worker_gb": _gb(batch_worker),
        "batch_peak_rss_server_gb": _gb(batch_server),
        "ordinary_peak_rss_worker_gb": _gb(ordinary_worker),
        "ordinary_peak_rss_server_gb": _gb(ordinary_server),
        "target_worker_rss_met": worker_ok,
        "target_ratio_met": ratio_ok,
        "load_average": {"before": load_before, "mid": load_mid, "after": load_after},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["batch"] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
