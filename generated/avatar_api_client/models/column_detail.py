from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.column_type import ColumnType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ColumnDetail")


@_attrs_define
class ColumnDetail:
    """Metadata of one column: its declared type and whether it identifies individuals.

    Attributes:
        label (str):
        type_ (ColumnType): Declared type of a dataset column.
        is_identifier (bool | None | Unset):  Default: False.
    """

    label: str
    type_: ColumnType
    is_identifier: bool | None | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        type_ = self.type_.value

        is_identifier: bool | None | Unset
        if isinstance(self.is_identifier, Unset):
            is_identifier = UNSET
        else:
            is_identifier = self.is_identifier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "label": label,
                "type": type_,
            }
        )
        if is_identifier is not UNSET:
            field_dict["is_identifier"] = is_identifier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label")

        type_ = ColumnType(d.pop("type"))

        def _parse_is_identifier(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_identifier = _parse_is_identifier(d.pop("is_identifier", UNSET))

        column_detail = cls(
            label=label,
            type_=type_,
            is_identifier=is_identifier,
        )

        column_detail.additional_properties = d
        return column_detail

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
