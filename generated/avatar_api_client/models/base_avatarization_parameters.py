from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.base_avatarization_parameters_column_weights_type_0 import (
        BaseAvatarizationParametersColumnWeightsType0,
    )
    from ..models.exclude_categorical_parameters import ExcludeCategoricalParameters
    from ..models.imputation_parameters import ImputationParameters


T = TypeVar("T", bound="BaseAvatarizationParameters")


@_attrs_define
class BaseAvatarizationParameters:
    """
    Attributes:
        dataset_id (UUID):
        k (int):
        column_weights (BaseAvatarizationParametersColumnWeightsType0 | None | Unset):
        exclude_categorical (ExcludeCategoricalParameters | None | Unset):
        imputation (ImputationParameters | None | Unset):
        ncp (int | None | Unset):
        to_categorical_threshold (int | None | Unset):
        use_categorical_reduction (bool | None | Unset):
    """

    dataset_id: UUID
    k: int
    column_weights: BaseAvatarizationParametersColumnWeightsType0 | None | Unset = UNSET
    exclude_categorical: ExcludeCategoricalParameters | None | Unset = UNSET
    imputation: ImputationParameters | None | Unset = UNSET
    ncp: int | None | Unset = UNSET
    to_categorical_threshold: int | None | Unset = UNSET
    use_categorical_reduction: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.base_avatarization_parameters_column_weights_type_0 import (
            BaseAvatarizationParametersColumnWeightsType0,  # noqa: PLC0415
        )
        from ..models.exclude_categorical_parameters import ExcludeCategoricalParameters  # noqa: PLC0415
        from ..models.imputation_parameters import ImputationParameters  # noqa: PLC0415

        dataset_id = str(self.dataset_id)

        k = self.k

        column_weights: dict[str, Any] | None | Unset
        if isinstance(self.column_weights, Unset):
            column_weights = UNSET
        elif isinstance(
            self.column_weights, BaseAvatarizationParametersColumnWeightsType0
        ):
            column_weights = self.column_weights.to_dict()
        else:
            column_weights = self.column_weights

        exclude_categorical: dict[str, Any] | None | Unset
        if isinstance(self.exclude_categorical, Unset):
            exclude_categorical = UNSET
        elif isinstance(self.exclude_categorical, ExcludeCategoricalParameters):
            exclude_categorical = self.exclude_categorical.to_dict()
        else:
            exclude_categorical = self.exclude_categorical

        imputation: dict[str, Any] | None | Unset
        if isinstance(self.imputation, Unset):
            imputation = UNSET
        elif isinstance(self.imputation, ImputationParameters):
            imputation = self.imputation.to_dict()
        else:
            imputation = self.imputation

        ncp: int | None | Unset
        if isinstance(self.ncp, Unset):
            ncp = UNSET
        else:
            ncp = self.ncp

        to_categorical_threshold: int | None | Unset
        if isinstance(self.to_categorical_threshold, Unset):
            to_categorical_threshold = UNSET
        else:
            to_categorical_threshold = self.to_categorical_threshold

        use_categorical_reduction: bool | None | Unset
        if isinstance(self.use_categorical_reduction, Unset):
            use_categorical_reduction = UNSET
        else:
            use_categorical_reduction = self.use_categorical_reduction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "k": k,
            }
        )
        if column_weights is not UNSET:
            field_dict["column_weights"] = column_weights
        if exclude_categorical is not UNSET:
            field_dict["exclude_categorical"] = exclude_categorical
        if imputation is not UNSET:
            field_dict["imputation"] = imputation
        if ncp is not UNSET:
            field_dict["ncp"] = ncp
        if to_categorical_threshold is not UNSET:
            field_dict["to_categorical_threshold"] = to_categorical_threshold
        if use_categorical_reduction is not UNSET:
            field_dict["use_categorical_reduction"] = use_categorical_reduction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.base_avatarization_parameters_column_weights_type_0 import (
            BaseAvatarizationParametersColumnWeightsType0,  # noqa: PLC0415
        )
        from ..models.exclude_categorical_parameters import ExcludeCategoricalParameters  # noqa: PLC0415
        from ..models.imputation_parameters import ImputationParameters  # noqa: PLC0415

        d = dict(src_dict)
        dataset_id = UUID(d.pop("dataset_id"))

        k = d.pop("k")

        def _parse_column_weights(
            data: object,
        ) -> BaseAvatarizationParametersColumnWeightsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                column_weights_type_0 = (
                    BaseAvatarizationParametersColumnWeightsType0.from_dict(data)
                )

                return column_weights_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                BaseAvatarizationParametersColumnWeightsType0 | None | Unset, data
            )

        column_weights = _parse_column_weights(d.pop("column_weights", UNSET))

        def _parse_exclude_categorical(
            data: object,
        ) -> ExcludeCategoricalParameters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                exclude_categorical_type_0 = ExcludeCategoricalParameters.from_dict(
                    data
                )

                return exclude_categorical_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExcludeCategoricalParameters | None | Unset, data)

        exclude_categorical = _parse_exclude_categorical(
            d.pop("exclude_categorical", UNSET)
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

        def _parse_ncp(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ncp = _parse_ncp(d.pop("ncp", UNSET))

        def _parse_to_categorical_threshold(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        to_categorical_threshold = _parse_to_categorical_threshold(
            d.pop("to_categorical_threshold", UNSET)
        )

        def _parse_use_categorical_reduction(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        use_categorical_reduction = _parse_use_categorical_reduction(
            d.pop("use_categorical_reduction", UNSET)
        )

        base_avatarization_parameters = cls(
            dataset_id=dataset_id,
            k=k,
            column_weights=column_weights,
            exclude_categorical=exclude_categorical,
            imputation=imputation,
            ncp=ncp,
            to_categorical_threshold=to_categorical_threshold,
            use_categorical_reduction=use_categorical_reduction,
        )

        base_avatarization_parameters.additional_properties = d
        return base_avatarization_parameters

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
