from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Projections")


@_attrs_define
class Projections:
    """Coordinates of the originals and of their row-aligned avatars (first three axes).

    Attributes:
        avatars (list[list[float]]):
        records (list[list[float]]):
    """

    avatars: list[list[float]]
    records: list[list[float]]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatars = []
        for avatars_item_data in self.avatars:
            avatars_item = avatars_item_data

            avatars.append(avatars_item)

        records = []
        for records_item_data in self.records:
            records_item = records_item_data

            records.append(records_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatars": avatars,
                "records": records,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatars = []
        _avatars = d.pop("avatars")
        for avatars_item_data in _avatars:
            avatars_item = cast(list[float], avatars_item_data)

            avatars.append(avatars_item)

        records = []
        _records = d.pop("records")
        for records_item_data in _records:
            records_item = cast(list[float], records_item_data)

            records.append(records_item)

        projections = cls(
            avatars=avatars,
            records=records,
        )

        projections.additional_properties = d
        return projections

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
