from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.privacy_metrics_geolocation_scenario_result import (
        PrivacyMetricsGeolocationScenarioResult,
    )


T = TypeVar("T", bound="PrivacyMetricsGeolocationResult")


@_attrs_define
class PrivacyMetricsGeolocationResult:
    """
    Attributes:
        privacy_metrics_per_scenario (list[PrivacyMetricsGeolocationScenarioResult]):
    """

    privacy_metrics_per_scenario: list[PrivacyMetricsGeolocationScenarioResult]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        privacy_metrics_per_scenario = []
        for privacy_metrics_per_scenario_item_data in self.privacy_metrics_per_scenario:
            privacy_metrics_per_scenario_item = (
                privacy_metrics_per_scenario_item_data.to_dict()
            )
            privacy_metrics_per_scenario.append(privacy_metrics_per_scenario_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "privacy_metrics_per_scenario": privacy_metrics_per_scenario,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.privacy_metrics_geolocation_scenario_result import (
            PrivacyMetricsGeolocationScenarioResult,  # noqa: PLC0415
        )

        d = dict(src_dict)
        privacy_metrics_per_scenario = []
        _privacy_metrics_per_scenario = d.pop("privacy_metrics_per_scenario")
        for privacy_metrics_per_scenario_item_data in _privacy_metrics_per_scenario:
            privacy_metrics_per_scenario_item = (
                PrivacyMetricsGeolocationScenarioResult.from_dict(
                    privacy_metrics_per_scenario_item_data
                )
            )

            privacy_metrics_per_scenario.append(privacy_metrics_per_scenario_item)

        privacy_metrics_geolocation_result = cls(
            privacy_metrics_per_scenario=privacy_metrics_per_scenario,
        )

        privacy_metrics_geolocation_result.additional_properties = d
        return privacy_metrics_geolocation_result

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
