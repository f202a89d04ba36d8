from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SignalMetricsTimeSeriesParameters")


@_attrs_define
class SignalMetricsTimeSeriesParameters:
    """
    Attributes:
        avatar_dataset_id (UUID):
        dataset_id (UUID):
    """

    avatar_dataset_id: UUID
    dataset_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatar_dataset_id = str(self.avatar_dataset_id)

        dataset_id = str(self.dataset_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatar_dataset_id": avatar_dataset_id,
                "dataset_id": dataset_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatar_dataset_id = UUID(d.pop("avatar_dataset_id"))

        dataset_id = UUID(d.pop("dataset_id"))

        signal_metrics_time_series_parameters = cls(
            avatar_dataset_id=avatar_dataset_id,
            dataset_id=dataset_id,
        )

        signal_metrics_time_series_parameters.additional_properties = d
        return signal_metrics_time_series_parameters

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
