"""Soak benchmark (issue 16 §7): many concurrent clients against one `avatars-server serve`.

Usage: ``.venv/bin/python bench/bench_soak.py [--clients 32] [--seconds 120]``

A server with one job worker runs on 127.0.0.1 (a fresh data directory). Each client is a
thread with its own user and keep-alive connection, and picks its next request at random:

- upload a small table (``POST /datasets/stream``, 500 rows written by pandas, so that it is
  stored as it is and its stored file must hash to the sha256 the server records);
- download one of its datasets (``GET /datasets/{id}/download``, either format) and check the
  bytes of stored-format downloads against the upload;
- read one dataset or list them (``GET /datasets/{id}``, ``GET /datasets``);
- create a small avatarization job (k=5; at most one every ``--job-interval`` seconds over all
  clients, since one worker runs them) or read one (``GET /jobs/avatarization/{id}``);
- log in with a wrong password, from one of 16 addresses (``X-Forwarded-For``, trusted from
  127.0.0.1) for one of 8 names: the throttle answers 401, then 429;
- download a report (``GET /reports/{id}/download``, PDF or JSON evidence): before the load,
  the first client runs a full job and makes a report of it; every client downloads that one
  with the first client's token (``--no-reports`` leaves them out).

Printed and written to ``bench/results.json`` under ``"soak"``: requests per route and status,
5xx count (target 0), transport errors, p50 / p99 latency per route, server RSS at the start
of the load and at its end (target: growth <= 100 MB), the jobs' final statuses, and the check
that every dataset row's stored file hashes to its recorded sha256 and that every upload
answered 201 is still listed. The machine's load (``uptime``) is printed before and after:
on a shared machine the latencies move with it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from avatars.local import LocalServer  # noqa: E402
from avatars.models import CreateUser  # noqa: E402

RESULTS = HERE / "results.json"
LOG_COPY = HERE / ".work" / "soak-server.log"
ROWS = 500
TARGET_RSS_GROWTH_MB = 100
ADDRESSES = [f"198.51.100.{n}" for n in range(1, 17)]
GUESSED_NAMES = [f"guessed-{n}" for n in range(8)]

# Route -> weight of the mix.
MIX: list[tuple[str, int]] = [
    ("download_report", 6),
    ("upload", 10),
    ("download", 30),
    ("get_dataset", 10),
    ("list_datasets", 8),
    ("create_job", 6),
    ("get_job", 12),
    ("wrong_login", 24),
]


@dataclass(frozen=True)
class SharedReport:
    """The report every client downloads, and the token of its owner."""

    report_id: str
    token: str


def make_report(base_url: str, token: str) -> SharedReport:
    """Upload a table, run a full job (avatars + metrics), make its report, wait for the PDF."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as http:
        upload = http.post(
            "/datasets/stream", files={"file": ("table.csv", make_csv(999_999), "text/csv")}
        )
        upload.raise_for_status()
        body = {"parameters": {"k": 5, "dataset_id": upload.json()["id"], "seed": 1}}
        job = http.post("/jobs", json=body)
        job.raise_for_status()
        job_id = job.json()["id"]
        deadline = time.monotonic() + 600
        while http.get(f"/jobs/avatarization/{job_id}").json()["status"] in ("pending", "started"):
            if time.monotonic() > deadline:
                raise RuntimeError("the report's job did not finish in 10 minutes")
            time.sleep(0.5)
        ids = {"avatarization_job_id": job_id, "privacy_job_id": job_id, "signal_job_id": job_id}
        report = http.post("/reports", json=ids)
        report.raise_for_status()
        report_id = report.json()["id"]
        while http.get(f"/reports/{report_id}/download").status_code == 409:
            if time.monotonic() > deadline:
                raise RuntimeError("the report's PDF was not rendered in 10 minutes")
            time.sleep(0.5)
    return SharedReport(report_id, token)


def uptime() -> str:
    try:
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return "uptime unavailable"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_csv(seed: int) -> bytes:
    """A 500-row table as pandas writes it (stored as it is by the server)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "id": np.arange(ROWS) + seed * ROWS,
            "age": rng.integers(18, 90, ROWS),
            "height": np.round(rng.normal(170, 10, ROWS), 1),
            "city": rng.choice(["Paris", "Lyon", "Nantes", "Lille"], ROWS),
            "smoker": rng.choice(["yes", "no"], ROWS),
        }
    )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    transport_errors: Counter[str] = field(default_factory=Counter)
    content_mismatches: int = 0
    uploaded: dict[str, str] = field(default_factory=dict)  # dataset id -> sha256 sent
    jobs: list[str] = field(default_factory=list)

    def add(self, route: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            self.statuses[route][status] += 1


class JobGate:
    """At most one job creation every `interval` seconds, over all clients."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next_at = 0.0
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            if now < self.next_at:
                return False
            self.next_at = now + self.interval
            return True


class Client:
    def __init__(
        self,
        number: int,
        base_url: str,
        token: str,
        stats: Stats,
        gate: JobGate,
        report: SharedReport | None = None,
    ) -> None:
        self.number = number
        # A new connection per request, as the published 0.7.3 client does (and no keep-alive
        # race with the server closing an idle connection).
        fresh = httpx.Limits(max_keepalive_connections=0)
        self.http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
            limits=fresh,
        )
        self.anonymous = httpx.Client(base_url=base_url, timeout=60, limits=fresh)
        self.report = report
        self.report_http = (
            httpx.Client(
                base_url=base_url,
                headers={"Authorization": f"Bearer {report.token}"},
                timeout=60,
                limits=fresh,
            )
            if report is not None
            else None
        )
        self.stats = stats
        self.gate = gate
        self.random = random.Random(number)
        self.datasets: list[str] = []
        self.jobs: list[str] = []
        self.uploads = 0

    def timed(self, route: str, send: Callable[[], httpx.Response]) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = send()
            response.read()
        except httpx.HTTPError as exc:
            with self.stats.lock:
                self.stats.transport_errors[f"{route}: {type(exc).__name__}"] += 1
            return None
        self.stats.add(route, response.status_code, time.perf_counter() - start)
        return response

    def upload(self) -> None:
        self.uploads += 1
        body = make_csv(self.number * 100_000 + self.uploads)
        response = self.timed(
            "POST /datasets/stream",
            lambda: self.http.post(
                "/datasets/stream", files={"file": ("table.csv", body, "text/csv")}
            ),
        )
        if response is not None and response.status_code == 201:
            dataset_id = response.json()["id"]
            self.datasets.append(dataset_id)
            with self.stats.lock:
                self.stats.uploaded[dataset_id] = hashlib.sha256(body).hexdigest()

    def step(self, operation: str) -> None:
        if operation == "download_report":
            if self.report is None or self.report_http is None:
                operation = "download"
            else:
                report_id, http = self.report.report_id, self.report_http
                fmt = self.random.choice(["pdf", "json"])
                self.timed(
                    "GET /reports/{id}/download",
                    lambda: http.get(f"/reports/{report_id}/download", params={"format": fmt}),
                )
                return
        if operation == "upload" or not self.datasets:
            self.upload()
            return
        dataset_id = self.random.choice(self.datasets)
        if operation == "download":
            filetype = self.random.choice(["csv", "csv", "parquet"])
            response = self.timed(
                "GET /datasets/{id}/download",
                lambda: self.http.get(
                    f"/datasets/{dataset_id}/download", params={"filetype": filetype}
                ),
            )
            if response is not None and response.status_code == 200 and filetype == "csv":
                digest = hashlib.sha256(response.content).hexdigest()
                if digest != self.stats.uploaded.get(dataset_id):
                    with self.stats.lock:
                        self.stats.content_mismatches += 1
        elif operation == "get_dataset":
            self.timed("GET /datasets/{id}", lambda: self.http.get(f"/datasets/{dataset_id}"))
        elif operation == "list_datasets":
            self.timed("GET /datasets", lambda: self.http.get("/datasets"))
        elif operation == "create_job":
            if not self.gate.take():
                self.timed("GET /datasets", lambda: self.http.get("/datasets"))
                return
            body = {"parameters": {"k": 5, "dataset_id": dataset_id, "seed": 1}}
            response = self.timed(
                "POST /jobs/avatarization", lambda: self.http.post("/jobs/avatarization", json=body)
            )
            if response is not None and response.status_code == 201:
                job_id = response.json()["id"]
                self.jobs.append(job_id)
                with self.stats.lock:
                    self.stats.jobs.append(job_id)
        elif operation == "get_job":
            if not self.jobs:
                self.timed("GET /datasets/{id}", lambda: self.http.get(f"/datasets/{dataset_id}"))
                return
            job_id = self.random.choice(self.jobs)
            self.timed(
                "GET /jobs/avatarization/{id}",
                lambda: self.http.get(f"/jobs/avatarization/{job_id}"),
            )
        elif operation == "wrong_login":
            address = self.random.choice(ADDRESSES)
            name = self.random.choice(GUESSED_NAMES)
            self.timed(
                "POST /login (wrong)",
                lambda: self.anonymous.post(
                    "/login",
                    data={"username": name, "password": "not-the-password"},
                    headers={"X-Forwarded-For": address},
                ),
            )

    def run(self, deadline: float) -> None:
        operations = [name for name, _ in MIX]
        weights = [weight for _, weight in MIX]
        while time.monotonic() < deadline:
            self.step(self.random.choices(operations, weights)[0])


def run_all(clients: list[Client], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=c.run, args=(deadline,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def sample_rss(pid: int, samples: list[float], until: float) -> None:
    """Server RSS every 10 s: a plateau is warm caches, a steady climb is a leak."""
    while time.monotonic() < until:
        samples.append(rss_mb(pid))
        time.sleep(10)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def check_storage(server: LocalServer, stats: Stats) -> dict[str, Any]:
    """Every dataset row's file hashes to its recorded sha256; every 201 upload is listed."""
    from sqlalchemy import select

    from avatars_server.config import Settings
    from avatars_server.storage.db import make_engine, make_session_factory
    from avatars_server.storage.tables import DatasetRow

    settings = Settings(data_dir=server.data_dir)
    engine = make_engine(settings)
    mismatched: list[str] = []
    with make_session_factory(engine)() as session:
        rows = list(session.scalars(select(DatasetRow)))
        for row in rows:
            path = settings.datasets_dir / row.storage_path
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
            if digest.hexdigest() != row.hash:
                mismatched.append(str(row.id))
        ids = {str(row.id) for row in rows}
    engine.dispose()
    missing = sorted(set(stats.uploaded) - ids)
    return {
        "datasets_checked": len(rows),
        "hash_mismatches": len(mismatched),
        "uploads_missing": len(missing),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--job-interval", type=float, default=2.0)
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds, not counted")
    parser.add_argument("--no-reports", action="store_true", help="no report downloads")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment of the server process (repeatable)",
    )
    args = parser.parse_args()

    print(f"load before: {uptime()}", flush=True)
    env = {"AVATARS_JOB_WORKERS": "1"}
    env.update(item.split("=", 1) for item in args.server_env)
    with LocalServer(env=env) as server:
        assert server._process is not None
        pid = server._process.pid
        admin = server.client()
        tokens: list[str] = []
        for number in range(args.clients):
            name = f"soak-{number}"
            admin.users.create_user(CreateUser(username=name, password="soak-password-1"))
            login = httpx.post(
                f"{server.base_url}/login",
                data={"username": name, "password": "soak-password-1"},
                timeout=60,
            )
            login.raise_for_status()
            tokens.append(login.json()["access_token"])
        report = None if args.no_reports else make_report(server.base_url, tokens[0])
        stats = Stats()
        gate = JobGate(args.job_interval)
        clients = [
            Client(number, server.base_url, tokens[number], stats, gate, report)
            for number in range(args.clients)
        ]
        rss_fresh = rss_mb(pid)
        # Warm-up with the same mix, not counted: the first uploads and downloads load pyarrow,
        # pandas and the thread pools; the growth that matters is the steady state's.
        warmup_stats = Stats()
        warm = [
            Client(1000 + number, server.base_url, tokens[number], warmup_stats, gate, report)
            for number in range(args.clients)
        ]
        run_all(warm, args.warmup)
        for client, warmed in zip(clients, warm, strict=True):
            client.datasets = list(warmed.datasets)
            client.jobs = list(warmed.jobs)
        stats.uploaded.update(warmup_stats.uploaded)
        rss_start = rss_mb(pid)
        print(
            f"{args.clients} clients for {args.seconds:.0f} s; server RSS {rss_fresh:.0f} MB "
            f"fresh, {rss_start:.0f} MB after a {args.warmup:.0f} s warm-up",
            flush=True,
        )
        samples: list[float] = []
        sampler = threading.Thread(
            target=sample_rss, args=(pid, samples, time.monotonic() + args.seconds), daemon=True
        )
        sampler.start()
        started = time.perf_counter()
        run_all(clients, args.seconds)
        elapsed = time.perf_counter() - started
        rss_busy_end = rss_mb(pid)
        time.sleep(5)  # requests still in the server finish; their buffers are freed
        rss_end = rss_mb(pid)
        load_after = uptime()
        job_statuses = job_outcomes(server, tokens, clients, timeout=120)
        storage = check_storage(server, stats)
        admin.close()
        # Kept for the post-mortem of any 5xx (the data directory is removed on exit).
        LOG_COPY.parent.mkdir(parents=True, exist_ok=True)
        LOG_COPY.write_text(server.logs())

    routes = sorted(stats.statuses)
    total = sum(sum(c.values()) for c in stats.statuses.values())
    server_errors = sum(n for c in stats.statuses.values() for s, n in c.items() if s >= 500)
    print(f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s)")
    print(f"{'route':34} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    per_route: dict[str, Any] = {}
    for route in routes:
        values = stats.latencies[route]
        p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
        counts = dict(sorted(stats.statuses[route].items()))
        print(f"{route:34} {len(values):7d} {p50:8.1f} {p99:8.1f}  {counts}")
        per_route[route] = {"count": len(values), "p50_ms": p50, "p99_ms": p99, "statuses": counts}
    growth = rss_end - rss_start
    print(
        f"5xx answers: {server_errors} (target 0); transport errors: {dict(stats.transport_errors)}"
    )
    print(
        f"server RSS: {rss_fresh:.0f} MB fresh, {rss_start:.0f} MB after warm-up (start), "
        f"{rss_busy_end:.0f} MB as the load ends, {rss_end:.0f} MB 5 s later: "
        f"growth {growth:+.0f} MB (target <= {TARGET_RSS_GROWTH_MB} MB); "
        f"every 10 s: {', '.join(f'{v:.0f}' for v in samples)}"
    )
    print(f"jobs: {dict(job_statuses)}")
    print(
        f"storage: {storage['datasets_checked']} datasets hashed, "
        f"{storage['hash_mismatches']} mismatches, {storage['uploads_missing']} uploads missing; "
        f"{stats.content_mismatches} downloads differing from their upload"
    )
    if report is None:
        print("report downloads: left out (--no-reports)")
    print(f"load after: {load_after}; server log: {LOG_COPY}")
    ok = (
        server_errors == 0
        and not stats.transport_errors
        and growth <= TARGET_RSS_GROWTH_MB
        and storage["hash_mismatches"] == 0
        and storage["uploads_missing"] == 0
        and stats.content_mismatches == 0
    )
    print("soak: " + ("all targets met" if ok else "TARGET MISSED"))

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["soak"] = {
        "machine": f"{platform.node()} ({platform.machine()}), shared with other work",
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "server_errors_5xx": server_errors,
        "transport_errors": dict(stats.transport_errors),
        "routes": per_route,
        "rss_fresh_mb": round(rss_fresh, 1),
        "rss_start_mb": round(rss_start, 1),
        "rss_samples_mb": [round(v) for v in samples],
        "rss_end_mb": round(rss_end, 1),
        "rss_busy_end_mb": round(rss_busy_end, 1),
        "server_env": args.server_env,
        "jobs": dict(job_statuses),
        "storage": storage,
        "download_mismatches": stats.content_mismatches,
        "report_downloads": report is not None,
        "load": load_after,
        "targets_met": ok,
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def job_outcomes(
    server: LocalServer, tokens: list[str], clients: list[Client], timeout: float
) -> Counter[str]:
    """Wait (up to `timeout`) for every created job to end; count the final statuses."""
    statuses: Counter[str] = Counter()
    deadline = time.monotonic() + timeout
    for client, token in zip(clients, tokens, strict=True):
        with httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http:
            for job_id in client.jobs:
                status = "unknown"
                while True:
                    answer = http.get(f"/jobs/avatarization/{job_id}")
                    status = answer.json().get("status", f"http {answer.status_code}")
                    if status not in ("pending", "started") or time.monotonic() > deadline:
                        break
                    time.sleep(0.5)
                statuses[status] += 1
    return statuses


if __name__ == "__main__":
    main()
