from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReportFromBatchCreate")


@_attrs_define
class ReportFromBatchCreate:
    """A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    worst privacy and mean signal over the batches, and a table of every batch.

        Attributes:
            avatarization_batch_job_id (UUID):
            privacy_batch_job_id (UUID):
            signal_batch_job_id (UUID):
    """

    avatarization_batch_job_id: UUID
    privacy_batch_job_id: UUID
    signal_batch_job_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatarization_batch_job_id = str(self.avatarization_batch_job_id)

        privacy_batch_job_id = str(self.privacy_batch_job_id)

        signal_batch_job_id = str(self.signal_batch_job_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatarization_batch_job_id": avatarization_batch_job_id,
                "privacy_batch_job_id": privacy_batch_job_id,
                "signal_batch_job_id": signal_batch_job_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatarization_batch_job_id = UUID(d.pop("avatarization_batch_job_id"))

        privacy_batch_job_id = UUID(d.pop("privacy_batch_job_id"))

        signal_batch_job_id = UUID(d.pop("signal_batch_job_id"))

        report_from_batch_create = cls(
            avatarization_batch_job_id=avatarization_batch_job_id,
            privacy_batch_job_id=privacy_batch_job_id,
            signal_batch_job_id=signal_batch_job_id,
        )

        report_from_batch_create.additional_properties = d
        return report_from_batch_create

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
