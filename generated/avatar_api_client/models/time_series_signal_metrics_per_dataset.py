from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TimeSeriesSignalMetricsPerDataset")


@_attrs_define
class TimeSeriesSignalMetricsPerDataset:
    """
    Attributes:
        avatars_id (UUID):
        density_hellinger_mean (float):
        density_hellinger_std (float):
        original_id (UUID):
        pointwise_hellinger_mean (float):
        pointwise_hellinger_std (float):
    """

    avatars_id: UUID
    density_hellinger_mean: float
    density_hellinger_std: float
    original_id: UUID
    pointwise_hellinger_mean: float
    pointwise_hellinger_std: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatars_id = str(self.avatars_id)

        density_hellinger_mean = self.density_hellinger_mean

        density_hellinger_std = self.density_hellinger_std

        original_id = str(self.original_id)

        pointwise_hellinger_mean = self.pointwise_hellinger_mean

        pointwise_hellinger_std = self.pointwise_hellinger_std

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatars_id": avatars_id,
                "density_hellinger_mean": density_hellinger_mean,
                "density_hellinger_std": density_hellinger_std,
                "original_id": original_id,
                "pointwise_hellinger_mean": pointwise_hellinger_mean,
                "pointwise_hellinger_std": pointwise_hellinger_std,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatars_id = UUID(d.pop("avatars_id"))

        density_hellinger_mean = d.pop("density_hellinger_mean")

        density_hellinger_std = d.pop("density_hellinger_std")

        original_id = UUID(d.pop("original_id"))

        pointwise_hellinger_mean = d.pop("pointwise_hellinger_mean")

        pointwise_hellinger_std = d.pop("pointwise_hellinger_std")

        time_series_signal_metrics_per_dataset = cls(
            avatars_id=avatars_id,
            density_hellinger_mean=density_hellinger_mean,
            density_hellinger_std=density_hellinger_std,
            original_id=original_id,
            pointwise_hellinger_mean=pointwise_hellinger_mean,
            pointwise_hellinger_std=pointwise_hellinger_std,
        )

        time_series_signal_metrics_per_dataset.additional_properties = d
        return time_series_signal_metrics_per_dataset

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
