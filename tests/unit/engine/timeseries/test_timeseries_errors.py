"""Column resolution and rejected inputs of the time-series engine (§0.3, §2.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarError, AvatarizationConfig, PrivacyConfig
from avatars_server.engine.timeseries import FPCA, TableInput, avatarize_with_time_series
from avatars_server.engine.timeseries.columns import resolve_columns
from avatars_server.engine.timeseries.metrics import SeriesPair, series_privacy_metrics


def _series(n: int = 10, points: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), points),
            "t": np.tile(np.arange(points), n),
            "v": rng.normal(size=n * points).round(3),
        }
    )


def _code(vanilla: TableInput | None, series: list[TableInput], k: int = 3) -> str:
    with pytest.raises(AvatarError) as info:
        avatarize_with_time_series(vanilla, series, AvatarizationConfig(k=k, seed=0))
    return info.value.code


def test_resolution_by_name_without_declared_identifier() -> None:
    kinds = {"id": "continuous", "t": "continuous", "v": "continuous"}
    columns = resolve_columns(["id", "t", "v"], kinds, [], series=True, dataset="s")
    assert (columns.identifier, columns.time, columns.values) == ("id", "t", ("v",))


def test_resolution_of_declared_identifier_and_datetime_time() -> None:
    kinds = {"pid": "continuous", "row": "continuous", "when": "datetime", "v": "continuous"}
    labels = ["pid", "row", "when", "v"]
    single = resolve_columns(labels, kinds, ["pid"], series=True, dataset="s")
    assert (single.identifier, single.time, single.values) == ("pid", "when", ("row", "v"))
    kinds_id = {"id": "continuous", "row": "continuous", "when": "datetime", "v": "continuous"}
    several = resolve_columns(
        ["id", "row", "when", "v"], kinds_id, ["id", "row"], series=True, dataset="s"
    )
    assert several.identifier == "id" and several.row_keys == ("row",)
    assert several.values == ("v",)


def test_no_identifier_column() -> None:
    frame = _series().rename(columns={"id": "patient"})
    assert _code(None, [TableInput("s", frame, projection=FPCA(2))]) == "NO_ID_COLUMN"


def test_no_time_column() -> None:
    frame = _series().rename(columns={"t": "when"})
    assert _code(None, [TableInput("s", frame, projection=FPCA(2))]) == "NO_TIME_COLUMN"


def test_missing_time_is_no_time_column() -> None:
    frame = _series().astype({"t": float})
    frame.loc[3, "t"] = np.nan
    assert _code(None, [TableInput("s", frame, projection=FPCA(2))]) == "NO_TIME_COLUMN"


def test_categorical_value_column_is_refused_with_a_hint() -> None:
    frame = _series().assign(kind=lambda f: np.where(f["v"] > 0, "up", "down"))
    with pytest.raises(AvatarError) as info:
        avatarize_with_time_series(
            None, [TableInput("s", frame, projection=FPCA(2))], AvatarizationConfig(k=3)
        )
    assert info.value.code == "NON_NUMERIC_SERIES_COLUMN"
    assert "vanilla" in info.value.message and "'kind'" in info.value.message


def test_unknown_individual() -> None:
    vanilla = pd.DataFrame({"id": range(9), "x": range(9)})
    series = TableInput("s", _series(10), projection=FPCA(2))
    assert _code(TableInput("v", vanilla), [series]) == "UNKNOWN_INDIVIDUAL"


def test_duplicated_individual() -> None:
    vanilla = pd.DataFrame({"id": [0, 1, 2, 3, 4, 5, 6, 7, 8, 8], "x": range(10)})
    series = TableInput("s", _series(9), projection=FPCA(2))
    assert _code(TableInput("v", vanilla), [series]) == "DUPLICATE_KEY"


@pytest.mark.parametrize("nf", [0, 5, 11])
def test_nf_out_of_range(nf: int) -> None:
    # G = 4 grid points: nf must be in [1, 4].
    assert _code(None, [TableInput("s", _series(), projection=FPCA(nf))]) == "INVALID_NF"


def test_unknown_column_weight() -> None:
    with pytest.raises(AvatarError) as info:
        avatarize_with_time_series(
            None,
            [TableInput("s", _series(), projection=FPCA(2))],
            AvatarizationConfig(k=3, column_weights={"nope": 2.0}),
        )
    assert info.value.code == "UNKNOWN_COLUMN"


def test_metrics_on_different_individuals() -> None:
    pair = SeriesPair(TableInput("s", _series(10)), TableInput("a", _series(9)))
    with pytest.raises(AvatarError) as info:
        series_privacy_metrics(pair, None, PrivacyConfig())
    assert info.value.code == "INDIVIDUAL_MISMATCH"
    assert "vanilla" in info.value.message


def test_string_and_integer_identifiers_match_by_value() -> None:
    vanilla = pd.DataFrame({"id": [str(i) for i in range(10)], "x": range(10)})
    out = avatarize_with_time_series(
        TableInput("v", vanilla),
        [TableInput("s", _series(10), projection=FPCA(2))],
        AvatarizationConfig(k=3, seed=1),
    )
    assert out.vanilla is not None
    # Surrogates keep each column's type: strings in the vanilla, integers in the series.
    assert out.vanilla.avatars["id"].tolist() == [str(i) for i in range(10)]
    assert out.series[0].avatars["id"].dtype == np.int64
    assert sorted(out.series[0].avatars["id"].unique()) == list(range(10))


def test_metrics_with_a_vanilla_pair_that_does_not_cover_the_avatars() -> None:
    vanilla = TableInput("v", pd.DataFrame({"id": range(10), "x": range(10)}))
    avatars_vanilla = TableInput("va", pd.DataFrame({"id": range(10), "x": range(10)}))
    stranger = _series(11)
    pair = SeriesPair(TableInput("s", _series(10)), TableInput("a", stranger))
    with pytest.raises(AvatarError) as info:
        series_privacy_metrics(pair, SeriesPair(vanilla, avatars_vanilla), PrivacyConfig())
    assert info.value.code == "INDIVIDUAL_MISMATCH"
    short = TableInput("vs", pd.DataFrame({"id": range(9), "x": range(9)}))
    with pytest.raises(AvatarError) as info:
        series_privacy_metrics(
            SeriesPair(TableInput("s", _series(9)), TableInput("a", _series(9))),
            SeriesPair(vanilla, short),
            PrivacyConfig(),
        )
    assert info.value.code == "INDIVIDUAL_MISMATCH"
