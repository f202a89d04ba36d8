"""Per-batch figures of method-extended §1.9 ("Bands"): AIDS split at random into halves.

For each seed: split with the client's covering rule (row_limit = ⌈n/2⌉, split seed = seed), run
the batch engine (k = 20, ncp = 5, seed = seed), compute the batch privacy metrics (ncp = 5,
fitted on the training original) and signal metrics per pair; for comparison, each half also
gets an ordinary single-table run. Prints a markdown table (docs/method.md §11).

    PYTHONPATH=.:generated .venv/bin/python scripts/batch_aids_figures.py
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from avatars.lib.split import split_covering_every_modality
from avatars_server.engine import (
    AvatarizationConfig,
    PrivacyConfig,
    avatarize,
    compute_privacy_metrics,
    compute_signal_metrics,
)
from avatars_server.engine.batch import avatarize_batches, batch_entropy
from avatars_server.engine.batch_metrics import batch_privacy_metrics, fit_batch_metric_model

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "paper" / "aids.csv"
CATEGORICAL = [
    *("hemo", "homo", "drugs", "karnof", "oprior", "z30", "zprior", "race", "gender"),
    *("str2", "strat", "symptom", "treat", "offtrt", "r", "cens", "arms"),
]
SEEDS = (0, 1, 2, 3, 4)
FIELDS = (
    "hidden_rate",
    "local_cloaking",
    "distance_to_closest",
    "closest_distances_ratio",
    "closest_rate",
    "column_direct_match_protection",
    "categorical_hidden_rate",
    "row_direct_match_protection",
)
SIGNAL = ("hellinger_mean", "correlation_difference_ratio")


def run(seed: int) -> dict[str, list[float]]:
    """Per quantity: [training, batch, training alone, batch alone]."""
    aids = pd.read_csv(DATA).astype({name: "category" for name in CATEGORICAL})
    training, (other,) = split_covering_every_modality(aids, math.ceil(len(aids) / 2), seed=seed)
    config = AvatarizationConfig(k=20, ncp=5, seed=seed)
    outputs = avatarize_batches(training, [other], config)
    privacy = PrivacyConfig(ncp=5, seed=seed)
    model = fit_batch_metric_model(
        training.reset_index(drop=True), privacy, entropy=batch_entropy(seed)
    )
    figures: dict[str, list[float]] = {name: [] for name in (*FIELDS, *SIGNAL)}
    for j, (original, out) in enumerate(zip((training, other), outputs, strict=True)):
        metrics = batch_privacy_metrics(
            model, original.reset_index(drop=True), out.unshuffled, privacy, fitted=j == 0
        )
        signal = compute_signal_metrics(original, out.avatars)
        for name in FIELDS:
            figures[name].append(float(getattr(metrics, name)))
        for name in SIGNAL:
            figures[name].append(float(getattr(signal, name)))
    for original in (training, other):
        alone = avatarize(original.reset_index(drop=True), config)
        metrics = compute_privacy_metrics(
            original.reset_index(drop=True), alone.unshuffled, privacy
        )
        signal = compute_signal_metrics(original, alone.avatars)
        for name in FIELDS:
            figures[name].append(float(getattr(metrics, name)))
        for name in SIGNAL:
            figures[name].append(float(getattr(signal, name)))
    figures["rows"] = [len(training), len(other), len(training), len(other)]
    return figures


def _range(values: list[float]) -> str:
    low, high = min(values), max(values)
    digits = 3 if high < 1.5 else 1
    return f"{low:.{digits}f}" if low == high else f"{low:.{digits}f}–{high:.{digits}f}"


def main() -> None:
    runs = [run(seed) for seed in SEEDS]
    print("| quantity | training batch | other batch | worst | mean | each half alone |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in ("rows", *FIELDS, *SIGNAL):
        t = [r[name][0] for r in runs]
        b = [r[name][1] for r in runs]
        worst = [min(r[name][:2]) for r in runs]
        mean = [(r[name][0] + r[name][1]) / 2 for r in runs]
        alone = [v for r in runs for v in r[name][2:]]
        worst_cell = _range(worst) if name in FIELDS else "–"
        print(
            f"| {name} | {_range(t)} | {_range(b)} | {worst_cell} | {_range(mean)} "
            f"| {_range(alone)} |"
        )


if __name__ == "__main__":
    main()
