"""Time-series benchmark (issue 14 §6): 100k individuals, a vanilla table of 10 columns and two
series of 50 points (10M long rows), next to an ordinary job on the 100k × 10 vanilla table.

Usage: ``.venv/bin/python bench/bench_time_series.py [--individuals 100000]``

Engine level, as the job steps call it (no HTTP, no dataset files). Each case runs in its own
process so that its peak RSS is its own: the ordinary case avatarizes the vanilla table and
computes its privacy and signal metrics; the time-series case avatarizes the vanilla table with
both series (FPCA nf = 5), then computes the time-series privacy metrics (vanilla pair + both
series, FPCA nf = 3) and signal metrics. k = 20. Targets: time-series seconds ≤ 5× the
ordinary seconds, peak RSS ≤ 4 GB. Figures are printed with the machine's load and written to
``bench/results.json`` under the key ``"time_series"``.
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

K = 20
POINTS = 50
TARGET_RATIO = 5.0
TARGET_RSS_MB = 4096


def make_vanilla(n: int, seed: int = 0) -> pd.DataFrame:
    """`id` + 7 continuous (2 decimals) and 3 categorical columns driven by 3 latent factors."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 3))
    continuous = latent @ rng.normal(size=(3, 7)) + rng.normal(size=(n, 7))
    columns: dict[str, Any] = {"id": np.arange(n)}
    for j in range(7):
        columns[f"x{j}"] = np.round(continuous[:, j] * 10 + 50, 2)
    for j in range(3):
        codes = np.digitize(latent[:, j] + 0.5 * rng.normal(size=n), [-0.7, 0.0, 0.7])
        columns[f"c{j}"] = pd.Categorical.from_codes(codes, ["a", "b", "c", "d"])
    return pd.DataFrame(columns), latent


def make_series(latent: np.ndarray, seed: int) -> pd.DataFrame:
    """One value per individual and time t = 0..49: a level and a trend from the latent factors,
    a seasonal wave and noise (3 decimals)."""
    rng = np.random.default_rng(seed)
    n = len(latent)
    t = np.arange(POINTS, dtype=np.float64)
    level = latent[:, 0:1] + 0.3 * rng.normal(size=(n, 1))
    trend = 0.05 * latent[:, 1:2]
    values = (
        level
        + trend * t
        + 0.5 * np.sin(t / 5 + latent[:, 2:3])
        + 0.2 * rng.normal(size=(n, POINTS))
    )
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), POINTS),
            "t": np.tile(np.arange(POINTS), n),
            "value": np.round(values.ravel(), 3),
        }
    )


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux: the peak of this (fresh) process.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: str, n: int) -> dict[str, Any]:
    from avatars_server.engine import (
        AvatarizationConfig,
        PrivacyConfig,
        avatarize,
        compute_privacy_metrics,
        compute_signal_metrics,
    )
    from avatars_server.engine.timeseries import FPCA, TableInput, avatarize_with_time_series
    from avatars_server.engine.timeseries.metrics import (
        SeriesPair,
        series_privacy_metrics,
        series_signal_metrics,
    )

    vanilla, latent = make_vanilla(n)
    record: dict[str, Any] = {"individuals": n}
    if case == "ordinary":
        table = vanilla.drop(columns="id")
        start = time.perf_counter()
        # As the ordinary full job runs it (the originals' nearest-other distances handed over).
        out = avatarize(table, AvatarizationConfig(k=K, seed=0), nearest_others=True)
        record["avatarize_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        compute_privacy_metrics(
            table,
            out.unshuffled,
            PrivacyConfig(ncp=out.ncp, seed=0),
            nearest_others=out.nearest_others,
        )
        compute_signal_metrics(table, out.avatars)
        record["metrics_s"] = round(time.perf_counter() - start, 3)
    else:
        series = [make_series(latent, seed) for seed in (1, 2)]
        record["long_rows"] = sum(len(s) for s in series)
        start = time.perf_counter()
        out_ts = avatarize_with_time_series(
            TableInput("vanilla", vanilla),
            [TableInput(f"s{i}", s, projection=FPCA(5)) for i, s in enumerate(series)],
            AvatarizationConfig(k=K, seed=0),
        )
        record["avatarize_s"] = round(time.perf_counter() - start, 3)
        assert out_ts.vanilla is not None
        start = time.perf_counter()
        table = vanilla.drop(columns="id")
        config = PrivacyConfig(ncp=out_ts.ncp, seed=0)
        compute_privacy_metrics(table, out_ts.vanilla.unshuffled.drop(columns="id"), config)
        compute_signal_metrics(table, out_ts.vanilla.avatars.drop(columns="id"))
        record["vanilla_metrics_s"] = round(time.perf_counter() - start, 3)
        series_privacy_s = series_signal_s = 0.0
        v_pair = SeriesPair(TableInput("v", vanilla), TableInput("va", out_ts.vanilla.unshuffled))
        for i, (original, result) in enumerate(zip(series, out_ts.series, strict=True)):
            pair = SeriesPair(
                TableInput(f"s{i}", original, projection=FPCA(3)),
                TableInput("a", result.unshuffled),
            )
            mark = time.perf_counter()
            series_privacy_metrics(pair, v_pair, PrivacyConfig(seed=0))
            series_privacy_s += time.perf_counter() - mark
            mark = time.perf_counter()
            series_signal_metrics(
                SeriesPair(TableInput(f"s{i}", original), TableInput("a", result.avatars))
            )
            series_signal_s += time.perf_counter() - mark
        record["series_privacy_s"] = round(series_privacy_s, 3)
        record["series_signal_s"] = round(series_signal_s, 3)
        record["metrics_s"] = round(time.perf_counter() - start, 3)
    record["total_s"] = round(record["avatarize_s"] + record["metrics_s"], 3)
    record["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    record["load_average_1min"] = round(os.getloadavg()[0], 2)
    return record


def _child(case: str, n: int) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--case", case, "--individuals", str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def write_results(figures: dict[str, Any]) -> Path:
    """Read-modify-write bench/results.json, replacing only the "time_series" key."""
    path = HERE / "results.json"
    try:
        results = json.loads(path.read_text()) if path.exists() else {}
    except json.JSONDecodeError:
        results = {}
    results["time_series"] = figures
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--individuals", type=int, default=100_000)
    parser.add_argument("--case", choices=("ordinary", "time_series"))
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.individuals)))
        return 0
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    print(f"load before: {uptime.strip()}", flush=True)
    ordinary = _child("ordinary", args.individuals)
    print(f"ordinary job, {args.individuals} x 10: {ordinary}", flush=True)
    series = _child("time_series", args.individuals)
    print(f"time series, + 2 x {POINTS} points: {series}", flush=True)
    ratio = series["total_s"] / ordinary["total_s"]
    figures = {
        "ordinary": ordinary,
        "time_series": series,
        "time_ratio": round(ratio, 2),
        "targets": {"time_ratio": TARGET_RATIO, "peak_rss_mb": TARGET_RSS_MB},
        "load_before": uptime.strip(),
        "load_after": subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False
        ).stdout.strip(),
    }
    print(
        f"time series / ordinary: {ratio:.2f}x (target <= {TARGET_RATIO}x); "
        f"peak RSS {series['peak_rss_mb']:.0f} MB (target <= {TARGET_RSS_MB} MB)"
    )
    print(f"load after: {figures['load_after']}")
    print(f"written to {write_results(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
