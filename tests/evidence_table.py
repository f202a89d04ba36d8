"""A seeded mixed table for the pinned-evidence tests (identifier, missing values, int, bool,
datetime, a category of 20 modalities); generated, so no data file is needed. Also the digest
those tests pin JSON values by."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd

COLUMNS: list[dict[str, Any]] = [
    {"label": "id", "type": "int", "is_identifier": True},
    {"label": "x0", "type": "float"},
    {"label": "x1", "type": "float"},
    {"label": "x2", "type": "float"},
    {"label": "count", "type": "int"},
    {"label": "when", "type": "datetime"},
    {"label": "flag", "type": "bool"},
    {"label": "group", "type": "category"},
    {"label": "wide", "type": "category"},
]


def pinned_table(n: int = 3_000, seed: int = 0) -> pd.DataFrame:
    """A seeded mixed table with correlated columns and missing values (x1, group)."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 2))
    x = latent @ rng.normal(size=(2, 3)) + 0.5 * rng.normal(size=(n, 3))
    x1 = np.round(x[:, 1] * 10, 2)
    x1[rng.random(n) < 0.05] = np.nan
    group = np.array(["a", "b", "c", "d"], dtype=object)[
        np.digitize(latent[:, 0], [-0.6, 0.0, 0.6])
    ]
    group[rng.random(n) < 0.03] = None
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "x0": np.round(x[:, 0], 3),
            "x1": x1,
            "x2": np.round(x[:, 2] * 100, 1),
            "count": rng.poisson(3 + np.abs(latent[:, 1]), size=n).astype(np.int64),
            "when": pd.Timestamp("2021-01-01")
            + pd.to_timedelta(np.round(200 + 50 * latent[:, 1]).astype(np.int64), "D"),
            "flag": latent[:, 1] > 0.3,
            "group": group,
            "wide": np.array([f"w{i:02d}" for i in range(20)], dtype=object)[
                rng.integers(0, 20, size=n)
            ],
        }
    )


def digest(value: Any) -> str:
    """SHA-256 of a JSON value's canonical text (sorted keys, no NaN, no spaces)."""
    text = json.dumps(value, sort_keys=True, allow_nan=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
