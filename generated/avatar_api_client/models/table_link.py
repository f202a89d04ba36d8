from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.link_method import LinkMethod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.table_reference import TableReference


T = TypeVar("T", bound="TableLink")


@_attrs_define
class TableLink:
    """
    Attributes:
        child_link_key (str):
        child_table (TableReference):
        parent_link_key (str):
        parent_table (TableReference):
        link_method (LinkMethod | None | Unset):  Default: LinkMethod.BOTTOM_PROJECTION.
    """

    child_link_key: str
    child_table: TableReference
    parent_link_key: str
    parent_table: TableReference
    link_method: LinkMethod | None | Unset = LinkMethod.BOTTOM_PROJECTION
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        child_link_key = self.child_link_key

        child_table = self.child_table.to_dict()

        parent_link_key = self.parent_link_key

        parent_table = self.parent_table.to_dict()

        link_method: None | str | Unset
        if isinstance(self.link_method, Unset):
            link_method = UNSET
        elif isinstance(self.link_method, LinkMethod):
            link_method = self.link_method.value
        else:
            link_method = self.link_method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "child_link_key": child_link_key,
                "child_table": child_table,
                "parent_link_key": parent_link_key,
                "parent_table": parent_table,
            }
        )
        if link_method is not UNSET:
            field_dict["link_method"] = link_method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.table_reference import TableReference  # noqa: PLC0415

        d = dict(src_dict)
        child_link_key = d.pop("child_link_key")

        child_table = TableReference.from_dict(d.pop("child_table"))

        parent_link_key = d.pop("parent_link_key")

        parent_table = TableReference.from_dict(d.pop("parent_table"))

        def _parse_link_method(data: object) -> LinkMethod | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                link_method_type_0 = LinkMethod(data)

                return link_method_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkMethod | None | Unset, data)

        link_method = _parse_link_method(d.pop("link_method", UNSET))

        table_link = cls(
            child_link_key=child_link_key,
            child_table=child_table,
            parent_link_key=parent_link_key,
            parent_table=parent_table,
            link_method=link_method,
        )

        table_link.additional_properties = d
        return table_link

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
