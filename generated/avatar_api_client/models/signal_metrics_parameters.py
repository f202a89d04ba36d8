from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SignalMetricsParameters")


@_attrs_define
class SignalMetricsParameters:
    """
    Attributes:
        avatars_id (UUID):
        original_id (UUID):
        avatarization_job_id (None | Unset | UUID):
        persistance_job_id (None | Unset | UUID):
    """

    avatars_id: UUID
    original_id: UUID
    avatarization_job_id: None | Unset | UUID = UNSET
    persistance_job_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatars_id = str(self.avatars_id)

        original_id = str(self.original_id)

        avatarization_job_id: None | str | Unset
        if isinstance(self.avatarization_job_id, Unset):
            avatarization_job_id = UNSET
        elif isinstance(self.avatarization_job_id, UUID):
            avatarization_job_id = str(self.avatarization_job_id)
        else:
            avatarization_job_id = self.avatarization_job_id

        persistance_job_id: None | str | Unset
        if isinstance(self.persistance_job_id, Unset):
            persistance_job_id = UNSET
        elif isinstance(self.persistance_job_id, UUID):
            persistance_job_id = str(self.persistance_job_id)
        else:
            persistance_job_id = self.persistance_job_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatars_id": avatars_id,
                "original_id": original_id,
            }
        )
        if avatarization_job_id is not UNSET:
            field_dict["avatarization_job_id"] = avatarization_job_id
        if persistance_job_id is not UNSET:
            field_dict["persistance_job_id"] = persistance_job_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatars_id = UUID(d.pop("avatars_id"))

        original_id = UUID(d.pop("original_id"))

        def _parse_avatarization_job_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                avatarization_job_id_type_0 = UUID(data)

                return avatarization_job_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        avatarization_job_id = _parse_avatarization_job_id(
            d.pop("avatarization_job_id", UNSET)
        )

        def _parse_persistance_job_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                persistance_job_id_type_0 = UUID(data)

                return persistance_job_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        persistance_job_id = _parse_persistance_job_id(
            d.pop("persistance_job_id", UNSET)
        )

        signal_metrics_parameters = cls(
            avatars_id=avatars_id,
            original_id=original_id,
            avatarization_job_id=avatarization_job_id,
            persistance_job_id=persistance_job_id,
        )

        signal_metrics_parameters.additional_properties = d
        return signal_metrics_parameters

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
