from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.privacy_metrics_computation_type import PrivacyMetricsComputationType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.privacy_metrics_targets import PrivacyMetricsTargets


T = TypeVar("T", bound="PrivacyMetricsPerMultiTableDataset")


@_attrs_define
class PrivacyMetricsPerMultiTableDataset:
    """
    Attributes:
        categorical_hidden_rate (float):
        column_direct_match_protection (float):
        computation_type (PrivacyMetricsComputationType):
        dataset_name (str):
        hidden_rate (float):
        individual_identifier_variable (str):
        local_cloaking (float):
        original_id (UUID):
        row_direct_match_protection (float):
        targets (PrivacyMetricsTargets): Recommended value of each privacy metric, for display.
        unshuffled_avatars_id (UUID):
        closest_distances_ratio (float | None | Unset):
        closest_rate (float | None | Unset):
        correlation_protection_rate (float | None | Unset):
        distance_to_closest (float | None | Unset):
        inference_categorical (float | None | Unset):
        inference_continuous (float | None | Unset):
        metrics_type (Literal['multi_table'] | Unset):  Default: 'multi_table'.
    """

    categorical_hidden_rate: float
    column_direct_match_protection: float
    computation_type: PrivacyMetricsComputationType
    dataset_name: str
    hidden_rate: float
    individual_identifier_variable: str
    local_cloaking: float
    original_id: UUID
    row_direct_match_protection: float
    targets: PrivacyMetricsTargets
    unshuffled_avatars_id: UUID
    closest_distances_ratio: float | None | Unset = UNSET
    closest_rate: float | None | Unset = UNSET
    correlation_protection_rate: float | None | Unset = UNSET
    distance_to_closest: float | None | Unset = UNSET
    inference_categorical: float | None | Unset = UNSET
    inference_continuous: float | None | Unset = UNSET
    metrics_type: Literal["multi_table"] | Unset = "multi_table"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        categorical_hidden_rate = self.categorical_hidden_rate

        column_direct_match_protection = self.column_direct_match_protection

        computation_type = self.computation_type.value

        dataset_name = self.dataset_name

        hidden_rate = self.hidden_rate

        individual_identifier_variable = self.individual_identifier_variable

        local_cloaking = self.local_cloaking

        original_id = str(self.original_id)

        row_direct_match_protection = self.row_direct_match_protection

        targets = self.targets.to_dict()

        unshuffled_avatars_id = str(self.unshuffled_avatars_id)

        closest_distances_ratio: float | None | Unset
        if isinstance(self.closest_distances_ratio, Unset):
            closest_distances_ratio = UNSET
        else:
            closest_distances_ratio = self.closest_distances_ratio

        closest_rate: float | None | Unset
        if isinstance(self.closest_rate, Unset):
            closest_rate = UNSET
        else:
            closest_rate = self.closest_rate

        correlation_protection_rate: float | None | Unset
        if isinstance(self.correlation_protection_rate, Unset):
            correlation_protection_rate = UNSET
        else:
            correlation_protection_rate = self.correlation_protection_rate

        distance_to_closest: float | None | Unset
        if isinstance(self.distance_to_closest, Unset):
            distance_to_closest = UNSET
        else:
            distance_to_closest = self.distance_to_closest

        inference_categorical: float | None | Unset
        if isinstance(self.inference_categorical, Unset):
            inference_categorical = UNSET
        else:
            inference_categorical = self.inference_categorical

        inference_continuous: float | None | Unset
        if isinstance(self.inference_continuous, Unset):
            inference_continuous = UNSET
        else:
            inference_continuous = self.inference_continuous

        metrics_type = self.metrics_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "categorical_hidden_rate": categorical_hidden_rate,
                "column_direct_match_protection": column_direct_match_protection,
                "computation_type": computation_type,
                "dataset_name": dataset_name,
                "hidden_rate": hidden_rate,
                "individual_identifier_variable": individual_identifier_variable,
                "local_cloaking": local_cloaking,
                "original_id": original_id,
                "row_direct_match_protection": row_direct_match_protection,
                "targets": targets,
                "unshuffled_avatars_id": unshuffled_avatars_id,
            }
        )
        if closest_distances_ratio is not UNSET:
            field_dict["closest_distances_ratio"] = closest_distances_ratio
        if closest_rate is not UNSET:
            field_dict["closest_rate"] = closest_rate
        if correlation_protection_rate is not UNSET:
            field_dict["correlation_protection_rate"] = correlation_protection_rate
        if distance_to_closest is not UNSET:
            field_dict["distance_to_closest"] = distance_to_closest
        if inference_categorical is not UNSET:
            field_dict["inference_categorical"] = inference_categorical
        if inference_continuous is not UNSET:
            field_dict["inference_continuous"] = inference_continuous
        if metrics_type is not UNSET:
            field_dict["metrics_type"] = metrics_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.privacy_metrics_targets import PrivacyMetricsTargets  # noqa: PLC0415

        d = dict(src_dict)
        categorical_hidden_rate = d.pop("categorical_hidden_rate")

        column_direct_match_protection = d.pop("column_direct_match_protection")

        computation_type = PrivacyMetricsComputationType(d.pop("computation_type"))

        dataset_name = d.pop("dataset_name")

        hidden_rate = d.pop("hidden_rate")

        individual_identifier_variable = d.pop("individual_identifier_variable")

        local_cloaking = d.pop("local_cloaking")

        original_id = UUID(d.pop("original_id"))

        row_direct_match_protection = d.pop("row_direct_match_protection")

        targets = PrivacyMetricsTargets.from_dict(d.pop("targets"))

        unshuffled_avatars_id = UUID(d.pop("unshuffled_avatars_id"))

        def _parse_closest_distances_ratio(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        closest_distances_ratio = _parse_closest_distances_ratio(
            d.pop("closest_distances_ratio", UNSET)
        )

        def _parse_closest_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        closest_rate = _parse_closest_rate(d.pop("closest_rate", UNSET))

        def _parse_correlation_protection_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        correlation_protection_rate = _parse_correlation_protection_rate(
            d.pop("correlation_protection_rate", UNSET)
        )

        def _parse_distance_to_closest(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        distance_to_closest = _parse_distance_to_closest(
            d.pop("distance_to_closest", UNSET)
        )

        def _parse_inference_categorical(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        inference_categorical = _parse_inference_categorical(
            d.pop("inference_categorical", UNSET)
        )

        def _parse_inference_continuous(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        inference_continuous = _parse_inference_continuous(
            d.pop("inference_continuous", UNSET)
        )

        metrics_type = cast(
            Literal["multi_table"] | Unset, d.pop("metrics_type", UNSET)
        )
        if metrics_type != "multi_table" and not isinstance(metrics_type, Unset):
            raise ValueError(
                f"metrics_type must match const 'multi_table', got '{metrics_type}'"
            )

        privacy_metrics_per_multi_table_dataset = cls(
            categorical_hidden_rate=categorical_hidden_rate,
            column_direct_match_protection=column_direct_match_protection,
            computation_type=computation_type,
            dataset_name=dataset_name,
            hidden_rate=hidden_rate,
            individual_identifier_variable=individual_identifier_variable,
            local_cloaking=local_cloaking,
            original_id=original_id,
            row_direct_match_protection=row_direct_match_protection,
            targets=targets,
            unshuffled_avatars_id=unshuffled_avatars_id,
            closest_distances_ratio=closest_distances_ratio,
            closest_rate=closest_rate,
            correlation_protection_rate=correlation_protection_rate,
            distance_to_closest=distance_to_closest,
            inference_categorical=inference_categorical,
            inference_continuous=inference_continuous,
            metrics_type=metrics_type,
        )

        privacy_metrics_per_multi_table_dataset.additional_properties = d
        return privacy_metrics_per_multi_table_dataset

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
