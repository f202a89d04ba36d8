from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GeolocationFeaturesParameters")


@_attrs_define
class GeolocationFeaturesParameters:
    """
    Attributes:
        projection_type (Literal['geolocation_features'] | Unset):  Default: 'geolocation_features'.
    """

    projection_type: Literal["geolocation_features"] | Unset = "geolocation_features"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        projection_type = self.projection_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if projection_type is not UNSET:
            field_dict["projection_type"] = projection_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        projection_type = cast(
            Literal["geolocation_features"] | Unset, d.pop("projection_type", UNSET)
        )
        if projection_type != "geolocation_features" and not isinstance(
            projection_type, Unset
        ):
            raise ValueError(
                f"projection_type must match const 'geolocation_features', got '{projection_type}'"
            )

        geolocation_features_parameters = cls(
            projection_type=projection_type,
        )

        geolocation_features_parameters.additional_properties = d
        return geolocation_features_parameters

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
