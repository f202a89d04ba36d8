from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PrivacyBatchDatasetMapping")


@_attrs_define
class PrivacyBatchDatasetMapping:
    """
    Attributes:
        original_id (UUID):
        unshuffled_avatars_id (UUID):
    """

    original_id: UUID
    unshuffled_avatars_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        original_id = str(self.original_id)

        unshuffled_avatars_id = str(self.unshuffled_avatars_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "original_id": original_id,
                "unshuffled_avatars_id": unshuffled_avatars_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        original_id = UUID(d.pop("original_id"))

        unshuffled_avatars_id = UUID(d.pop("unshuffled_avatars_id"))

        privacy_batch_dataset_mapping = cls(
            original_id=original_id,
            unshuffled_avatars_id=unshuffled_avatars_id,
        )

        privacy_batch_dataset_mapping.additional_properties = d
        return privacy_batch_dataset_mapping

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
