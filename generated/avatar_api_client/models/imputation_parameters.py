from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.impute_method import ImputeMethod
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImputationParameters")


@_attrs_define
class ImputationParameters:
    """
    Attributes:
        k (int | None | Unset):
        method (ImputeMethod | None | Unset):
        training_fraction (float | None | Unset):
    """

    k: int | None | Unset = UNSET
    method: ImputeMethod | None | Unset = UNSET
    training_fraction: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        k: int | None | Unset
        if isinstance(self.k, Unset):
            k = UNSET
        else:
            k = self.k

        method: None | str | Unset
        if isinstance(self.method, Unset):
            method = UNSET
        elif isinstance(self.method, ImputeMethod):
            method = self.method.value
        else:
            method = self.method

        training_fraction: float | None | Unset
        if isinstance(self.training_fraction, Unset):
            training_fraction = UNSET
        else:
            training_fraction = self.training_fraction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if k is not UNSET:
            field_dict["k"] = k
        if method is not UNSET:
            field_dict["method"] = method
        if training_fraction is not UNSET:
            field_dict["training_fraction"] = training_fraction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_k(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        k = _parse_k(d.pop("k", UNSET))

        def _parse_method(data: object) -> ImputeMethod | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                method_type_0 = ImputeMethod(data)

                return method_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImputeMethod | None | Unset, data)

        method = _parse_method(d.pop("method", UNSET))

        def _parse_training_fraction(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        training_fraction = _parse_training_fraction(d.pop("training_fraction", UNSET))

        imputation_parameters = cls(
            k=k,
            method=method,
            training_fraction=training_fraction,
        )

        imputation_parameters.additional_properties = d
        return imputation_parameters

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
