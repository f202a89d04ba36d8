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

T = TypeVar("T", bound="GeolocationDensityParameters")


@_attrs_define
class GeolocationDensityParameters:
    """
    Attributes:
        n_lat_to_compute (int | None | Unset):  Default: 100.
        n_lon_to_compute (int | None | Unset):  Default: 100.
        projection_type (Literal['geolocation_density'] | Unset):  Default: 'geolocation_density'.
    """

    n_lat_to_compute: int | None | Unset = 100
    n_lon_to_compute: int | None | Unset = 100
    projection_type: Literal["geolocation_density"] | Unset = "geolocation_density"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        n_lat_to_compute: int | None | Unset
        if isinstance(self.n_lat_to_compute, Unset):
            n_lat_to_compute = UNSET
        else:
            n_lat_to_compute = self.n_lat_to_compute

        n_lon_to_compute: int | None | Unset
        if isinstance(self.n_lon_to_compute, Unset):
            n_lon_to_compute = UNSET
        else:
            n_lon_to_compute = self.n_lon_to_compute

        projection_type = self.projection_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if n_lat_to_compute is not UNSET:
            field_dict["n_lat_to_compute"] = n_lat_to_compute
        if n_lon_to_compute is not UNSET:
            field_dict["n_lon_to_compute"] = n_lon_to_compute
        if projection_type is not UNSET:
            field_dict["projection_type"] = projection_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_n_lat_to_compute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n_lat_to_compute = _parse_n_lat_to_compute(d.pop("n_lat_to_compute", UNSET))

        def _parse_n_lon_to_compute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n_lon_to_compute = _parse_n_lon_to_compute(d.pop("n_lon_to_compute", UNSET))

        projection_type = cast(
            Literal["geolocation_density"] | Unset, d.pop("projection_type", UNSET)
        )
        if projection_type != "geolocation_density" and not isinstance(
            projection_type, Unset
        ):
            raise ValueError(
                f"projection_type must match const 'geolocation_density', got '{projection_type}'"
            )

        geolocation_density_parameters = cls(
            n_lat_to_compute=n_lat_to_compute,
            n_lon_to_compute=n_lon_to_compute,
            projection_type=projection_type,
        )

        geolocation_density_parameters.additional_properties = d
        return geolocation_density_parameters

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
