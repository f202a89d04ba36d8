from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.geolocation_privacy_metrics import GeolocationPrivacyMetrics
    from ..models.privacy_metrics_geolocation_scenario import (
        PrivacyMetricsGeolocationScenario,
    )


T = TypeVar("T", bound="PrivacyMetricsGeolocationScenarioResult")


@_attrs_define
class PrivacyMetricsGeolocationScenarioResult:
    """
    Attributes:
        parameters (PrivacyMetricsGeolocationScenario):
        privacy_metrics (GeolocationPrivacyMetrics):
    """

    parameters: PrivacyMetricsGeolocationScenario
    privacy_metrics: GeolocationPrivacyMetrics
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parameters = self.parameters.to_dict()

        privacy_metrics = self.privacy_metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parameters": parameters,
                "privacy_metrics": privacy_metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.geolocation_privacy_metrics import GeolocationPrivacyMetrics  # noqa: PLC0415
        from ..models.privacy_metrics_geolocation_scenario import (
            PrivacyMetricsGeolocationScenario,  # noqa: PLC0415
        )

        d = dict(src_dict)
        parameters = PrivacyMetricsGeolocationScenario.from_dict(d.pop("parameters"))

        privacy_metrics = GeolocationPrivacyMetrics.from_dict(d.pop("privacy_metrics"))

        privacy_metrics_geolocation_scenario_result = cls(
            parameters=parameters,
            privacy_metrics=privacy_metrics,
        )

        privacy_metrics_geolocation_scenario_result.additional_properties = d
        return privacy_metrics_geolocation_scenario_result

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
