from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.privacy_metrics_per_multi_table_dataset import (
        PrivacyMetricsPerMultiTableDataset,
    )


T = TypeVar("T", bound="MetaPrivacyMetrics")


@_attrs_define
class MetaPrivacyMetrics:
    """
    Attributes:
        details (list[PrivacyMetricsPerMultiTableDataset]):
    """

    details: list[PrivacyMetricsPerMultiTableDataset]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        details = []
        for details_item_data in self.details:
            details_item = details_item_data.to_dict()
            details.append(details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.privacy_metrics_per_multi_table_dataset import (
            PrivacyMetricsPerMultiTableDataset,  # noqa: PLC0415
        )

        d = dict(src_dict)
        details = []
        _details = d.pop("details")
        for details_item_data in _details:
            details_item = PrivacyMetricsPerMultiTableDataset.from_dict(
                details_item_data
            )

            details.append(details_item)

        meta_privacy_metrics = cls(
            details=details,
        )

        meta_privacy_metrics.additional_properties = d
        return meta_privacy_metrics

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
