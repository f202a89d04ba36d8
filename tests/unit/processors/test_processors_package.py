"""The public surface of avatars.processors: exports, protocol, docstring examples, no mutation."""

from __future__ import annotations

import doctest
import importlib
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import avatars.processors as processors
from avatars.processors import (
    DatetimeProcessor,
    ExpectedMeanProcessor,
    GroupModalitiesProcessor,
    InterRecordBoundedCumulatedDifferenceProcessor,
    InterRecordBoundedRangeDifferenceProcessor,
    InterRecordCumulatedDifferenceProcessor,
    InterRecordRangeDifferenceProcessor,
    PerturbationProcessor,
    Processor,
    ProportionProcessor,
    RelativeDifferenceProcessor,
    ToCategoricalProcessor,
)
from avatars.processors._base import is_number_dtype

MODULES = {
    "to_categorical": "ToCategoricalProcessor",
    "datetime": "DatetimeProcessor",
    "expected_mean": "ExpectedMeanProcessor",
    "group_modalities": "GroupModalitiesProcessor",
    "perturbation": "PerturbationProcessor",
    "proportions": "ProportionProcessor",
    "relative_difference": "RelativeDifferenceProcessor",
    "inter_record_range_difference": "InterRecordRangeDifferenceProcessor",
    "inter_record_cumulated_difference": "InterRecordCumulatedDifferenceProcessor",
    "inter_record_bounded_range_difference": "InterRecordBoundedRangeDifferenceProcessor",
    "inter_record_bounded_cumulated_difference": ("InterRecordBoundedCumulatedDifferenceProcessor"),
}


def test_package_exports_exactly_the_eleven_processors_and_the_protocol() -> None:
    assert sorted(processors.__all__) == sorted([*MODULES.values(), "Processor"])
    for name in processors.__all__:
        assert hasattr(processors, name)


@pytest.mark.parametrize(("module", "name"), sorted(MODULES.items()))
def test_each_processor_is_importable_from_its_module(module: str, name: str) -> None:
    mod = importlib.import_module(f"avatars.processors.{module}")
    assert getattr(mod, name) is getattr(processors, name)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(f"avatars.processors.{module}")
    result = doctest.testmod(mod, extraglobs={"pd": pd}, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 1, 2, 2, 2],
            "start": [1.0, 3.0, 2.0, 5.0, 9.0],
            "end": [2.0, 4.0, 4.0, 7.0, 9.5],
            "total": [10.0, 20.0, 30.0, 40.0, 50.0],
            "a": [4.0, 5.0, 10.0, 0.0, 25.0],
            "b": [6.0, 15.0, 20.0, 40.0, 25.0],
            "code": [1, 2, 1, 2, 1],
            "city": ["Paris", "Paris", "Lyon", "Paris", "Nice"],
            "when": pd.to_datetime(["2020-01-01", "2020-01-02", None, "2021-05-06", "2022-01-01"]),
        }
    )


FACTORIES: dict[str, Callable[[], Processor]] = {
    "to_categorical": lambda: ToCategoricalProcessor(2, keep_continuous=True),
    "datetime": DatetimeProcessor,
    "expected_mean": lambda: ExpectedMeanProcessor(["a"], groupby_variables=["id"], same_std=True),
    "group_modalities": lambda: GroupModalitiesProcessor(variable_thresholds={"city": 1}),
    "perturbation": lambda: PerturbationProcessor({"a": 0.5, "city": 0.5}, seed=0),
    "proportions": lambda: ProportionProcessor(variable_names=["a", "b"], reference="total"),
    "relative_difference": lambda: RelativeDifferenceProcessor("total", ["a", "b"]),
    "inter_record_cumulated_difference": lambda: InterRecordCumulatedDifferenceProcessor(
        id_variable="id",
        target_variable="start",
        new_first_variable_name="f",
        new_difference_variable_name="d",
        keep_record_order=True,
    ),
    "inter_record_range_difference": lambda: InterRecordRangeDifferenceProcessor(
        id_variable="id",
        target_start_variable="start",
        target_end_variable="end",
        sort_by_variable="start",
        new_first_variable="f",
        new_range_variable="r",
        new_difference_variable="d",
        keep_record_order=True,
    ),
    "inter_record_bounded_cumulated_difference": lambda: (
        InterRecordBoundedCumulatedDifferenceProcessor("id", "start", "f", "d")
    ),
    "inter_record_bounded_range_difference": lambda: InterRecordBoundedRangeDifferenceProcessor(
        id_variable="id",
        target_start_variable="start",
        target_end_variable="end",
        new_first_variable_name="f",
        new_range_variable="r",
        new_difference_variable_name="d",
        should_round_output=False,
    ),
}


def test_every_processor_has_a_factory() -> None:
    assert sorted(FACTORIES) == sorted(MODULES)


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_processors_satisfy_the_protocol_and_never_mutate_inputs(key: str) -> None:
    processor = FACTORIES[key]()
    assert isinstance(processor, Processor)
    source = _frame()
    snapshot = source.copy(deep=True)
    processed = processor.preprocess(source)
    pd.testing.assert_frame_equal(source, snapshot)

    processed_snapshot = processed.copy(deep=True)
    out = processor.postprocess(source, processed)
    pd.testing.assert_frame_equal(source, snapshot)
    pd.testing.assert_frame_equal(processed, processed_snapshot)
    assert out is not processed
    assert len(out) == len(source)


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_preprocess_then_postprocess_on_unchanged_data_gives_back_the_source_values(
    key: str,
) -> None:
    processor = FACTORIES[key]()
    source = _frame()
    out = processor.postprocess(source, processor.preprocess(source))
    assert set(source.columns) <= set(out.columns)
    # Grouping rare modalities is not reversible: Lyon and Nice stay "other".
    irreversible = {"city"} if key == "group_modalities" else set()
    for column in source.columns:
        expected, got = source[column], out[column]
        if column in irreversible:
            continue
        if is_number_dtype(expected.dtype):
            np.testing.assert_allclose(
                got.to_numpy(dtype="float64"), expected.to_numpy(dtype="float64"), atol=1e-9
            )
        else:
            pd.testing.assert_series_equal(got, expected, check_dtype=False)
