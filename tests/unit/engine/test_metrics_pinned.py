"""Pinned outputs of the privacy and signal metrics on seeded tables (issue 12, metrics' set-up).

The expected digests in ``tests/data/engine/metrics_pinned.json`` were computed on the engine
*before* the speed work on the metrics' set-up (direct-match hashing, metric projection, signal
metrics; branch ``metrics``, first commit), so that the optimised code is proven to give the
same metrics bit for bit: every float is compared through ``float.hex``, every array through a
SHA-256 of its bytes, dtype and shape. Regenerate them only for an intended change of results::

    PYTHONPATH=. .venv/bin/python tests/unit/engine/test_metrics_pinned.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import (
    AvatarizationConfig,
    PrivacyConfig,
    avatarize,
    compute_privacy_metrics,
    compute_signal_metrics,
)
from avatars_server.engine.batch_metrics import batch_privacy_metrics, fit_batch_metric_model
from avatars_server.engine.config import ImputationConfig
from avatars_server.engine.matching import joint_codes, row_direct_match_protection
from avatars_server.engine.metric_space import build_metric_space
from avatars_server.engine.table import column_kinds

EXPECTED = Path(__file__).resolve().parents[2] / "data" / "engine" / "metrics_pinned.json"


def canonical(value: Any) -> Any:
    """A JSON-able, exact rendering: floats as hex, arrays as digests."""
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        if data.dtype == object:
            digest = hashlib.sha256(repr(data.tolist()).encode()).hexdigest()
        else:
            digest = hashlib.sha256(data.tobytes()).hexdigest()
        return {"array": digest, "dtype": str(data.dtype), "shape": list(data.shape)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, bool | None | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value).hex()
    raise TypeError(f"cannot pin {type(value)}")


# --- seeded tables -------------------------------------------------------------------------


def _mixed(n: int, seed: int) -> pd.DataFrame:
    """int, float with missing values and ties, a constant, category with missing, bool,
    object with missing, datetime with missing; some rows duplicated."""
    rng = np.random.default_rng(seed)
    weight = np.round(rng.normal(70, 10, n), 1)
    weight[rng.random(n) < 0.1] = np.nan
    height = np.round(rng.normal(170, 8, n), 0)
    height[rng.random(n) < 0.05] = np.nan
    visit = pd.Series(pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"))
    visit[rng.random(n) < 0.05] = pd.NaT
    group = pd.Series(pd.Categorical(rng.choice(["a", "b", "c", "d"], n)))
    group[rng.random(n) < 0.05] = np.nan
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "weight": weight,
            "height": height,
            "constant": np.full(n, 3.5),
            "group": group,
            "smoker": rng.random(n) < 0.3,
            "city": pd.Series(rng.choice(["Paris", "Lyon", "Nice", None], n), dtype=object),
            "visit": visit,
        }
    )
    # Duplicated rows (exact copies inside the originals).
    copies = rng.choice(n, size=n // 10, replace=False)
    frame.iloc[copies[: len(copies) // 2]] = frame.iloc[copies[len(copies) // 2 :]].to_numpy()
    return frame.astype(
        {"age": "int64", "weight": "float64", "height": "float64", "smoker": "bool"}
    )


def _categorical_only(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "a": pd.Categorical(rng.choice(["x", "y", "z"], n)),
            "b": pd.Series(rng.choice(["u", "v", None], n, p=[0.5, 0.4, 0.1]), dtype=object),
            "c": rng.random(n) < 0.5,
            "d": pd.Categorical(rng.choice([f"m{i}" for i in range(12)], n)),
        }
    )


def _continuous_ties(n: int, seed: int) -> pd.DataFrame:
    """Few distinct values (ties everywhere), a constant, duplicated rows, missing values."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, n).astype(np.float64)
    b = np.round(rng.normal(size=n), 1)
    b[rng.random(n) < 0.08] = np.nan
    c = np.zeros(n)
    d = rng.integers(0, 3, n) * 0.1 + 0.2  # 0.2, 0.30000000000000004, 0.4: rounding matters
    frame = pd.DataFrame({"a": a, "b": b, "c": c, "d": d})
    frame.iloc[: n // 5] = frame.iloc[n // 5 : 2 * (n // 5)].to_numpy()
    return frame


def _bench(n: int, seed: int) -> pd.DataFrame:
    """The engine bench's table (20 continuous, 6 categorical columns)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.bench_engine import make_table

    return make_table(n, seed)


def _avatars(original: pd.DataFrame, seed: int, *, copy_share: float = 0.1) -> pd.DataFrame:
    """Unshuffled avatars of ``original`` with some rows copied from the originals and some
    values an original never had (unseen modalities, new numbers)."""
    out = avatarize(original, AvatarizationConfig(k=5, ncp=3, seed=seed))
    avatars = out.unshuffled.copy()
    rng = np.random.default_rng(seed + 100)
    n = len(original)
    copied = rng.choice(n, size=int(n * copy_share), replace=False)
    avatars.iloc[copied] = original.iloc[copied].to_numpy()
    avatars = avatars.astype(original.dtypes.to_dict(), errors="ignore")
    for name in original.columns:
        if isinstance(original[name].dtype, pd.CategoricalDtype):
            continue
        if original[name].dtype == object:
            values = avatars[name].astype(object).to_numpy(copy=True)
            values[rng.choice(n, size=max(1, n // 50), replace=False)] = "unseen"
            avatars[name] = pd.Series(values, dtype=object)
    return avatars


Case = Callable[[], dict[str, Any]]


def _privacy_and_signal(
    original: pd.DataFrame, avatars: pd.DataFrame, configs: Mapping[str, PrivacyConfig]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for label, config in configs.items():
        for explain in (False, True):
            privacy = compute_privacy_metrics(original, avatars, config, explain=explain)
            result[f"privacy/{label}/explain={explain}"] = canonical(privacy)
    shuffled = avatars.sample(frac=1.0, random_state=3).reset_index(drop=True)
    result["signal"] = canonical(compute_signal_metrics(original, shuffled))
    return result


def _space_and_codes(
    original: pd.DataFrame, avatars: pd.DataFrame, config: PrivacyConfig
) -> dict[str, Any]:
    """The metric space and the joint codes behind the exact-match metrics."""
    rng = np.random.default_rng(config.seed)
    space = build_metric_space(original, avatars, config, None, rng)
    kinds = column_kinds(original)
    codes = {name: joint_codes(original[name], avatars[name], kinds[name]) for name in kinds}
    return {
        "coords": canonical([space.original_coords, space.avatar_coords]),
        "filled": canonical([space.original_filled, space.avatars_filled]),
        "projection": canonical(space.projection),
        "joint_codes": canonical(codes),
        "row_dmp": canonical(row_direct_match_protection(codes.values())),
    }


def case_mixed() -> dict[str, Any]:
    original = _mixed(400, 1)
    avatars = _avatars(original, 1)
    configs = {
        "default": PrivacyConfig(seed=0),
        "known_cont_target": PrivacyConfig(
            seed=0, ncp=3, known_variables=["age", "group", "visit"], target="weight"
        ),
        "known_cat_target": PrivacyConfig(
            seed=1, known_variables=["weight", "smoker"], target="city"
        ),
        "fast_knn_subset": PrivacyConfig(
            seed=2, imputation=ImputationConfig(method="fast_knn", training_fraction=0.5)
        ),
        "median": PrivacyConfig(
            seed=3,
            imputation=ImputationConfig(method="median"),
            categorical_hidden_rate_variables=["group", "city"],
        ),
    }
    result = _privacy_and_signal(original, avatars, configs)
    result["space"] = _space_and_codes(original, avatars, PrivacyConfig(seed=0))
    return result


def case_categorical_only() -> dict[str, Any]:
    original = _categorical_only(300, 2)
    avatars = _avatars(original, 2)
    configs = {
        "default": PrivacyConfig(seed=0),
        "known": PrivacyConfig(seed=0, known_variables=["a", "b"], target="d"),
    }
    result = _privacy_and_signal(original, avatars, configs)
    result["space"] = _space_and_codes(original, avatars, PrivacyConfig(seed=0))
    return result


def case_continuous_ties() -> dict[str, Any]:
    original = _continuous_ties(300, 3)
    avatars = _avatars(original, 3, copy_share=0.3)
    configs = {
        "default": PrivacyConfig(seed=0),
        "known": PrivacyConfig(seed=0, known_variables=["a", "d"], target="b"),
    }
    result = _privacy_and_signal(original, avatars, configs)
    result["space"] = _space_and_codes(original, avatars, PrivacyConfig(seed=0))
    # Identical tables: every row and value copied.
    result["identical"] = _privacy_and_signal(
        original, original.copy(), {"default": PrivacyConfig(seed=0)}
    )
    return result


def case_bench_70k() -> dict[str, Any]:
    """More rows than one batch of the signal metrics (65,536) and several row chunks."""
    original = _bench(70_000, 4)
    avatars = _avatars(original, 4, copy_share=0.01)
    result = {
        "privacy": canonical(
            compute_privacy_metrics(original, avatars, PrivacyConfig(seed=0, ncp=5))
        ),
        "signal": canonical(compute_signal_metrics(original, avatars)),
    }
    missing = original.copy()
    rng = np.random.default_rng(5)
    for name in ("x0", "x1", "x7"):
        values = missing[name].to_numpy(copy=True)
        values[rng.random(len(values)) < 0.02] = np.nan
        missing[name] = values
    result["signal_missing"] = canonical(compute_signal_metrics(missing, avatars))
    result["space"] = _space_and_codes(original, avatars, PrivacyConfig(seed=0, ncp=5))
    return result


def case_batch() -> dict[str, Any]:
    """The batch path: a model fitted on one table, another table projected with it."""
    original = _mixed(300, 6)
    avatars = _avatars(original, 6)
    config = PrivacyConfig(seed=0)
    model = fit_batch_metric_model(original, config, entropy=11)
    other = _mixed(300, 7)
    other_avatars = _avatars(other, 7)
    return {
        "fitted": canonical(batch_privacy_metrics(model, original, avatars, config, fitted=True)),
        "other": canonical(batch_privacy_metrics(model, other, other_avatars, config)),
    }


CASES: dict[str, Case] = {
    "mixed": case_mixed,
    "categorical_only": case_categorical_only,
    "continuous_ties": case_continuous_ties,
    "bench_70k": case_bench_70k,
    "batch": case_batch,
}


def _expected() -> dict[str, Any]:
    return dict(json.loads(EXPECTED.read_text()))


@pytest.mark.parametrize("name", list(CASES))
def test_metrics_are_pinned(name: str) -> None:
    assert CASES[name]() == _expected()[name]


if __name__ == "__main__":
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(
        json.dumps({name: case() for name, case in CASES.items()}, indent=1, sort_keys=True) + "\n"
    )
    print(f"wrote {EXPECTED}")
