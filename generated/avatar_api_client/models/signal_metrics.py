from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.signal_metrics_targets import SignalMetricsTargets


T = TypeVar("T", bound="SignalMetrics")


@_attrs_define
class SignalMetrics:
    """
    Attributes:
        hellinger_mean (float):
        hellinger_std (float):
        targets (SignalMetricsTargets):
        correlation_difference_ratio (float | None | Unset):
    """

    hellinger_mean: float
    hellinger_std: float
    targets: SignalMetricsTargets
    correlation_difference_ratio: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hellinger_mean = self.hellinger_mean

        hellinger_std = self.hellinger_std

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
                "hellinger_mean": hellinger_mean,
                "hellinger_std": hellinger_std,
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
        hellinger_mean = d.pop("hellinger_mean")

        hellinger_std = d.pop("hellinger_std")

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

        signal_metrics = cls(
            hellinger_mean=hellinger_mean,
            hellinger_std=hellinger_std,
            targets=targets,
            correlation_difference_ratio=correlation_difference_ratio,
        )

        signal_metrics.additional_properties = d
        return signal_metrics

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
