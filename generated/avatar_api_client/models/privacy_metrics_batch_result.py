from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.privacy_metrics import PrivacyMetrics
    from ..models.privacy_metrics_per_batch_result import PrivacyMetricsPerBatchResult


T = TypeVar("T", bound="PrivacyMetricsBatchResult")


@_attrs_define
class PrivacyMetricsBatchResult:
    """
    Attributes:
        batch_metrics (list[PrivacyMetricsPerBatchResult]):
        mean_metrics (PrivacyMetrics): Privacy metrics; percentages are 0-100 and higher is better for every metric.
        training_metrics (PrivacyMetricsPerBatchResult):
        worst_metrics (PrivacyMetrics): Privacy metrics; percentages are 0-100 and higher is better for every metric.
    """

    batch_metrics: list[PrivacyMetricsPerBatchResult]
    mean_metrics: PrivacyMetrics
    training_metrics: PrivacyMetricsPerBatchResult
    worst_metrics: PrivacyMetrics
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        batch_metrics = []
        for batch_metrics_item_data in self.batch_metrics:
            batch_metrics_item = batch_metrics_item_data.to_dict()
            batch_metrics.append(batch_metrics_item)

        mean_metrics = self.mean_metrics.to_dict()

        training_metrics = self.training_metrics.to_dict()

        worst_metrics = self.worst_metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batch_metrics": batch_metrics,
                "mean_metrics": mean_metrics,
                "training_metrics": training_metrics,
                "worst_metrics": worst_metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.privacy_metrics import PrivacyMetrics  # noqa: PLC0415
        from ..models.privacy_metrics_per_batch_result import (
            PrivacyMetricsPerBatchResult,  # noqa: PLC0415
        )

        d = dict(src_dict)
        batch_metrics = []
        _batch_metrics = d.pop("batch_metrics")
        for batch_metrics_item_data in _batch_metrics:
            batch_metrics_item = PrivacyMetricsPerBatchResult.from_dict(
                batch_metrics_item_data
            )

            batch_metrics.append(batch_metrics_item)

        mean_metrics = PrivacyMetrics.from_dict(d.pop("mean_metrics"))

        training_metrics = PrivacyMetricsPerBatchResult.from_dict(
            d.pop("training_metrics")
        )

        worst_metrics = PrivacyMetrics.from_dict(d.pop("worst_metrics"))

        privacy_metrics_batch_result = cls(
            batch_metrics=batch_metrics,
            mean_metrics=mean_metrics,
            training_metrics=training_metrics,
            worst_metrics=worst_metrics,
        )

        privacy_metrics_batch_result.additional_properties = d
        return privacy_metrics_batch_result

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
