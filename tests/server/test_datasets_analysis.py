"""Dataset analysis: summary statistics and the correlation matrix (finite or null)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from avatars_server.datasets.analysis import column_stats, correlations


def _columns(**types: str) -> list[dict[str, object]]:
    return [{"label": k, "type": v, "is_identifier": k == "id"} for k, v in types.items()]


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    return pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(200)],
            "x": x,
            "y": 3 * x + rng.normal(scale=0.1, size=200),
            "group": np.where(x > 0, "pos", "neg"),
            "same": np.where(x > 0, "P", "N"),
            "noise": rng.choice(["a", "b", "c"], size=200),
            "constant": [1.0] * 200,
            "skewed": rng.exponential(size=200) ** 3,
        }
    )


def test_correlations_use_the_measure_of_each_pair(frame: pd.DataFrame) -> None:
    columns = _columns(
        id="category",
        x="float",
        y="float",
        group="category",
        same="category",
        noise="category",
        constant="float",
        skewed="float",
    )
    matrix = correlations(frame, columns)
    assert "id" not in matrix
    assert matrix["x"]["y"] == pytest.approx(frame["x"].corr(frame["y"]))
    assert matrix["group"]["same"] == pytest.approx(1.0)  # Cramér's V of a relabelling
    assert matrix["noise"]["group"] is not None and matrix["noise"]["group"] < 0.3
    assert 0.7 < matrix["x"]["group"] <= 1.0  # correlation ratio
    assert matrix["constant"]["x"] is None and matrix["constant"]["group"] is None
    assert all(matrix[k][k] == 1.0 for k in matrix)
    assert all(matrix[a][b] == matrix[b][a] for a in matrix for b in matrix)
    json.dumps(matrix, allow_nan=False)  # never NaN on the wire


def test_summary_statistics(frame: pd.DataFrame) -> None:
    frame.loc[0, "x"] = np.nan
    columns = _columns(id="category", x="float", noise="category", skewed="float")
    summary = column_stats(frame, columns)
    stats = {s["label"]: s for s in summary["stats"]}
    assert summary["probable_ids"] == ["id"]
    assert stats["x"]["missing_number"] == 1 and stats["x"]["missing_proportion"] == 0.005
    assert stats["x"]["mean"] == pytest.approx(frame["x"].mean())
    assert stats["x"]["standard_deviation"] == pytest.approx(frame["x"].std())
    assert stats["skewed"]["is_skewed"] is True and stats["x"]["is_skewed"] is False
    assert stats["noise"]["unique_number"] == 3 and stats["noise"]["is_rare"] is False
    assert stats["noise"]["mode"] in ("a", "b", "c") and stats["noise"]["mean"] is None
    assert stats["id"]["is_rare"] is True  # every modality occurs once
    json.dumps(summary, allow_nan=False)


def test_summary_of_a_single_row_has_no_nan() -> None:
    summary = column_stats(pd.DataFrame({"x": [1.0]}), _columns(x="float"))
    stat = summary["stats"][0]
    assert stat["standard_deviation"] is None and stat["is_skewed"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in stat.values())
