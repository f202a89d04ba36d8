"""Extended-tier benchmark (issue #17 §7): multi-table and geolocation next to an ordinary job.

Usage: ``.venv/bin/python bench/bench_extended.py [--cases ordinary,bottom_projection,...]``

Cases, each in its own process so that peak RSS is its own:

- ``ordinary``: avatarize a 1M-row table (20 continuous + 6 categorical columns, k = 20, ncp = 5),
  the reference for the multi-table targets;
- ``bottom_projection`` / ``linear_sum_assignement``: 100k parents (6 continuous + 2 categorical)
  with 1M children (6 continuous + 1 categorical, driven by their parent), k = 20 on both tables,
  one link with that method (LSA blocks of L = 2,000);
- ``geolocation``: 10k trajectories of 50 points against noised copies, one scenario with every
  part (density 100 × 100, known length and duration, target speed, known start, start POI).

Targets: multi-table ≤ 3× (bottom_projection) and ≤ 8× (LSA) the ordinary job's time, geolocation
≤ 60 s, peak RSS ≤ 4 GB for all. Figures are printed with the machine's load and written to
``bench/results.json`` under ``"extended"``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

CASES = ("ordinary", "bottom_projection", "linear_sum_assignement", "geolocation")
TARGETS = {"bottom_projection": 3.0, "linear_sum_assignement": 8.0, "geolocation_s": 60.0}
PEAK_RSS_TARGET_MB = 4096


def _parents_children(
    n_parents: int, n_children: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n_parents, 3))
    parents: dict[str, Any] = {"id": np.arange(n_parents)}
    for j in range(6):
        parents[f"p{j}"] = np.round(latent @ rng.normal(size=3) + rng.normal(size=n_parents), 2)
    for j, levels in enumerate((4, 3)):
        parents[f"pc{j}"] = np.array([f"l{i}" for i in range(levels)], dtype=object)[
            np.digitize(
                latent[:, j], np.quantile(latent[:, j], np.linspace(0, 1, levels + 1)[1:-1])
            )
        ]
    weights = np.exp(0.5 * latent[:, 0])
    counts = rng.multinomial(n_children, weights / weights.sum())
    owner = np.repeat(np.arange(n_parents), counts)
    children: dict[str, Any] = {"id": np.arange(n_children), "parent_id": owner}
    for j in range(6):
        children[f"c{j}"] = np.round(
            latent[owner] @ rng.normal(size=3) + rng.normal(size=n_children), 2
        )
    score = latent[owner, 2] + rng.normal(size=n_children)
    children["cc0"] = np.array([f"m{i}" for i in range(5)], dtype=object)[
        np.digitize(score, np.quantile(score, [0.2, 0.4, 0.6, 0.8]))
    ]
    return pd.DataFrame(parents), pd.DataFrame(children)


def _trajectories(n: int, points: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    start_lat = rng.uniform(41.0, 41.3, n)
    start_lon = rng.uniform(-8.7, -8.4, n)
    steps = rng.normal(0, 3e-4, size=(n, points, 2)).cumsum(axis=1)
    lat = (start_lat[:, None] + steps[:, :, 0]).ravel()
    lon = (start_lon[:, None] + steps[:, :, 1]).ravel()
    t = (rng.integers(1_372_000_000, 1_373_000_000, n)[:, None] + 15 * np.arange(points)).ravel()
    ids = np.repeat(np.arange(n), points)
    original = pd.DataFrame({"id": ids, "t": t, "lat": lat, "lon": lon})
    treated = original.assign(
        lat=lat + rng.normal(0, 5e-4, lat.size), lon=lon + rng.normal(0, 5e-4, lon.size)
    )
    return original, treated


def run_case(case: str) -> dict[str, Any]:
    from avatars_server.engine import AvatarizationConfig, avatarize

    if case == "ordinary":
        from bench.bench_engine import make_table

        table = make_table(1_000_000)
        started = time.perf_counter()
        avatarize(table, AvatarizationConfig(k=20, ncp=5, seed=0))
        seconds = time.perf_counter() - started
    elif case in ("bottom_projection", "linear_sum_assignement"):
        from avatars_server.engine.multitable import (
            Link,
            TableInfo,
            avatarize_multi_table,
            build_graph,
        )

        parents, children = _parents_children(100_000, 1_000_000)
        tables = {
            "parent": TableInfo("parent", ["id"], list(parents.columns), True),
            "child": TableInfo("child", ["id", "parent_id"], list(children.columns), False),
        }
        graph = build_graph(tables, [Link("parent", "child", "id", "parent_id", case)])
        configs = {
            "parent": AvatarizationConfig(k=20, ncp=5),
            "child": AvatarizationConfig(k=20, ncp=5),
        }
        types = {"parent": {"id": "int"}, "child": {"id": "int", "parent_id": "int"}}
        started = time.perf_counter()
        avatarize_multi_table(graph, {"parent": parents, "child": children}, configs, types, 0)
        seconds = time.perf_counter() - started
    elif case == "geolocation":
        from avatars_server.engine.geolocation import Scenario, geolocation_privacy

        original, treated = _trajectories(10_000, 50)
        scenario = Scenario(
            "geolocation_density",
            known_features=["length", "duration"],
            target_feature="speed",
            known_signal_position="start",
            target_signal_poi="start",
        )
        started = time.perf_counter()
        geolocation_privacy(original, treated, [scenario])
        seconds = time.perf_counter() - started
    else:
        raise SystemExit(f"unknown case {case!r}; cases: {CASES}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": case, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return 0
    results: dict[str, Any] = {"load_before": os.getloadavg(), "cases": {}}
    for case in args.cases.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            print(f"{case}: failed\n{out.stderr[-2000:]}")
            continue
        figure = json.loads(out.stdout.strip().splitlines()[-1])
        figure["load_after"] = [round(x, 1) for x in os.getloadavg()]
        results["cases"][case] = figure
        print(
            f"{case}: {figure['seconds']} s, peak RSS {figure['peak_rss_mb']} MB "
            f"(load {figure['load_after']})",
            flush=True,
        )
    cases = results["cases"]
    if "ordinary" in cases:
        base = cases["ordinary"]["seconds"]
        for method in ("bottom_projection", "linear_sum_assignement"):
            if method in cases:
                ratio = cases[method]["seconds"] / base
                cases[method]["over_ordinary"] = round(ratio, 2)
                print(f"{method} / ordinary: {ratio:.2f}x (target <= {TARGETS[method]}x)")
    if "geolocation" in cases:
        print(f"geolocation: {cases['geolocation']['seconds']} s (target <= 60 s)")
    over = [c for c, f in cases.items() if f["peak_rss_mb"] > PEAK_RSS_TARGET_MB]
    print(f"peak RSS over 4 GB: {over or 'none'}")
    path = HERE / "results.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    stored["extended"] = results
    path.write_text(json.dumps(stored, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
