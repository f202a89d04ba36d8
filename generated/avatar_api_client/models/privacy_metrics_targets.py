from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PrivacyMetricsTargets")


@_attrs_define
class PrivacyMetricsTargets:
    """Recommended value of each privacy metric, for display.

    Attributes:
        categorical_hidden_rate (str):
        closest_distances_ratio (str):
        closest_rate (str):
        column_direct_match_protection (str):
        correlation_protection_rate (str):
        distance_to_closest (str):
        hidden_rate (str):
        inference_categorical (str):
        inference_continuous (str):
        local_cloaking (str):
        row_direct_match_protection (str):
    """

    categorical_hidden_rate: str
    closest_distances_ratio: str
    closest_rate: str
    column_direct_match_protection: str
    correlation_protection_rate: str
    distance_to_closest: str
    hidden_rate: str
    inference_categorical: str
    inference_continuous: str
    local_cloaking: str
    row_direct_match_protection: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        categorical_hidden_rate = self.categorical_hidden_rate

        closest_distances_ratio = self.closest_distances_ratio

        closest_rate = self.closest_rate

        column_direct_match_protection = self.column_direct_match_protection

        correlation_protection_rate = self.correlation_protection_rate

        distance_to_closest = self.distance_to_closest

        hidden_rate = self.hidden_rate

        inference_categorical = self.inference_categorical

        inference_continuous = self.inference_continuous

        local_cloaking = self.local_cloaking

        row_direct_match_protection = self.row_direct_match_protection

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "categorical_hidden_rate": categorical_hidden_rate,
                "closest_distances_ratio": closest_distances_ratio,
                "closest_rate": closest_rate,
                "column_direct_match_protection": column_direct_match_protection,
                "correlation_protection_rate": correlation_protection_rate,
                "distance_to_closest": distance_to_closest,
                "hidden_rate": hidden_rate,
                "inference_categorical": inference_categorical,
                "inference_continuous": inference_continuous,
                "local_cloaking": local_cloaking,
                "row_direct_match_protection": row_direct_match_protection,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        categorical_hidden_rate = d.pop("categorical_hidden_rate")

        closest_distances_ratio = d.pop("closest_distances_ratio")

        closest_rate = d.pop("closest_rate")

        column_direct_match_protection = d.pop("column_direct_match_protection")

        correlation_protection_rate = d.pop("correlation_protection_rate")

        distance_to_closest = d.pop("distance_to_closest")

        hidden_rate = d.pop("hidden_rate")

        inference_categorical = d.pop("inference_categorical")

        inference_continuous = d.pop("inference_continuous")

        local_cloaking = d.pop("local_cloaking")

        row_direct_match_protection = d.pop("row_direct_match_protection")

        privacy_metrics_targets = cls(
            categorical_hidden_rate=categorical_hidden_rate,
            closest_distances_ratio=closest_distances_ratio,
            closest_rate=closest_rate,
            column_direct_match_protection=column_direct_match_protection,
            correlation_protection_rate=correlation_protection_rate,
            distance_to_closest=distance_to_closest,
            hidden_rate=hidden_rate,
            inference_categorical=inference_categorical,
            inference_continuous=inference_continuous,
            local_cloaking=local_cloaking,
            row_direct_match_protection=row_direct_match_protection,
        )

        privacy_metrics_targets.additional_properties = d
        return privacy_metrics_targets

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
