from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.privacy_metrics_geolocation_scenario import (
        PrivacyMetricsGeolocationScenario,
    )


T = TypeVar("T", bound="PrivacyMetricsGeolocationParameters")


@_attrs_define
class PrivacyMetricsGeolocationParameters:
    """
    Attributes:
        original_dataset_id (UUID):
        scenarios (list[PrivacyMetricsGeolocationScenario]):
        unshuffled_avatar_dataset_id (UUID):
        parameter_type (Literal['privacy_metrics_geolocation'] | Unset):  Default: 'privacy_metrics_geolocation'.
    """

    original_dataset_id: UUID
    scenarios: list[PrivacyMetricsGeolocationScenario]
    unshuffled_avatar_dataset_id: UUID
    parameter_type: Literal["privacy_metrics_geolocation"] | Unset = (
        "privacy_metrics_geolocation"
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        original_dataset_id = str(self.original_dataset_id)

        scenarios = []
        for scenarios_item_data in self.scenarios:
            scenarios_item = scenarios_item_data.to_dict()
            scenarios.append(scenarios_item)

        unshuffled_avatar_dataset_id = str(self.unshuffled_avatar_dataset_id)

        parameter_type = self.parameter_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "original_dataset_id": original_dataset_id,
                "scenarios": scenarios,
                "unshuffled_avatar_dataset_id": unshuffled_avatar_dataset_id,
            }
        )
        if parameter_type is not UNSET:
            field_dict["parameter_type"] = parameter_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.privacy_metrics_geolocation_scenario import (
            PrivacyMetricsGeolocationScenario,  # noqa: PLC0415
        )

        d = dict(src_dict)
        original_dataset_id = UUID(d.pop("original_dataset_id"))

        scenarios = []
        _scenarios = d.pop("scenarios")
        for scenarios_item_data in _scenarios:
            scenarios_item = PrivacyMetricsGeolocationScenario.from_dict(
                scenarios_item_data
            )

            scenarios.append(scenarios_item)

        unshuffled_avatar_dataset_id = UUID(d.pop("unshuffled_avatar_dataset_id"))

        parameter_type = cast(
            Literal["privacy_metrics_geolocation"] | Unset,
            d.pop("parameter_type", UNSET),
        )
        if parameter_type != "privacy_metrics_geolocation" and not isinstance(
            parameter_type, Unset
        ):
            raise ValueError(
                f"parameter_type must match const 'privacy_metrics_geolocation', got '{parameter_type}'"
            )

        privacy_metrics_geolocation_parameters = cls(
            original_dataset_id=original_dataset_id,
            scenarios=scenarios,
            unshuffled_avatar_dataset_id=unshuffled_avatar_dataset_id,
            parameter_type=parameter_type,
        )

        privacy_metrics_geolocation_parameters.additional_properties = d
        return privacy_metrics_geolocation_parameters

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
