from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.signal_metrics_targets import SignalMetricsTargets


T = TypeVar("T", bound="SignalMetricsPerBatchResult")


@_attrs_define
class SignalMetricsPerBatchResult:
    """
    Attributes:
        avatars_id (UUID):
        hellinger_mean (float):
        hellinger_std (float):
        original_id (UUID):
        targets (SignalMetricsTargets):
        correlation_difference_ratio (float | None | Unset):
    """

    avatars_id: UUID
    hellinger_mean: float
    hellinger_std: float
    original_id: UUID
    targets: SignalMetricsTargets
    correlation_difference_ratio: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatars_id = str(self.avatars_id)

        hellinger_mean = self.hellinger_mean

        hellinger_std = self.hellinger_std

        original_id = str(self.original_id)

        targets = self.targets.to_dict()

        correlation_difference_ratio: float | None | Unset
        if isinstance(self.correlation_difference_ratio, Unset):
            correlation_difference_ratio = UNSET
        else:
            correlation_difference_ratio = self.correlation_difference_ratio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatars_id": avatars_id,
                "hellinger_mean": hellinger_mean,
                "hellinger_std": hellinger_std,
                "original_id": original_id,
                "targets": targets,
            }
        )
        if correlation_difference_ratio is not UNSET:
            field_dict["correlation_difference_ratio"] = correlation_difference_ratio

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_metrics_targets import SignalMetricsTargets  # noqa: PLC0415

        d = dict(src_dict)
        avatars_id = UUID(d.pop("avatars_id"))

        hellinger_mean = d.pop("hellinger_mean")

        hellinger_std = d.pop("hellinger_std")

        original_id = UUID(d.pop("original_id"))

        targets = SignalMetricsTargets.from_dict(d.pop("targets"))

        def _parse_correlation_difference_ratio(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        correlation_difference_ratio = _parse_correlation_difference_ratio(
            d.pop("correlation_difference_ratio", UNSET)
        )

        signal_metrics_per_batch_result = cls(
            avatars_id=avatars_id,
            hellinger_mean=hellinger_mean,
            hellinger_std=hellinger_std,
            original_id=original_id,
            targets=targets,
            correlation_difference_ratio=correlation_difference_ratio,
        )

        signal_metrics_per_batch_result.additional_properties = d
        return signal_metrics_per_batch_result

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
