from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.exclude_categorical_method import ExcludeCategoricalMethod
from ..models.rare_categorical_method import RareCategoricalMethod
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExcludeCategoricalParameters")


@_attrs_define
class ExcludeCategoricalParameters:
    """
    Attributes:
        exclude_cardinality_threshold (int):
        exclude_replacement_strategy (ExcludeCategoricalMethod):
        rare_occurence_threshold (int):
        number_reference_records (int | None | Unset):
        rare_replacement_strategy (None | RareCategoricalMethod | Unset):
    """

    exclude_cardinality_threshold: int
    exclude_replacement_strategy: ExcludeCategoricalMethod
    rare_occurence_threshold: int
    number_reference_records: int | None | Unset = UNSET
    rare_replacement_strategy: None | RareCategoricalMethod | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        exclude_cardinality_threshold = self.exclude_cardinality_threshold

        exclude_replacement_strategy = self.exclude_replacement_strategy.value

        rare_occurence_threshold = self.rare_occurence_threshold

        number_reference_records: int | None | Unset
        if isinstance(self.number_reference_records, Unset):
            number_reference_records = UNSET
        else:
            number_reference_records = self.number_reference_records

        rare_replacement_strategy: None | str | Unset
        if isinstance(self.rare_replacement_strategy, Unset):
            rare_replacement_strategy = UNSET
        elif isinstance(self.rare_replacement_strategy, RareCategoricalMethod):
            rare_replacement_strategy = self.rare_replacement_strategy.value
        else:
            rare_replacement_strategy = self.rare_replacement_strategy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "exclude_cardinality_threshold": exclude_cardinality_threshold,
                "exclude_replacement_strategy": exclude_replacement_strategy,
                "rare_occurence_threshold": rare_occurence_threshold,
            }
        )
        if number_reference_records is not UNSET:
            field_dict["number_reference_records"] = number_reference_records
        if rare_replacement_strategy is not UNSET:
            field_dict["rare_replacement_strategy"] = rare_replacement_strategy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        exclude_cardinality_threshold = d.pop("exclude_cardinality_threshold")

        exclude_replacement_strategy = ExcludeCategoricalMethod(
            d.pop("exclude_replacement_strategy")
        )

        rare_occurence_threshold = d.pop("rare_occurence_threshold")

        def _parse_number_reference_records(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        number_reference_records = _parse_number_reference_records(
            d.pop("number_reference_records", UNSET)
        )

        def _parse_rare_replacement_strategy(
            data: object,
        ) -> None | RareCategoricalMethod | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rare_replacement_strategy_type_0 = RareCategoricalMethod(data)

                return rare_replacement_strategy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RareCategoricalMethod | Unset, data)

        rare_replacement_strategy = _parse_rare_replacement_strategy(
            d.pop("rare_replacement_strategy", UNSET)
        )

        exclude_categorical_parameters = cls(
            exclude_cardinality_threshold=exclude_cardinality_threshold,
            exclude_replacement_strategy=exclude_replacement_strategy,
            rare_occurence_threshold=rare_occurence_threshold,
            number_reference_records=number_reference_records,
            rare_replacement_strategy=rare_replacement_strategy,
        )

        exclude_categorical_parameters.additional_properties = d
        return exclude_categorical_parameters

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
