"""Column type inference (API reference §1.7), casts to declared types and fit checks."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from avatars_server.datasets.columns import (
    ColumnCastError,
    TextColumnInference,
    UntypableColumnError,
    cast_to_declared,
    check_fits,
    infer_arrow_column,
)


def _infer(*batches: list[str | None]) -> str:
    state = TextColumnInference()
    for values in batches:
        state.update(pa.array(values, pa.string()))
    return state.result()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["True", "false", "TRUE", "False"], "bool"),
        (["True", None], "category"),
        (["1", "-2", "30"], "int"),
        (["1", None, "3"], "float"),
        (["1.5", "2", "1e3", "-0.25"], "float"),
        (["007", "12"], "category"),  # zero-padded codes keep their text
        (["12", "-03.5"], "category"),
        (["0x174876E800", "16"], "category"),  # hex, as long as its decimal form
        (["9223372036854775807", "-9223372036854775808", "0"], "int"),
        (["+5", "-0"], "float"),  # numbers, but their text is not an integer's own form
        (["2020-01-01", "2020-01-02T10:00:00", None], "datetime"),
        (["2020-01-01T10:00:00Z", "2020-01-01 11:00:00+01:00"], "datetime"),
        (["2020/01/01"], "category"),
        (["a", "1"], "category"),
        (["0", "1", "1"], "int"),
        ([None, None], "float"),
    ],
)
def test_csv_text_inference_follows_the_reference_table(
    values: list[str | None], expected: str
) -> None:
    assert _infer(values) == expected


@pytest.mark.parametrize(
    ("values", "verbatim"),
    [
        (["True", "False"], True),
        (["true", "False"], False),
        (["2020-01-01 10:00:00", "2021-12-31 23:59:59"], True),
        (["2020-01-01T10:00:00", "2021-12-31 23:59:59"], False),
        (["0.5", "1.0", "-2.25"], True),
        (["0.50", "1"], False),
    ],
)
def test_text_already_in_stored_form_is_kept_verbatim(values: list[str], verbatim: bool) -> None:
    state = TextColumnInference()
    state.update(pa.array(values, pa.string()))
    assert state.verbatim() is verbatim


def test_inference_narrows_across_batches() -> None:
    assert _infer(["1", "2"], ["3.5"]) == "float"
    assert _infer(["1", "2"], ["x"]) == "category"
    assert _infer(["1"], [None]) == "float"


@pytest.mark.parametrize(
    ("arrow_type", "has_missing", "expected"),
    [
        (pa.bool_(), False, "bool"),
        (pa.bool_(), True, "category"),
        (pa.int32(), False, "int"),
        (pa.int64(), True, "float"),
        (pa.float32(), False, "float"),
        (pa.timestamp("us", tz="UTC"), True, "datetime"),
        (pa.date32(), False, "datetime"),
        (pa.large_string(), False, "category"),
        (pa.dictionary(pa.int8(), pa.int64()), False, "category"),
        (pa.null(), True, "category"),
    ],
)
def test_parquet_inference_follows_the_reference_table(
    arrow_type: pa.DataType, has_missing: bool, expected: str
) -> None:
    assert infer_arrow_column(arrow_type, has_missing=has_missing) == expected


def test_pandas_categoricals_are_categories_and_nested_types_refused() -> None:
    assert infer_arrow_column(pa.int64(), has_missing=False, pandas_type="categorical") == (
        "category"
    )
    with pytest.raises(UntypableColumnError):
        infer_arrow_column(pa.list_(pa.int64()), has_missing=False)


def test_casts_to_declared_types() -> None:
    assert cast_to_declared(pa.array(["1", "2.0"]), "int").to_pylist() == [1, 2]
    assert cast_to_declared(pa.array([0, 1]), "bool").to_pylist() == [False, True]
    assert cast_to_declared(pa.array(["true", "0"]), "bool").to_pylist() == [True, False]
    stamps = cast_to_declared(pa.array(["2020-01-01T01:00:00+01:00"]), "datetime")
    assert stamps.to_pylist() == [dt.datetime(2020, 1, 1)]
    decoded = cast_to_declared(pa.array(["a", "b"]).dictionary_encode(), "category")
    assert decoded.to_pylist() == ["a", "b"]


def test_failed_cast_names_the_first_offending_value() -> None:
    with pytest.raises(ColumnCastError) as caught:
        cast_to_declared(pa.array(["1"] * 3000 + ["x", "y"]), "float")
    assert caught.value.value == "x"


@pytest.mark.parametrize(
    ("values", "ctype", "reason"),
    [
        (pa.array([1.0, None]), "int", "missing values"),
        (pa.array([1.5]), "int", "1.5"),
        (pa.array([2]), "bool", "2"),
        (pa.array(["a"]), "float", "'a'"),
        (pa.array(["soon"]), "datetime", "'soon'"),
    ],
)
def test_check_fits_explains_misfits(values: pa.Array, ctype: str, reason: str) -> None:
    message = check_fits(values, ctype)  # type: ignore[arg-type]
    assert message is not None and reason in message


def test_category_always_fits() -> None:
    assert check_fits(pa.array([None, "x"]), "category") is None
