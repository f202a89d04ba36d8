"""Observed multi-table and geolocation figures on the sample data (docs/method.md §12).

Run: .venv/bin/python scripts/extended_figures.py  (prints markdown; takes about a minute)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from avatars_server.engine import AvatarizationConfig, PrivacyConfig
from avatars_server.engine.geolocation import Scenario, geolocation_privacy
from avatars_server.engine.multitable import (
    Link,
    TableInfo,
    avatarize_multi_table,
    build_graph,
    children_count_hellinger,
    multi_table_privacy,
    parent_child_relations,
)

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "extended"
SEEDS = range(5)


def _tutorial() -> tuple[dict[str, pd.DataFrame], dict[str, TableInfo]]:
    frames = {name: pd.read_csv(DATA / f"{name}.csv") for name in ("patient", "doctor", "visit")}
    ids = {
        "patient": ["p_id"],
        "doctor": ["d_id"],
        "visit": ["visit_id", "patient_id", "doctor_id"],
    }
    tables = {
        name: TableInfo(name, ids[name], list(frame.columns), name != "visit")
        for name, frame in frames.items()
    }
    return frames, tables


def _band(values: list[float]) -> str:
    array = np.asarray(values, dtype=float)
    return f"{array.mean():.3f} [{array.min():.3f}, {array.max():.3f}]"


def multi_table() -> None:
    frames, tables = _tutorial()
    configs = {
        "patient": AvatarizationConfig(k=15),
        "doctor": AvatarizationConfig(k=5),
        "visit": AvatarizationConfig(k=30),
    }
    types = {
        "patient": {"p_id": "int"},
        "doctor": {"d_id": "int"},
        "visit": {"visit_id": "int", "patient_id": "int", "doctor_id": "int"},
    }
    print("| figure | bottom_projection | linear_sum_assignement |")
    print("| --- | --- | --- |")
    rows: dict[str, dict[str, list[float]]] = {}
    for method in ("bottom_projection", "linear_sum_assignement"):
        links = [
            Link("patient", "visit", "p_id", "patient_id", method),
            Link("doctor", "visit", "d_id", "doctor_id", method),
        ]
        graph = build_graph(tables, links)
        for seed in SEEDS:
            output = avatarize_multi_table(graph, frames, configs, types, seed)
            released = {n: output.tables[n].avatars for n in frames}
            unshuffled = {n: output.tables[n].unshuffled for n in frames}
            figures: dict[str, float] = {}
            for label, value in children_count_hellinger(graph, frames, released).items():
                figures[f"children-count Hellinger {label}"] = value
            for label, values in parent_child_relations(graph, frames, released).items():
                figures[f"hellinger_mean {label}"] = float(values["hellinger_mean"] or 0)
                cdr = values["correlation_difference_ratio"]
                if cdr is not None:
                    figures[f"correlation_difference_ratio {label}"] = float(cdr)
            privacy = multi_table_privacy(
                graph, frames, unshuffled, {n: PrivacyConfig(seed=seed) for n in frames}
            )
            for entry in privacy:
                who = entry.individual_identifier_variable
                where = f"{entry.computation_type} {entry.dataset_name} ({who})"
                figures[f"hidden_rate {where}"] = entry.metrics.hidden_rate
                figures[f"local_cloaking {where}"] = entry.metrics.local_cloaking
            for label, value in figures.items():
                rows.setdefault(label, {}).setdefault(method, []).append(value)
    for label, by_method in rows.items():
        cells = [
            _band(by_method.get(m, [])) for m in ("bottom_projection", "linear_sum_assignement")
        ]
        print(f"| {label} | {cells[0]} | {cells[1]} |")


def geolocation() -> None:
    porto = pd.read_csv(DATA / "porto_taxi_200.csv")
    rng = np.random.default_rng(0)
    trimmed = porto.groupby("id", sort=False).head(20)
    noised = trimmed.assign(
        lat=trimmed["lat"] + rng.normal(0, 0.001, len(trimmed)),
        lon=trimmed["lon"] + rng.normal(0, 0.001, len(trimmed)),
    )
    scenarios = [
        Scenario(
            "geolocation_density",
            known_features=["length", "duration"],
            target_feature="speed",
            known_signal_position="start",
            target_signal_poi="start",
        ),
        Scenario("geolocation_features", known_signal_position="end", target_signal_poi="end"),
    ]
    print(
        "| treated data | scenario | hidden_rate | local_cloaking | specific_hidden_rate | "
        "features_correlation_protection_rate | features_inference_rate | "
        "trace_correlation_protection_rate | thresholded_signal_inference_rate |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, treated in (
        ("trimmed to 20 points", trimmed),
        ("trimmed + noise sd 0.001°", noised),
    ):
        for scenario, metrics in zip(
            scenarios, geolocation_privacy(porto, treated, scenarios), strict=True
        ):

            def fmt(value: float | None) -> str:
                return "null" if value is None else f"{value:.1f}"

            print(
                f"| {label} | {scenario.projection_type}, known {scenario.known_signal_position} | "
                f"{fmt(metrics.hidden_rate)} | {fmt(metrics.local_cloaking)} | "
                f"{fmt(metrics.specific_hidden_rate)} | "
                f"{fmt(metrics.features_correlation_protection_rate)} | "
                f"{fmt(metrics.features_inference_rate)} | "
                f"{fmt(metrics.trace_correlation_protection_rate)} | "
                f"{fmt(metrics.thresholded_signal_inference_rate)} |"
            )


if __name__ == "__main__":
    multi_table()
    print()
    geolocation()
