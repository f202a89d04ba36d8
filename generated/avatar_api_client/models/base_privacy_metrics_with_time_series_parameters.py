from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.imputation_parameters import ImputationParameters
    from ..models.privacy_metrics_time_series_parameters import (
        PrivacyMetricsTimeSeriesParameters,
    )


T = TypeVar("T", bound="BasePrivacyMetricsWithTimeSeriesParameters")


@_attrs_define
class BasePrivacyMetricsWithTimeSeriesParameters:
    """
    Attributes:
        time_series (list[PrivacyMetricsTimeSeriesParameters]):
        closest_rate_percentage_threshold (float | None | Unset):
        closest_rate_ratio_threshold (float | None | Unset):
        imputation (ImputationParameters | None | Unset):
        known_variables (list[str] | None | Unset):
        ncp (int | None | Unset):
        target (None | str | Unset):
        use_categorical_reduction (bool | None | Unset):
        vanilla_original_id (None | Unset | UUID):
        vanilla_unshuffled_avatars_id (None | Unset | UUID):
    """

    time_series: list[PrivacyMetricsTimeSeriesParameters]
    closest_rate_percentage_threshold: float | None | Unset = UNSET
    closest_rate_ratio_threshold: float | None | Unset = UNSET
    imputation: ImputationParameters | None | Unset = UNSET
    known_variables: list[str] | None | Unset = UNSET
    ncp: int | None | Unset = UNSET
    target: None | str | Unset = UNSET
    use_categorical_reduction: bool | None | Unset = UNSET
    vanilla_original_id: None | Unset | UUID = UNSET
    vanilla_unshuffled_avatars_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.imputation_parameters import ImputationParameters  # noqa: PLC0415

        time_series = []
        for time_series_item_data in self.time_series:
            time_series_item = time_series_item_data.to_dict()
            time_series.append(time_series_item)

        closest_rate_percentage_threshold: float | None | Unset
        if isinstance(self.closest_rate_percentage_threshold, Unset):
            closest_rate_percentage_threshold = UNSET
        else:
            closest_rate_percentage_threshold = self.closest_rate_percentage_threshold

        closest_rate_ratio_threshold: float | None | Unset
        if isinstance(self.closest_rate_ratio_threshold, Unset):
            closest_rate_ratio_threshold = UNSET
        else:
            closest_rate_ratio_threshold = self.closest_rate_ratio_threshold

        imputation: dict[str, Any] | None | Unset
        if isinstance(self.imputation, Unset):
            imputation = UNSET
        elif isinstance(self.imputation, ImputationParameters):
            imputation = self.imputation.to_dict()
        else:
            imputation = self.imputation

        known_variables: list[str] | None | Unset
        if isinstance(self.known_variables, Unset):
            known_variables = UNSET
        elif isinstance(self.known_variables, list):
            known_variables = self.known_variables

        else:
            known_variables = self.known_variables

        ncp: int | None | Unset
        if isinstance(self.ncp, Unset):
            ncp = UNSET
        else:
            ncp = self.ncp

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        use_categorical_reduction: bool | None | Unset
        if isinstance(self.use_categorical_reduction, Unset):
            use_categorical_reduction = UNSET
        else:
            use_categorical_reduction = self.use_categorical_reduction

        vanilla_original_id: None | str | Unset
        if isinstance(self.vanilla_original_id, Unset):
            vanilla_original_id = UNSET
        elif isinstance(self.vanilla_original_id, UUID):
            vanilla_original_id = str(self.vanilla_original_id)
        else:
            vanilla_original_id = self.vanilla_original_id

        vanilla_unshuffled_avatars_id: None | str | Unset
        if isinstance(self.vanilla_unshuffled_avatars_id, Unset):
            vanilla_unshuffled_avatars_id = UNSET
        elif isinstance(self.vanilla_unshuffled_avatars_id, UUID):
            vanilla_unshuffled_avatars_id = str(self.vanilla_unshuffled_avatars_id)
        else:
            vanilla_unshuffled_avatars_id = self.vanilla_unshuffled_avatars_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "time_series": time_series,
            }
        )
        if closest_rate_percentage_threshold is not UNSET:
            field_dict["closest_rate_percentage_threshold"] = (
                closest_rate_percentage_threshold
            )
        if closest_rate_ratio_threshold is not UNSET:
            field_dict["closest_rate_ratio_threshold"] = closest_rate_ratio_threshold
        if imputation is not UNSET:
            field_dict["imputation"] = imputation
        if known_variables is not UNSET:
            field_dict["known_variables"] = known_variables
        if ncp is not UNSET:
            field_dict["ncp"] = ncp
        if target is not UNSET:
            field_dict["target"] = target
        if use_categorical_reduction is not UNSET:
            field_dict["use_categorical_reduction"] = use_categorical_reduction
        if vanilla_original_id is not UNSET:
            field_dict["vanilla_original_id"] = vanilla_original_id
        if vanilla_unshuffled_avatars_id is not UNSET:
            field_dict["vanilla_unshuffled_avatars_id"] = vanilla_unshuffled_avatars_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.imputation_parameters import ImputationParameters  # noqa: PLC0415
        from ..models.privacy_metrics_time_series_parameters import (
            PrivacyMetricsTimeSeriesParameters,  # noqa: PLC0415
        )

        d = dict(src_dict)
        time_series = []
        _time_series = d.pop("time_series")
        for time_series_item_data in _time_series:
            time_series_item = PrivacyMetricsTimeSeriesParameters.from_dict(
                time_series_item_data
            )

            time_series.append(time_series_item)

        def _parse_closest_rate_percentage_threshold(
            data: object,
        ) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        closest_rate_percentage_threshold = _parse_closest_rate_percentage_threshold(
            d.pop("closest_rate_percentage_threshold", UNSET)
        )

        def _parse_closest_rate_ratio_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        closest_rate_ratio_threshold = _parse_closest_rate_ratio_threshold(
            d.pop("closest_rate_ratio_threshold", UNSET)
        )

        def _parse_imputation(data: object) -> ImputationParameters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                imputation_type_0 = ImputationParameters.from_dict(data)

                return imputation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImputationParameters | None | Unset, data)

        imputation = _parse_imputation(d.pop("imputation", UNSET))

        def _parse_known_variables(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                known_variables_type_0 = cast(list[str], data)

                return known_variables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        known_variables = _parse_known_variables(d.pop("known_variables", UNSET))

        def _parse_ncp(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ncp = _parse_ncp(d.pop("ncp", UNSET))

        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        def _parse_use_categorical_reduction(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        use_categorical_reduction = _parse_use_categorical_reduction(
            d.pop("use_categorical_reduction", UNSET)
        )

        def _parse_vanilla_original_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                vanilla_original_id_type_0 = UUID(data)

                return vanilla_original_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        vanilla_original_id = _parse_vanilla_original_id(
            d.pop("vanilla_original_id", UNSET)
        )

        def _parse_vanilla_unshuffled_avatars_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                vanilla_unshuffled_avatars_id_type_0 = UUID(data)

                return vanilla_unshuffled_avatars_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        vanilla_unshuffled_avatars_id = _parse_vanilla_unshuffled_avatars_id(
            d.pop("vanilla_unshuffled_avatars_id", UNSET)
        )

        base_privacy_metrics_with_time_series_parameters = cls(
            time_series=time_series,
            closest_rate_percentage_threshold=closest_rate_percentage_threshold,
            closest_rate_ratio_threshold=closest_rate_ratio_threshold,
            imputation=imputation,
            known_variables=known_variables,
            ncp=ncp,
            target=target,
            use_categorical_reduction=use_categorical_reduction,
            vanilla_original_id=vanilla_original_id,
            vanilla_unshuffled_avatars_id=vanilla_unshuffled_avatars_id,
        )

        base_privacy_metrics_with_time_series_parameters.additional_properties = d
        return base_privacy_metrics_with_time_series_parameters

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
