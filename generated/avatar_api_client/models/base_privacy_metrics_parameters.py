from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.imputation_parameters import ImputationParameters


T = TypeVar("T", bound="BasePrivacyMetricsParameters")


@_attrs_define
class BasePrivacyMetricsParameters:
    """
    Attributes:
        original_id (UUID):
        unshuffled_avatars_id (UUID):
        avatarization_job_id (None | Unset | UUID):
        closest_rate_percentage_threshold (float | None | Unset):
        closest_rate_ratio_threshold (float | None | Unset):
        imputation (ImputationParameters | None | Unset):
        known_variables (list[str] | None | Unset):
        ncp (int | None | Unset):
        persistance_job_id (None | Unset | UUID):
        target (None | str | Unset):
        use_categorical_reduction (bool | None | Unset):
    """

    original_id: UUID
    unshuffled_avatars_id: UUID
    avatarization_job_id: None | Unset | UUID = UNSET
    closest_rate_percentage_threshold: float | None | Unset = UNSET
    closest_rate_ratio_threshold: float | None | Unset = UNSET
    imputation: ImputationParameters | None | Unset = UNSET
    known_variables: list[str] | None | Unset = UNSET
    ncp: int | None | Unset = UNSET
    persistance_job_id: None | Unset | UUID = UNSET
    target: None | str | Unset = UNSET
    use_categorical_reduction: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.imputation_parameters import ImputationParameters  # noqa: PLC0415

        original_id = str(self.original_id)

        unshuffled_avatars_id = str(self.unshuffled_avatars_id)

        avatarization_job_id: None | str | Unset
        if isinstance(self.avatarization_job_id, Unset):
            avatarization_job_id = UNSET
        elif isinstance(self.avatarization_job_id, UUID):
            avatarization_job_id = str(self.avatarization_job_id)
        else:
            avatarization_job_id = self.avatarization_job_id

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

        persistance_job_id: None | str | Unset
        if isinstance(self.persistance_job_id, Unset):
            persistance_job_id = UNSET
        elif isinstance(self.persistance_job_id, UUID):
            persistance_job_id = str(self.persistance_job_id)
        else:
            persistance_job_id = self.persistance_job_id

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "original_id": original_id,
                "unshuffled_avatars_id": unshuffled_avatars_id,
            }
        )
        if avatarization_job_id is not UNSET:
            field_dict["avatarization_job_id"] = avatarization_job_id
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
        if persistance_job_id is not UNSET:
            field_dict["persistance_job_id"] = persistance_job_id
        if target is not UNSET:
            field_dict["target"] = target
        if use_categorical_reduction is not UNSET:
            field_dict["use_categorical_reduction"] = use_categorical_reduction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.imputation_parameters import ImputationParameters  # noqa: PLC0415

        d = dict(src_dict)
        original_id = UUID(d.pop("original_id"))

        unshuffled_avatars_id = UUID(d.pop("unshuffled_avatars_id"))

        def _parse_avatarization_job_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                avatarization_job_id_type_0 = UUID(data)

                return avatarization_job_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        avatarization_job_id = _parse_avatarization_job_id(
            d.pop("avatarization_job_id", UNSET)
        )

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

        def _parse_persistance_job_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                persistance_job_id_type_0 = UUID(data)

                return persistance_job_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        persistance_job_id = _parse_persistance_job_id(
            d.pop("persistance_job_id", UNSET)
        )

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

        base_privacy_metrics_parameters = cls(
            original_id=original_id,
            unshuffled_avatars_id=unshuffled_avatars_id,
            avatarization_job_id=avatarization_job_id,
            closest_rate_percentage_threshold=closest_rate_percentage_threshold,
            closest_rate_ratio_threshold=closest_rate_ratio_threshold,
            imputation=imputation,
            known_variables=known_variables,
            ncp=ncp,
            persistance_job_id=persistance_job_id,
            target=target,
            use_categorical_reduction=use_categorical_reduction,
        )

        base_privacy_metrics_parameters.additional_properties = d
        return base_privacy_metrics_parameters

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
