from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClusterStats")


@_attrs_define
class ClusterStats:
    """State of the job runner (process pool or Dask cluster).

    Attributes:
        available_concurrency (int | None | Unset):
        n_active_tasks (int | None | Unset):
        status_message (None | str | Unset):  Default: ''.
        utilization_rate_100 (int | None | Unset):
    """

    available_concurrency: int | None | Unset = UNSET
    n_active_tasks: int | None | Unset = UNSET
    status_message: None | str | Unset = ""
    utilization_rate_100: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available_concurrency: int | None | Unset
        if isinstance(self.available_concurrency, Unset):
            available_concurrency = UNSET
        else:
            available_concurrency = self.available_concurrency

        n_active_tasks: int | None | Unset
        if isinstance(self.n_active_tasks, Unset):
            n_active_tasks = UNSET
        else:
            n_active_tasks = self.n_active_tasks

        status_message: None | str | Unset
        if isinstance(self.status_message, Unset):
            status_message = UNSET
        else:
            status_message = self.status_message

        utilization_rate_100: int | None | Unset
        if isinstance(self.utilization_rate_100, Unset):
            utilization_rate_100 = UNSET
        else:
            utilization_rate_100 = self.utilization_rate_100

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if available_concurrency is not UNSET:
            field_dict["available_concurrency"] = available_concurrency
        if n_active_tasks is not UNSET:
            field_dict["n_active_tasks"] = n_active_tasks
        if status_message is not UNSET:
            field_dict["status_message"] = status_message
        if utilization_rate_100 is not UNSET:
            field_dict["utilization_rate_100"] = utilization_rate_100

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_available_concurrency(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        available_concurrency = _parse_available_concurrency(
            d.pop("available_concurrency", UNSET)
        )

        def _parse_n_active_tasks(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n_active_tasks = _parse_n_active_tasks(d.pop("n_active_tasks", UNSET))

        def _parse_status_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_message = _parse_status_message(d.pop("status_message", UNSET))

        def _parse_utilization_rate_100(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        utilization_rate_100 = _parse_utilization_rate_100(
            d.pop("utilization_rate_100", UNSET)
        )

        cluster_stats = cls(
            available_concurrency=available_concurrency,
            n_active_tasks=n_active_tasks,
            status_message=status_message,
            utilization_rate_100=utilization_rate_100,
        )

        cluster_stats.additional_properties = d
        return cluster_stats

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
