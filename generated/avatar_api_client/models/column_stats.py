from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ColumnStats")


@_attrs_define
class ColumnStats:
    """
    Attributes:
        dtype (str):
        label (str):
        missing_number (int):
        missing_proportion (float):
        unique_number (int):
        unique_proportion (float):
        is_rare (bool | None | Unset):
        is_skewed (bool | None | Unset):
        mean (float | None | Unset):
        median (float | None | Unset):
        mode (float | int | None | str | Unset):
        standard_deviation (float | None | Unset):
    """

    dtype: str
    label: str
    missing_number: int
    missing_proportion: float
    unique_number: int
    unique_proportion: float
    is_rare: bool | None | Unset = UNSET
    is_skewed: bool | None | Unset = UNSET
    mean: float | None | Unset = UNSET
    median: float | None | Unset = UNSET
    mode: float | int | None | str | Unset = UNSET
    standard_deviation: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dtype = self.dtype

        label = self.label

        missing_number = self.missing_number

        missing_proportion = self.missing_proportion

        unique_number = self.unique_number

        unique_proportion = self.unique_proportion

        is_rare: bool | None | Unset
        if isinstance(self.is_rare, Unset):
            is_rare = UNSET
        else:
            is_rare = self.is_rare

        is_skewed: bool | None | Unset
        if isinstance(self.is_skewed, Unset):
            is_skewed = UNSET
        else:
            is_skewed = self.is_skewed

        mean: float | None | Unset
        if isinstance(self.mean, Unset):
            mean = UNSET
        else:
            mean = self.mean

        median: float | None | Unset
        if isinstance(self.median, Unset):
            median = UNSET
        else:
            median = self.median

        mode: float | int | None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        else:
            mode = self.mode

        standard_deviation: float | None | Unset
        if isinstance(self.standard_deviation, Unset):
            standard_deviation = UNSET
        else:
            standard_deviation = self.standard_deviation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dtype": dtype,
                "label": label,
                "missing_number": missing_number,
                "missing_proportion": missing_proportion,
                "unique_number": unique_number,
                "unique_proportion": unique_proportion,
            }
        )
        if is_rare is not UNSET:
            field_dict["is_rare"] = is_rare
        if is_skewed is not UNSET:
            field_dict["is_skewed"] = is_skewed
        if mean is not UNSET:
            field_dict["mean"] = mean
        if median is not UNSET:
            field_dict["median"] = median
        if mode is not UNSET:
            field_dict["mode"] = mode
        if standard_deviation is not UNSET:
            field_dict["standard_deviation"] = standard_deviation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dtype = d.pop("dtype")

        label = d.pop("label")

        missing_number = d.pop("missing_number")

        missing_proportion = d.pop("missing_proportion")

        unique_number = d.pop("unique_number")

        unique_proportion = d.pop("unique_proportion")

        def _parse_is_rare(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_rare = _parse_is_rare(d.pop("is_rare", UNSET))

        def _parse_is_skewed(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_skewed = _parse_is_skewed(d.pop("is_skewed", UNSET))

        def _parse_mean(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        mean = _parse_mean(d.pop("mean", UNSET))

        def _parse_median(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        median = _parse_median(d.pop("median", UNSET))

        def _parse_mode(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))

        def _parse_standard_deviation(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        standard_deviation = _parse_standard_deviation(
            d.pop("standard_deviation", UNSET)
        )

        column_stats = cls(
            dtype=dtype,
            label=label,
            missing_number=missing_number,
            missing_proportion=missing_proportion,
            unique_number=unique_number,
            unique_proportion=unique_proportion,
            is_rare=is_rare,
            is_skewed=is_skewed,
            mean=mean,
            median=median,
            mode=mode,
            standard_deviation=standard_deviation,
        )

        column_stats.additional_properties = d
        return column_stats

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
