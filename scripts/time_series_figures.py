"""Observed time-series figures on the tutorial's sensors data over 5 seeds (docs/method.md §10).

Run: ``python scripts/time_series_figures.py`` (engine only, a few seconds per seed). Prints a
Markdown table: mean ± population sd over seeds 0-4 of each figure, per setting.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from avatars_server.engine import AvatarizationConfig, PrivacyConfig
from avatars_server.engine.privacy import compute_privacy_metrics
from avatars_server.engine.signal import compute_signal_metrics
from avatars_server.engine.timeseries import FPCA, Flatten, TableInput, avatarize_with_time_series
from avatars_server.engine.timeseries.metrics import (
    SeriesPair,
    series_privacy_metrics,
    series_signal_metrics,
)

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "extended"
SEEDS = range(5)
K = 10


def _sd_ratio(original: pd.DataFrame, avatars: pd.DataFrame, columns: list[str]) -> float:
    """Mean over value columns and time points of sd(avatars) / sd(originals) at that time."""
    ratios = []
    for column in columns:
        x = original.groupby("t")[column].std(ddof=0)
        a = avatars.groupby("t")[column].std(ddof=0)
        ratios.append((a / x).mean())
    return float(np.mean(ratios))


def run(spec1: FPCA | Flatten, spec2: FPCA | Flatten, seed: int) -> dict[str, float]:
    vanilla = pd.read_csv(DATA / "sensors_vanilla.csv")
    s1 = pd.read_csv(DATA / "sensors_timeseries1.csv")
    s2 = pd.read_csv(DATA / "sensors_timeseries2.csv")
    out = avatarize_with_time_series(
        TableInput("vanilla", vanilla),
        [TableInput("s1", s1, projection=spec1), TableInput("s2", s2, projection=spec2)],
        AvatarizationConfig(k=K, seed=seed),
    )
    assert out.vanilla is not None
    figures: dict[str, float] = {}
    v_pair = SeriesPair(TableInput("v", vanilla), TableInput("va", out.vanilla.unshuffled))
    config = PrivacyConfig(ncp=out.ncp, seed=seed)
    v_privacy = compute_privacy_metrics(
        vanilla.drop(columns="id"), out.vanilla.unshuffled.drop(columns="id"), config
    )
    figures["vanilla hidden_rate"] = v_privacy.hidden_rate
    figures["vanilla local_cloaking"] = v_privacy.local_cloaking
    figures["vanilla hellinger_mean"] = compute_signal_metrics(
        vanilla.drop(columns="id"), out.vanilla.avatars.drop(columns="id")
    ).hellinger_mean
    for name, frame, result, values in (
        ("s1", s1, out.series[0], ["sensor1", "sensor2"]),
        ("s2", s2, out.series[1], ["sensor3"]),
    ):
        pair = SeriesPair(
            TableInput(name, frame, projection=FPCA(3)), TableInput("a", result.unshuffled)
        )
        privacy = series_privacy_metrics(pair, v_pair, PrivacyConfig(seed=seed))
        signal = series_signal_metrics(
            SeriesPair(TableInput(name, frame), TableInput("a", result.avatars))
        )
        figures[f"{name} hidden_rate"] = privacy.hidden_rate
        figures[f"{name} local_cloaking"] = privacy.local_cloaking
        figures[f"{name} distance_to_closest"] = float(privacy.distance_to_closest or 0.0)
        figures[f"{name} closest_distances_ratio"] = float(privacy.closest_distances_ratio or 0.0)
        figures[f"{name} closest_rate"] = float(privacy.closest_rate or 0.0)
        figures[f"{name} row_direct_match_protection"] = privacy.row_direct_match_protection
        figures[f"{name} column_direct_match_protection"] = privacy.column_direct_match_protection
        figures[f"{name} pointwise_hellinger_mean"] = signal.pointwise_hellinger_mean
        figures[f"{name} density_hellinger_mean"] = signal.density_hellinger_mean
        figures[f"{name} sd ratio (avatars / originals)"] = _sd_ratio(frame, result.avatars, values)
    return figures


def main() -> None:
    settings = {
        "FPCA nf=10 / nf=10": (FPCA(10), FPCA(10)),
        "FPCA nf=3 / nf=3": (FPCA(3), FPCA(3)),
        "flatten / flatten": (Flatten(), Flatten()),
    }
    table: dict[str, dict[str, str]] = {}
    for label, (spec1, spec2) in settings.items():
        runs = [run(spec1, spec2, seed) for seed in SEEDS]
        for key in runs[0]:
            values = np.array([r[key] for r in runs])
            table.setdefault(key, {})[label] = f"{values.mean():.3f} ± {values.std():.3f}"
    print("| figure | " + " | ".join(settings) + " |")
    print("| --- |" + " --- |" * len(settings))
    for key, row in table.items():
        print(f"| {key} | " + " | ".join(row[label] for label in settings) + " |")


if __name__ == "__main__":
    main()
