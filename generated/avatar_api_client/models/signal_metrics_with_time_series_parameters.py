from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.signal_metrics_time_series_parameters import (
        SignalMetricsTimeSeriesParameters,
    )


T = TypeVar("T", bound="SignalMetricsWithTimeSeriesParameters")


@_attrs_define
class SignalMetricsWithTimeSeriesParameters:
    """
    Attributes:
        time_series (list[SignalMetricsTimeSeriesParameters]):
        seed (int | None | Unset):
        vanilla_avatars_id (None | Unset | UUID):
        vanilla_original_id (None | Unset | UUID):
    """

    time_series: list[SignalMetricsTimeSeriesParameters]
    seed: int | None | Unset = UNSET
    vanilla_avatars_id: None | Unset | UUID = UNSET
    vanilla_original_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        time_series = []
        for time_series_item_data in self.time_series:
            time_series_item = time_series_item_data.to_dict()
            time_series.append(time_series_item)

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        vanilla_avatars_id: None | str | Unset
        if isinstance(self.vanilla_avatars_id, Unset):
            vanilla_avatars_id = UNSET
        elif isinstance(self.vanilla_avatars_id, UUID):
            vanilla_avatars_id = str(self.vanilla_avatars_id)
        else:
            vanilla_avatars_id = self.vanilla_avatars_id

        vanilla_original_id: None | str | Unset
        if isinstance(self.vanilla_original_id, Unset):
            vanilla_original_id = UNSET
        elif isinstance(self.vanilla_original_id, UUID):
            vanilla_original_id = str(self.vanilla_original_id)
        else:
            vanilla_original_id = self.vanilla_original_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "time_series": time_series,
            }
        )
        if seed is not UNSET:
            field_dict["seed"] = seed
        if vanilla_avatars_id is not UNSET:
            field_dict["vanilla_avatars_id"] = vanilla_avatars_id
        if vanilla_original_id is not UNSET:
            field_dict["vanilla_original_id"] = vanilla_original_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_metrics_time_series_parameters import (
            SignalMetricsTimeSeriesParameters,  # noqa: PLC0415
        )

        d = dict(src_dict)
        time_series = []
        _time_series = d.pop("time_series")
        for time_series_item_data in _time_series:
            time_series_item = SignalMetricsTimeSeriesParameters.from_dict(
                time_series_item_data
            )

            time_series.append(time_series_item)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_vanilla_avatars_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                vanilla_avatars_id_type_0 = UUID(data)

                return vanilla_avatars_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        vanilla_avatars_id = _parse_vanilla_avatars_id(
            d.pop("vanilla_avatars_id", UNSET)
        )

        def _parse_vanilla_original_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                vanilla_original_id_type_0 = UUID(data)

                return vanilla_original_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        vanilla_original_id = _parse_vanilla_original_id(
            d.pop("vanilla_original_id", UNSET)
        )

        signal_metrics_with_time_series_parameters = cls(
            time_series=time_series,
            seed=seed,
            vanilla_avatars_id=vanilla_avatars_id,
            vanilla_original_id=vanilla_original_id,
        )

        signal_metrics_with_time_series_parameters.additional_properties = d
        return signal_metrics_with_time_series_parameters

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
