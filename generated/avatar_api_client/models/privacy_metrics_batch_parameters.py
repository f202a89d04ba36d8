from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_privacy_metrics_parameters import (
        CommonPrivacyMetricsParameters,
    )
    from ..models.privacy_batch_dataset_mapping import PrivacyBatchDatasetMapping


T = TypeVar("T", bound="PrivacyMetricsBatchParameters")


@_attrs_define
class PrivacyMetricsBatchParameters:
    """
    Attributes:
        avatarization_batch_job_id (None | Unset | UUID):
        batch_dataset_mappings (list[PrivacyBatchDatasetMapping] | None | Unset):
        common_parameters (CommonPrivacyMetricsParameters | None | Unset):
        seed (int | None | Unset):
        training_dataset_mapping (None | PrivacyBatchDatasetMapping | Unset):
    """

    avatarization_batch_job_id: None | Unset | UUID = UNSET
    batch_dataset_mappings: list[PrivacyBatchDatasetMapping] | None | Unset = UNSET
    common_parameters: CommonPrivacyMetricsParameters | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    training_dataset_mapping: None | PrivacyBatchDatasetMapping | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.common_privacy_metrics_parameters import (
            CommonPrivacyMetricsParameters,  # noqa: PLC0415
        )
        from ..models.privacy_batch_dataset_mapping import PrivacyBatchDatasetMapping  # noqa: PLC0415

        avatarization_batch_job_id: None | str | Unset
        if isinstance(self.avatarization_batch_job_id, Unset):
            avatarization_batch_job_id = UNSET
        elif isinstance(self.avatarization_batch_job_id, UUID):
            avatarization_batch_job_id = str(self.avatarization_batch_job_id)
        else:
            avatarization_batch_job_id = self.avatarization_batch_job_id

        batch_dataset_mappings: list[dict[str, Any]] | None | Unset
        if isinstance(self.batch_dataset_mappings, Unset):
            batch_dataset_mappings = UNSET
        elif isinstance(self.batch_dataset_mappings, list):
            batch_dataset_mappings = []
            for batch_dataset_mappings_type_0_item_data in self.batch_dataset_mappings:
                batch_dataset_mappings_type_0_item = (
                    batch_dataset_mappings_type_0_item_data.to_dict()
                )
                batch_dataset_mappings.append(batch_dataset_mappings_type_0_item)

        else:
            batch_dataset_mappings = self.batch_dataset_mappings

        common_parameters: dict[str, Any] | None | Unset
        if isinstance(self.common_parameters, Unset):
            common_parameters = UNSET
        elif isinstance(self.common_parameters, CommonPrivacyMetricsParameters):
            common_parameters = self.common_parameters.to_dict()
        else:
            common_parameters = self.common_parameters

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        training_dataset_mapping: dict[str, Any] | None | Unset
        if isinstance(self.training_dataset_mapping, Unset):
            training_dataset_mapping = UNSET
        elif isinstance(self.training_dataset_mapping, PrivacyBatchDatasetMapping):
            training_dataset_mapping = self.training_dataset_mapping.to_dict()
        else:
            training_dataset_mapping = self.training_dataset_mapping

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if avatarization_batch_job_id is not UNSET:
            field_dict["avatarization_batch_job_id"] = avatarization_batch_job_id
        if batch_dataset_mappings is not UNSET:
            field_dict["batch_dataset_mappings"] = batch_dataset_mappings
        if common_parameters is not UNSET:
            field_dict["common_parameters"] = common_parameters
        if seed is not UNSET:
            field_dict["seed"] = seed
        if training_dataset_mapping is not UNSET:
            field_dict["training_dataset_mapping"] = training_dataset_mapping

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.common_privacy_metrics_parameters import (
            CommonPrivacyMetricsParameters,  # noqa: PLC0415
        )
        from ..models.privacy_batch_dataset_mapping import PrivacyBatchDatasetMapping  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_avatarization_batch_job_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                avatarization_batch_job_id_type_0 = UUID(data)

                return avatarization_batch_job_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        avatarization_batch_job_id = _parse_avatarization_batch_job_id(
            d.pop("avatarization_batch_job_id", UNSET)
        )

        def _parse_batch_dataset_mappings(
            data: object,
        ) -> list[PrivacyBatchDatasetMapping] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                batch_dataset_mappings_type_0 = []
                _batch_dataset_mappings_type_0 = data
                for (
                    batch_dataset_mappings_type_0_item_data
                ) in _batch_dataset_mappings_type_0:
                    batch_dataset_mappings_type_0_item = (
                        PrivacyBatchDatasetMapping.from_dict(
                            batch_dataset_mappings_type_0_item_data
                        )
                    )

                    batch_dataset_mappings_type_0.append(
                        batch_dataset_mappings_type_0_item
                    )

                return batch_dataset_mappings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PrivacyBatchDatasetMapping] | None | Unset, data)

        batch_dataset_mappings = _parse_batch_dataset_mappings(
            d.pop("batch_dataset_mappings", UNSET)
        )

        def _parse_common_parameters(
            data: object,
        ) -> CommonPrivacyMetricsParameters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                common_parameters_type_0 = CommonPrivacyMetricsParameters.from_dict(
                    data
                )

                return common_parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommonPrivacyMetricsParameters | None | Unset, data)

        common_parameters = _parse_common_parameters(d.pop("common_parameters", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_training_dataset_mapping(
            data: object,
        ) -> None | PrivacyBatchDatasetMapping | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                training_dataset_mapping_type_0 = PrivacyBatchDatasetMapping.from_dict(
                    data
                )

                return training_dataset_mapping_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PrivacyBatchDatasetMapping | Unset, data)

        training_dataset_mapping = _parse_training_dataset_mapping(
            d.pop("training_dataset_mapping", UNSET)
        )

        privacy_metrics_batch_parameters = cls(
            avatarization_batch_job_id=avatarization_batch_job_id,
            batch_dataset_mappings=batch_dataset_mappings,
            common_parameters=common_parameters,
            seed=seed,
            training_dataset_mapping=training_dataset_mapping,
        )

        privacy_metrics_batch_parameters.additional_properties = d
        return privacy_metrics_batch_parameters

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
