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

T = TypeVar("T", bound="FPCAParameters")


@_attrs_define
class FPCAParameters:
    """Keep `nf` functional principal components per series variable.

    Attributes:
        nf (int): Number of degrees of freedom kept by the projection.
        projection_type (Literal['fpca'] | Unset):  Default: 'fpca'.
    """

    nf: int
    projection_type: Literal["fpca"] | Unset = "fpca"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        nf = self.nf

        projection_type = self.projection_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "nf": nf,
            }
        )
        if projection_type is not UNSET:
            field_dict["projection_type"] = projection_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        nf = d.pop("nf")

        projection_type = cast(Literal["fpca"] | Unset, d.pop("projection_type", UNSET))
        if projection_type != "fpca" and not isinstance(projection_type, Unset):
            raise ValueError(
                f"projection_type must match const 'fpca', got '{projection_type}'"
            )

        fpca_parameters = cls(
            nf=nf,
            projection_type=projection_type,
        )

        fpca_parameters.additional_properties = d
        return fpca_parameters

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
