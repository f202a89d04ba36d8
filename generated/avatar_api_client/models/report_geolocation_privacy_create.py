from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReportGeolocationPrivacyCreate")


@_attrs_define
class ReportGeolocationPrivacyCreate:
    """A report on a geolocation privacy job: its per-scenario metrics against their targets
    and a map of original and treated trajectories. `dataset_id` and `avatars_dataset_id` are
    the job's original and treated (unshuffled avatar) datasets.

        Attributes:
            avatars_dataset_id (UUID):
            dataset_id (UUID):
            privacy_job_id (UUID):
    """

    avatars_dataset_id: UUID
    dataset_id: UUID
    privacy_job_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatars_dataset_id = str(self.avatars_dataset_id)

        dataset_id = str(self.dataset_id)

        privacy_job_id = str(self.privacy_job_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatars_dataset_id": avatars_dataset_id,
                "dataset_id": dataset_id,
                "privacy_job_id": privacy_job_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatars_dataset_id = UUID(d.pop("avatars_dataset_id"))

        dataset_id = UUID(d.pop("dataset_id"))

        privacy_job_id = UUID(d.pop("privacy_job_id"))

        report_geolocation_privacy_create = cls(
            avatars_dataset_id=avatars_dataset_id,
            dataset_id=dataset_id,
            privacy_job_id=privacy_job_id,
        )

        report_geolocation_privacy_create.additional_properties = d
        return report_geolocation_privacy_create

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
