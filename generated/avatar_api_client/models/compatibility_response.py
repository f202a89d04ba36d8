from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.compatibility_status import CompatibilityStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="CompatibilityResponse")


@_attrs_define
class CompatibilityResponse:
    """
    Attributes:
        message (str):
        status (CompatibilityStatus):
        most_recent_compatible_client (None | str | Unset):
    """

    message: str
    status: CompatibilityStatus
    most_recent_compatible_client: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        status = self.status.value

        most_recent_compatible_client: None | str | Unset
        if isinstance(self.most_recent_compatible_client, Unset):
            most_recent_compatible_client = UNSET
        else:
            most_recent_compatible_client = self.most_recent_compatible_client

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "status": status,
            }
        )
        if most_recent_compatible_client is not UNSET:
            field_dict["most_recent_compatible_client"] = most_recent_compatible_client

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        status = CompatibilityStatus(d.pop("status"))

        def _parse_most_recent_compatible_client(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        most_recent_compatible_client = _parse_most_recent_compatible_client(
            d.pop("most_recent_compatible_client", UNSET)
        )

        compatibility_response = cls(
            message=message,
            status=status,
            most_recent_compatible_client=most_recent_compatible_client,
        )

        compatibility_response.additional_properties = d
        return compatibility_response

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
