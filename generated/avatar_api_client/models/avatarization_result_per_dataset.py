from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dataset import Dataset
    from ..models.privacy_metrics import PrivacyMetrics
    from ..models.signal_metrics import SignalMetrics


T = TypeVar("T", bound="AvatarizationResultPerDataset")


@_attrs_define
class AvatarizationResultPerDataset:
    """
    Attributes:
        avatars_dataset (Dataset):
        original_id (UUID):
        sensitive_unshuffled_avatars_datasets (Dataset):
        privacy_metrics (None | PrivacyMetrics | Unset):
        signal_metrics (None | SignalMetrics | Unset):
    """

    avatars_dataset: Dataset
    original_id: UUID
    sensitive_unshuffled_avatars_datasets: Dataset
    privacy_metrics: None | PrivacyMetrics | Unset = UNSET
    signal_metrics: None | SignalMetrics | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.privacy_metrics import PrivacyMetrics  # noqa: PLC0415
        from ..models.signal_metrics import SignalMetrics  # noqa: PLC0415

        avatars_dataset = self.avatars_dataset.to_dict()

        original_id = str(self.original_id)

        sensitive_unshuffled_avatars_datasets = (
            self.sensitive_unshuffled_avatars_datasets.to_dict()
        )

        privacy_metrics: dict[str, Any] | None | Unset
        if isinstance(self.privacy_metrics, Unset):
            privacy_metrics = UNSET
        elif isinstance(self.privacy_metrics, PrivacyMetrics):
            privacy_metrics = self.privacy_metrics.to_dict()
        else:
            privacy_metrics = self.privacy_metrics

        signal_metrics: dict[str, Any] | None | Unset
        if isinstance(self.signal_metrics, Unset):
            signal_metrics = UNSET
        elif isinstance(self.signal_metrics, SignalMetrics):
            signal_metrics = self.signal_metrics.to_dict()
        else:
            signal_metrics = self.signal_metrics

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "avatars_dataset": avatars_dataset,
                "original_id": original_id,
                "sensitive_unshuffled_avatars_datasets": sensitive_unshuffled_avatars_datasets,
            }
        )
        if privacy_metrics is not UNSET:
            field_dict["privacy_metrics"] = privacy_metrics
        if signal_metrics is not UNSET:
            field_dict["signal_metrics"] = signal_metrics

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dataset import Dataset  # noqa: PLC0415
        from ..models.privacy_metrics import PrivacyMetrics  # noqa: PLC0415
        from ..models.signal_metrics import SignalMetrics  # noqa: PLC0415

        d = dict(src_dict)
        avatars_dataset = Dataset.from_dict(d.pop("avatars_dataset"))

        original_id = UUID(d.pop("original_id"))

        sensitive_unshuffled_avatars_datasets = Dataset.from_dict(
            d.pop("sensitive_unshuffled_avatars_datasets")
        )

        def _parse_privacy_metrics(data: object) -> None | PrivacyMetrics | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                privacy_metrics_type_0 = PrivacyMetrics.from_dict(data)

                return privacy_metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PrivacyMetrics | Unset, data)

        privacy_metrics = _parse_privacy_metrics(d.pop("privacy_metrics", UNSET))

        def _parse_signal_metrics(data: object) -> None | SignalMetrics | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                signal_metrics_type_0 = SignalMetrics.from_dict(data)

                return signal_metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SignalMetrics | Unset, data)

        signal_metrics = _parse_signal_metrics(d.pop("signal_metrics", UNSET))

        avatarization_result_per_dataset = cls(
            avatars_dataset=avatars_dataset,
            original_id=original_id,
            sensitive_unshuffled_avatars_datasets=sensitive_unshuffled_avatars_datasets,
            privacy_metrics=privacy_metrics,
            signal_metrics=signal_metrics,
        )

        avatarization_result_per_dataset.additional_properties = d
        return avatarization_result_per_dataset

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
