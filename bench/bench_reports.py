"""Reports benchmark: report creation and projections through the API (issue 15 §7).

Usage: ``.venv/bin/python bench/bench_reports.py [--sizes 100000,1000000]``

For each size, on the engine benchmark's mixed table (20 continuous + 6 categorical columns),
against a local server with one job worker:

- the full job (``POST /jobs``) to success: its own time, which includes recording what reports
  and the metrics routes need;
- ``POST /reports`` naming that job three times: the time of the create call, the time until the
  PDF downloads, and the peak RSS growth of the server process (which answers the call and
  assembles the content) and of the job worker (which renders the PDF and HTML);
- an identical re-sent ``POST /reports`` (must return the same report at once);
- ``GET /projections/{job_id}`` streamed to the end: seconds, bytes, and the server's peak RSS
  growth (the body is never built whole).

Targets: create ≤ 10 s and ≤ 500 MB growth at 1M rows; PDF ≤ 5 MB; projections of 1M rows
≤ 10 s. The machine's load (``uptime``) is printed before and after, since it is shared.
Figures are printed and written to ``bench/results.json`` under the key ``"reports"``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
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

from avatars.client import ApiClient  # noqa: E402
from avatars.exceptions import ConflictError  # noqa: E402
from avatars.local import LocalServer  # noqa: E402
from avatars.models import (  # noqa: E402
    AvatarizationJobCreate,
    AvatarizationParameters,
    ReportCreate,
)
from avatars.waiting import RUNNING_STATUSES, poll  # noqa: E402

RESULTS = HERE / "results.json"
K = 20
SEED = 0
MB = 1024 * 1024


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


class PeakRss:
    """Samples every 10 ms the RSS of the server process and of each of its job workers."""

    def __init__(self, server_pid: int) -> None:
        self.server = psutil.Process(server_pid)
        self._stop = threading.Event()
        self.base = self._sample()
        self.peak = dict(self.base)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> dict[int, int]:
        out = {self.server.pid: self.server.memory_info().rss}
        for child in self.server.children(recursive=True):
            try:
                out[child.pid] = child.memory_info().rss
            except psutil.Error:
                continue
        return out

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            for pid, rss in self._sample().items():
                self.peak[pid] = max(self.peak.get(pid, 0), rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def server_growth_mb(self) -> float:
        pid = self.server.pid
        return (self.peak[pid] - self.base[pid]) / MB

    @property
    def worker_growth_mb(self) -> float:
        """Largest growth of a worker alive before and after (a new worker counts in full)."""
        growth = [
            peak - self.base.get(pid, 0)
            for pid, peak in self.peak.items()
            if pid != self.server.pid
        ]
        return max(growth, default=0) / MB


def server_pid() -> int:
    """The LocalServer's process: this process's child running `avatars_server.cli serve`."""
    for child in psutil.Process().children():
        if "serve" in child.cmdline():
            return int(child.pid)
    raise RuntimeError("no local server process found")


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = action()
    return value, time.perf_counter() - start


def full_job(client: ApiClient, frame: Any) -> tuple[Any, float]:
    dataset = client.pandas_integration.upload_dataframe(frame, progress=False)
    start = time.perf_counter()
    job = client.jobs.create_full_avatarization_job(
        AvatarizationJobCreate(
            parameters=AvatarizationParameters(k=K, dataset_id=dataset.id, seed=SEED)
        )
    )
    job = poll(
        lambda: client.jobs.get_avatarization_job(job.id, timeout=0),
        lambda current: str(current.status) in RUNNING_STATUSES,
        timeout=7200,
        initial_delay=0.1,
        max_delay=0.2,
    )
    if str(job.status) != "success":
        raise RuntimeError(f"the job ended {job.status}: {job.error_message}")
    return job, time.perf_counter() - start


def download_when_ready(client: ApiClient, report_id: Any, fmt: str) -> bytes:
    while True:
        try:
            content = client.reports.download_report(report_id, format=fmt)
            assert content is not None
            return content
        except ConflictError:
            time.sleep(0.1)


def report_figures(client: ApiClient, job_id: Any, server_pid: int) -> dict[str, Any]:
    request = ReportCreate(avatarization_job_id=job_id, privacy_job_id=job_id, signal_job_id=job_id)
    with PeakRss(server_pid) as memory:
        start = time.perf_counter()
        report = client.reports.create_report(request)
        created = time.perf_counter() - start
        pdf = download_when_ready(client, report.id, "pdf")
        ready = time.perf_counter() - start
    assert pdf is not None
    again, resent = timed(lambda: client.reports.create_report(request))
    assert again.id == report.id, "a re-sent request made a second report"
    html = download_when_ready(client, report.id, "html")
    evidence = client.reports.download_report(report.id, format="json")
    return {
        "create_s": round(created, 3),
        "pdf_ready_s": round(ready, 3),
        "resent_create_s": round(resent, 3),
        "server_rss_growth_mb": round(memory.server_growth_mb, 1),
        "worker_rss_growth_mb": round(memory.worker_growth_mb, 1),
        "pdf_mb": round(len(pdf) / MB, 3),
        "html_mb": round(len(html or b"") / MB, 3),
        "json_mb": round(len(evidence or b"") / MB, 3),
    }


def projection_figures(client: ApiClient, job_id: Any, server_pid: int) -> dict[str, Any]:
    with PeakRss(server_pid) as memory:
        start = time.perf_counter()
        size = 0
        with client.http.stream("GET", f"/projections/{job_id}") as answer:
            answer.raise_for_status()
            for chunk in answer.iter_bytes():
                size += len(chunk)
        seconds = time.perf_counter() - start
    return {
        "projections_s": round(seconds, 3),
        "projections_mb": round(size / MB, 1),
        "projections_rss_growth_mb": round(memory.server_growth_mb, 1),
    }


def recording_overhead(frame: Any) -> dict[str, float]:
    """In this process: the engine's work for a full job, then the same with what the job now
    records for reports and the metrics routes (explain + figure data), fastest of two."""
    from avatars_server.engine import (
        AvatarizationConfig,
        PrivacyConfig,
        avatarize,
        compute_privacy_metrics,
        compute_signal_metrics,
    )
    from avatars_server.reports.build import (
        privacy_artifacts,
        projection_artifacts,
        signal_artifacts,
    )
    from avatars_server.reports.content import MetricSettings

    categorical = [c for c in frame.columns if str(frame[c].dtype) in ("category", "object")]
    columns = [
        {"label": c, "type": "category" if c in categorical else "float"} for c in frame.columns
    ]

    figure_data: list[float] = []

    def run(explain: bool) -> float:
        start = time.perf_counter()
        out = avatarize(
            frame, AvatarizationConfig(k=K, seed=SEED), explain=explain, nearest_others=True
        )
        privacy = compute_privacy_metrics(
            frame,
            out.unshuffled,
            PrivacyConfig(ncp=out.ncp, seed=SEED),
            categorical=categorical,
            explain=explain,
            nearest_others=out.nearest_others,
        )
        signal = compute_signal_metrics(frame, out.avatars, categorical=categorical)
        if explain:
            recording = time.perf_counter()
            model, diagnostics = out.model, privacy.diagnostics
            assert model is not None and diagnostics is not None
            projection_artifacts(
                "avatarization",
                model.eigenvalues,
                model.explained_variance_ratio,
                {"original": model.contributions_original},
                model.original_coords[:, :3],
                model.avatar_coords[:, :3],
            )
            settings = MetricSettings(5, "knn", 5, 1.0, SEED, None, None, 0.3, 0.3, [], [])
            privacy_artifacts(
                diagnostics.local_cloaking,
                diagnostics.distance_to_closest,
                diagnostics.closest_distances_ratio,
                privacy.targets,
                settings,
                None,
            )
            hellinger = signal.details["hellinger"]
            assert isinstance(hellinger, dict)
            signal_artifacts(frame, out.avatars, columns, hellinger)
            figure_data.append(time.perf_counter() - recording)
        return time.perf_counter() - start

    # Interleaved, fastest of three: the machine is shared and its load swings.
    plain, recorded = [], []
    for _ in range(3):
        plain.append(run(False))
        recorded.append(run(True))
    return {
        "engine_s": round(min(plain), 3),
        "engine_with_recording_s": round(min(recorded), 3),
        "recording_overhead_ratio": round((min(recorded) - min(plain)) / min(plain), 3),
        "figure_data_s": round(min(figure_data), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--overhead-size", type=int, default=100_000, help="rows of the in-process comparison"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    load_before = uptime()
    print(f"load before: {load_before}", flush=True)
    figures: dict[str, Any] = {}
    with LocalServer(env={"AVATARS_JOB_WORKERS": "1"}) as server, server.client() as client:
        client.reports  # noqa: B018 (import the namespace before measuring)
        for n in sizes:
            frame = make_table(n)
            job, job_seconds = full_job(client, frame)
            del frame
            row: dict[str, Any] = {"job_s": round(job_seconds, 3)}
            pid = server_pid()
            row.update(report_figures(client, job.id, pid))
            row.update(projection_figures(client, job.id, pid))
            row["load"] = uptime()
            figures[str(n)] = row
            print(
                f"{n:>8} rows: job {row['job_s']:7.2f} s | report create {row['create_s']:5.2f} s, "
                f"PDF ready {row['pdf_ready_s']:5.2f} s, re-sent {row['resent_create_s']:.2f} s | "
                f"RSS growth server {row['server_rss_growth_mb']:.0f} MB, worker "
                f"{row['worker_rss_growth_mb']:.0f} MB | PDF {row['pdf_mb']:.2f} MB, HTML "
                f"{row['html_mb']:.2f} MB | projections {row['projections_s']:.2f} s "
                f"({row['projections_mb']:.0f} MB, RSS growth "
                f"{row['projections_rss_growth_mb']:.0f} MB)",
                flush=True,
            )
            print(f"  load: {row['load']}", flush=True)
    overhead = recording_overhead(make_table(args.overhead_size))
    print(
        f"recording for reports, {args.overhead_size} rows in-process: engine "
        f"{overhead['engine_s']:.2f} s -> {overhead['engine_with_recording_s']:.2f} s "
        f"(+{100 * overhead['recording_overhead_ratio']:.0f} %; figure data alone "
        f"{overhead['figure_data_s']:.2f} s)",
        flush=True,
    )
    load_after = uptime()
    print(f"load after: {load_after}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["reports"] = {
        "sizes": figures,
        "recording_overhead": {"rows": args.overhead_size, **overhead},
        "targets": {
            "create_s_1m": 10,
            "rss_growth_mb_1m": 500,
            "pdf_mb": 5,
            "projections_s_1m": 10,
        },
        "load_before": load_before,
        "load_after": load_after,
        "k": K,
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
