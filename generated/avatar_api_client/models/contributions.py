from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.contributions_data import ContributionsData


T = TypeVar("T", bound="Contributions")


@_attrs_define
class Contributions:
    """Component ("Dim. 1", ...) → variable → contribution in percent (each sums to 100).

    Attributes:
        data (ContributionsData):
    """

    data: ContributionsData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contributions_data import ContributionsData  # noqa: PLC0415

        d = dict(src_dict)
        data = ContributionsData.from_dict(d.pop("data"))

        contributions = cls(
            data=data,
        )

        contributions.additional_properties = d
        return contributions

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
