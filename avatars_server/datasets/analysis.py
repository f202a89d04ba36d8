"""Dataset analysis: per-column statistics (DatasetSummary) and the correlation matrix."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from avatars_server.datasets.columns import ColumnDescriptor

_NUMERIC = ("int", "float")
_RARE_COUNT = 5
_RARE_SHARE = 0.01


def _finite(value: Any) -> float | None:
    """A JSON-safe float: NaN and infinities become None (they are not JSON)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _mode(values: pd.Series) -> str | int | float | None:
    counts = values.dropna().value_counts(sort=True)
    if counts.empty:
        return None
    top = counts.index[0]
    if isinstance(top, bool | np.bool_):
        return str(bool(top))
    if isinstance(top, int | np.integer):
        return int(top)
    if isinstance(top, float | np.floating):
        return _finite(top)
    if isinstance(top, pd.Timestamp):
        return top.isoformat(sep=" ")
    return str(top)


def column_stats(frame: pd.DataFrame, columns: Sequence[ColumnDescriptor]) -> dict[str, Any]:
    """The DatasetSummary of a typed frame, as a JSON-ready dict."""
    rows = len(frame)
    stats: list[dict[str, Any]] = []
    probable_ids: list[str] = []
    for column in columns:
        label, ctype = column["label"], column["type"]
        values = frame[label]
        missing = int(values.isna().sum())
        unique = int(values.nunique(dropna=True))
        entry: dict[str, Any] = {
            "label": label,
            "dtype": ctype,
            "missing_number": missing,
            "missing_proportion": missing / rows if rows else 0.0,
            "unique_number": unique,
            "unique_proportion": unique / rows if rows else 0.0,
            "mean": None,
            "median": None,
            "standard_deviation": None,
            "mode": _mode(values),
            "is_skewed": None,
            "is_rare": None,
        }
        if ctype in _NUMERIC:
            numbers = pd.to_numeric(values, errors="coerce").astype("float64")
            entry["mean"] = _finite(numbers.mean())
            entry["median"] = _finite(numbers.median())
            entry["standard_deviation"] = _finite(numbers.std(ddof=1))
            skew = _finite(numbers.skew())
            entry["is_skewed"] = None if skew is None else abs(skew) > 1
        elif ctype in ("category", "bool"):
            counts = values.dropna().value_counts()
            if not counts.empty:
                smallest = int(counts.min())
                entry["is_rare"] = smallest < _RARE_COUNT or smallest < _RARE_SHARE * rows
        # Continuous values are naturally all distinct: only codes can look like ids.
        if ctype in ("int", "category") and rows and missing == 0 and unique == rows:
            probable_ids.append(label)
        stats.append(entry)
    return {"stats": stats, "probable_ids": probable_ids}


# -- correlations ---------------------------------------------------------------------------


def correlations(
    frame: pd.DataFrame, columns: Sequence[ColumnDescriptor]
) -> dict[str, dict[str, float | None]]:
    """Square matrix over the non-identifier columns, diagonal 1.0.

    numeric-numeric: Pearson r; category-category: Cramér's V; numeric-category: correlation
    ratio η. None where undefined (a constant column, no overlapping values).
    """
    kept = [c for c in columns if not c.get("is_identifier")]
    labels = [c["label"] for c in kept]
    numeric = {c["label"]: c["type"] in (*_NUMERIC, "datetime") for c in kept}
    prepared = {label: _prepare(frame[label], numeric[label]) for label in labels}
    matrix: dict[str, dict[str, float | None]] = {label: {} for label in labels}
    for i, left in enumerate(labels):
        matrix[left][left] = 1.0
        for right in labels[i + 1 :]:
            value = _pair(prepared[left], numeric[left], prepared[right], numeric[right])
            matrix[left][right] = value
            matrix[right][left] = value
    return {label: {other: matrix[label][other] for other in labels} for label in labels}


def _prepare(values: pd.Series, is_numeric: bool) -> pd.Series:
    if not is_numeric:
        return values.astype(object).where(values.notna(), None)
    if pd.api.types.is_datetime64_any_dtype(values):
        numbers = values.astype("int64").astype("float64")
        return numbers.where(values.notna(), np.nan)
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _pair(a: pd.Series, a_numeric: bool, b: pd.Series, b_numeric: bool) -> float | None:
    both = a.notna() & b.notna()
    a, b = a[both], b[both]
    if len(a) < 2:
        return None
    if a_numeric and b_numeric:
        return _pearson(a.to_numpy(dtype=float), b.to_numpy(dtype=float))
    if a_numeric:
        return _correlation_ratio(a, b)
    if b_numeric:
        return _correlation_ratio(b, a)
    return _cramers_v(a, b)


def _pearson(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float | None:
    x = x - x.mean()
    y = y - y.mean()
    denominator = math.sqrt(float((x * x).sum()) * float((y * y).sum()))
    if denominator == 0 or not math.isfinite(denominator):
        return None
    value = _finite(float((x * y).sum()) / denominator)
    return None if value is None else max(-1.0, min(1.0, value))


def _correlation_ratio(numbers: pd.Series, categories: pd.Series) -> float | None:
    total = float(((numbers - numbers.mean()) ** 2).sum())
    if total == 0:
        return None
    grouped = numbers.groupby(categories.astype(str)).agg(["count", "mean"])
    between = float((grouped["count"] * (grouped["mean"] - numbers.mean()) ** 2).sum())
    value = _finite(math.sqrt(max(between / total, 0.0)))
    return None if value is None else min(1.0, value)


def _cramers_v(a: pd.Series, b: pd.Series) -> float | None:
    # chi² from the non-empty cells only (sum n_ij² / (n_i n_j)), so that high-cardinality
    # columns never build a dense contingency table.
    left, right = a.astype(str), b.astype(str)
    rows, cols = left.nunique(), right.nunique()
    if min(rows, cols) < 2:
        return None
    n = len(left)
    cells = pd.DataFrame({"a": left, "b": right}).value_counts()
    row_totals = left.value_counts()
    col_totals = right.value_counts()
    a_keys = cells.index.get_level_values(0)
    b_keys = cells.index.get_level_values(1)
    expected = row_totals.loc[a_keys].to_numpy() * col_totals.loc[b_keys].to_numpy()
    chi2 = n * (float((cells.to_numpy() ** 2 / expected).sum()) - 1.0)
    value = _finite(math.sqrt(max(chi2 / n / (min(rows, cols) - 1), 0.0)))
    return None if value is None else min(1.0, value)
