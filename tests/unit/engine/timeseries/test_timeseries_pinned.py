"""Pinned outputs of the time-series engine on small seeded cases (issue 14, speed work).

The expected digests in ``tests/data/extended/timeseries_pinned.json`` were computed on the
engine *before* the speed changes (branch ts-speed, first commit) so that the optimised engine
is proven to give byte-identical avatars, individual tables and metrics. Regenerate them only
for an intended change of results::

    PYTHONPATH=. .venv/bin/python tests/unit/engine/timeseries/test_timeseries_pinned.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from avatars_server.engine import (
    AvatarizationConfig,
    PrivacyConfig,
    compute_privacy_metrics,
    compute_signal_metrics,
)
from avatars_server.engine.timeseries import (
    FPCA,
    Flatten,
    TableInput,
    avatarize_with_time_series,
)
from avatars_server.engine.timeseries.metrics import (
    SeriesPair,
    series_privacy_metrics,
    series_signal_metrics,
)

EXPECTED = Path(__file__).resolve().parents[3] / "data" / "extended" / "timeseries_pinned.json"


def _vanilla(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 3))
    cont = latent @ rng.normal(size=(3, 4)) + rng.normal(size=(n, 4))
    cols: dict[str, Any] = {"id": np.arange(n)}
    for j in range(4):
        cols[f"x{j}"] = np.round(cont[:, j] * 10 + 50, 2)
    codes = np.digitize(latent[:, 0] + 0.5 * rng.normal(size=n), [-0.7, 0.0, 0.7])
    cols["c0"] = pd.Categorical.from_codes(codes, ["a", "b", "c", "d"])
    return pd.DataFrame(cols), latent


def _common(latent: np.ndarray, seed: int, points: int = 12) -> pd.DataFrame:
    """Every individual on t = 0..points-1 (a common grid), as the benchmark."""
    rng = np.random.default_rng(seed)
    n = len(latent)
    t = np.arange(points, dtype=np.float64)
    values = (
        latent[:, 0:1]
        + 0.05 * latent[:, 1:2] * t
        + 0.5 * np.sin(t / 5 + latent[:, 2:3])
        + 0.2 * rng.normal(size=(n, points))
    )
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), points),
            "t": np.tile(np.arange(points), n),
            "value": np.round(values.ravel(), 3),
        }
    )


def _irregular(n: int, seed: int, absent: float) -> pd.DataFrame:
    """Own times, lengths and spans (normalised grid), absent individuals, missing values,
    repeated times, two value columns, rows shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        if rng.random() < absent:
            continue
        m = int(rng.integers(2, 15))
        start = int(rng.integers(0, 100))
        times = np.sort(start + rng.choice(60, size=m, replace=True))
        level = rng.normal()
        for t in times:
            rows.append(
                (
                    i,
                    int(t),
                    round(level + 0.05 * t + rng.normal(0, 0.1), 3),
                    float(rng.integers(0, 9)),
                )
            )
    frame = pd.DataFrame(rows, columns=["id", "t", "hr", "steps"])
    frame.loc[frame.index[::17], "hr"] = np.nan
    frame.loc[frame.index[::23], "steps"] = np.nan
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _digest_frame(frame: pd.DataFrame) -> str:
    text = frame.dtypes.astype(str).to_csv() + frame.to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _digest_array(values: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(values, dtype=np.float64).tobytes()).hexdigest()[:32]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float | np.floating):
        return repr(float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return _digest_array(value)
    return value


def _run(
    vanilla: pd.DataFrame, series: list[pd.DataFrame], specs: list[Any], metric_spec: Any
) -> dict[str, Any]:
    out = avatarize_with_time_series(
        TableInput("vanilla", vanilla),
        [
            TableInput(f"s{i}", s, projection=p)
            for i, (s, p) in enumerate(zip(series, specs, strict=True))
        ],
        AvatarizationConfig(k=7, seed=3),
        keep_neighbours=True,
    )
    assert out.vanilla is not None
    result: dict[str, Any] = {
        "individuals": _digest_frame(out.individuals),
        "avatar_individuals": _digest_frame(out.avatar_individuals),
        "avatar_individuals_columns": [str(c) for c in out.avatar_individuals.columns],
        "neighbours": _digest_array(np.asarray(out.neighbours, dtype=np.float64)),
        "ncp": out.ncp,
        "vanilla_avatars": _digest_frame(out.vanilla.avatars),
        "vanilla_unshuffled": _digest_frame(out.vanilla.unshuffled),
    }
    table = vanilla.drop(columns="id")
    result["vanilla_privacy"] = _plain(
        compute_privacy_metrics(
            table,
            out.vanilla.unshuffled.drop(columns="id"),
            PrivacyConfig(ncp=out.ncp, seed=0),
        )
    )
    result["vanilla_signal"] = _plain(
        compute_signal_metrics(table, out.vanilla.avatars.drop(columns="id"))
    )
    v_pair = SeriesPair(TableInput("v", vanilla), TableInput("va", out.vanilla.unshuffled))
    for i, (original, res) in enumerate(zip(series, out.series, strict=True)):
        result[f"s{i}_avatars"] = _digest_frame(res.avatars)
        result[f"s{i}_unshuffled"] = _digest_frame(res.unshuffled)
        result[f"s{i}_rows"] = len(res.avatars)
        pair = SeriesPair(
            TableInput(f"s{i}", original, projection=metric_spec),
            TableInput("a", res.unshuffled),
        )
        result[f"s{i}_privacy"] = _plain(
            series_privacy_metrics(pair, v_pair, PrivacyConfig(seed=0))
        )
        result[f"s{i}_signal"] = _plain(
            series_signal_metrics(
                SeriesPair(TableInput(f"s{i}", original), TableInput("a", res.avatars))
            )
        )
    return result


def cases() -> dict[str, dict[str, Any]]:
    vanilla, latent = _vanilla(400, 0)
    common = [_common(latent, 1), _common(latent, 2, points=9)]
    irregular_vanilla, _ = _vanilla(300, 5)
    irregular = [_irregular(300, 6, 0.0), _irregular(300, 7, 0.3)]
    shuffled = common[0].sample(frac=1.0, random_state=4).reset_index(drop=True)
    return {
        "common_fpca": _run(vanilla, common, [FPCA(5), FPCA(4)], FPCA(3)),
        "common_flatten_shuffled": _run(vanilla, [shuffled], [Flatten()], None),
        "irregular_fpca": _run(irregular_vanilla, irregular, [FPCA(3), FPCA(2)], FPCA(2)),
        "irregular_flatten": _run(irregular_vanilla, irregular[1:], [Flatten()], Flatten()),
    }


def test_pinned_outputs() -> None:
    expected = json.loads(EXPECTED.read_text())
    got = json.loads(json.dumps(cases()))
    for name, values in expected.items():
        for key, value in values.items():
            assert got[name][key] == value, f"{name}.{key}"
    assert set(got) == set(expected)


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(cases(), indent=1, sort_keys=True) + "\n")
    sys.exit(0)
