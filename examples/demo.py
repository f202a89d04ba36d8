"""The README's main job: a local server, the tutorial's avatarization of iris, its metrics,
and its report as PDF and HTML."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from avatars.client import ApiClient
from avatars.exceptions import ConflictError
from avatars.local import LocalServer
from avatars.models import AvatarizationJobCreate, AvatarizationParameters, JobStatus, ReportCreate

IRIS = Path(__file__).resolve().parent.parent / "fixtures" / "iris.csv"
OUTPUT = Path("demo-output")  # report.pdf and report.html land here, under the current directory


def _print_metrics(title: str, metrics: Any) -> None:
    values = metrics.to_dict()
    targets = values.pop("targets", {})
    print(f"\n{title}")
    for name, value in values.items():
        shown = "—" if value is None else f"{value:.3f}" if isinstance(value, float) else value
        target = targets.get(name)
        print(f"  {name:34} {shown!s:>10}" + (f"   target {target}" if target else ""))


def _download_reports(client: ApiClient, job_id: str) -> list[Path]:
    """Create the job's report and write it as PDF and HTML (the server may still be drawing
    it: it answers 409 until then, so poll with a deadline)."""
    report = client.reports.create_report(
        ReportCreate(avatarization_job_id=job_id, privacy_job_id=job_id, signal_job_id=job_id)
    )
    OUTPUT.mkdir(exist_ok=True)
    paths = []
    for kind in ("pdf", "html"):
        path = (OUTPUT / f"report.{kind}").resolve()
        deadline = time.monotonic() + 120
        delay = 0.2
        while True:
            try:
                client.reports.download_report(report.id, path, format=kind)
                break
            except ConflictError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(2.0, delay * 1.5)
        paths.append(path)
    return paths


def main() -> int:
    print("Starting a local Avatar server ...")
    with LocalServer() as server:
        client = server.client()
        print(f"server {server.base_url}: health {client.health.get_health()}")
        verdict = client.compatibility.is_client_compatible()
        print(f"compatibility: {verdict.status} ({verdict.message})")

        dataset = client.datasets.create_dataset(open(IRIS), name="iris")  # noqa: SIM115
        print(f"uploaded {IRIS.name}: {dataset.nb_lines} rows x {dataset.nb_dimensions} columns")

        job = client.jobs.create_full_avatarization_job(
            AvatarizationJobCreate(parameters=AvatarizationParameters(k=20, dataset_id=dataset.id))
        )
        print(f"job {job.id} created; waiting for it ...")
        job = client.jobs.get_avatarization_job(job.id, timeout=120)
        if job.status != JobStatus.success or not job.result:
            print(f"job ended as {job.status}: {job.error_message}", file=sys.stderr)
            return 1
        _print_metrics("Privacy metrics (higher is better)", job.result.privacy_metrics)
        _print_metrics("Signal metrics (lower is better)", job.result.signal_metrics)

        avatars = client.pandas_integration.download_dataframe(job.result.avatars_dataset.id)
        print(f"\nAvatars ({len(avatars)} rows), first lines:")
        print(avatars.head())

        print("\nReport (also served as JSON, the evidence avatars-server verify-report checks):")
        for path in _download_reports(client, str(job.id)):
            print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
