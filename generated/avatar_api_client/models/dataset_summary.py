from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.column_stats import ColumnStats


T = TypeVar("T", bound="DatasetSummary")


@_attrs_define
class DatasetSummary:
    """
    Attributes:
        probable_ids (list[str]):
        stats (list[ColumnStats]):
    """

    probable_ids: list[str]
    stats: list[ColumnStats]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        probable_ids = self.probable_ids

        stats = []
        for stats_item_data in self.stats:
            stats_item = stats_item_data.to_dict()
            stats.append(stats_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "probable_ids": probable_ids,
                "stats": stats,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.column_stats import ColumnStats  # noqa: PLC0415

        d = dict(src_dict)
        probable_ids = cast(list[str], d.pop("probable_ids"))

        stats = []
        _stats = d.pop("stats")
        for stats_item_data in _stats:
            stats_item = ColumnStats.from_dict(stats_item_data)

            stats.append(stats_item)

        dataset_summary = cls(
            probable_ids=probable_ids,
            stats=stats,
        )

        dataset_summary.additional_properties = d
        return dataset_summary

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
