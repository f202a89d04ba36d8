from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.http_validation_error_detail_type_1 import (
        HTTPValidationErrorDetailType1,
    )
    from ..models.validation_error import ValidationError


T = TypeVar("T", bound="HTTPValidationError")


@_attrs_define
class HTTPValidationError:
    """Body of a 422: FastAPI's detail list (request validation) or the context of a rejected
    input (a string or an object), plus a readable message.

        Attributes:
            message (str):
            detail (HTTPValidationErrorDetailType1 | list[ValidationError] | None | str | Unset):
    """

    message: str
    detail: (
        HTTPValidationErrorDetailType1 | list[ValidationError] | None | str | Unset
    ) = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.http_validation_error_detail_type_1 import (
            HTTPValidationErrorDetailType1,  # noqa: PLC0415
        )

        message = self.message

        detail: dict[str, Any] | list[dict[str, Any]] | None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        elif isinstance(self.detail, list):
            detail = []
            for detail_type_0_item_data in self.detail:
                detail_type_0_item = detail_type_0_item_data.to_dict()
                detail.append(detail_type_0_item)

        elif isinstance(self.detail, HTTPValidationErrorDetailType1):
            detail = self.detail.to_dict()
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.http_validation_error_detail_type_1 import (
            HTTPValidationErrorDetailType1,  # noqa: PLC0415
        )
        from ..models.validation_error import ValidationError  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        def _parse_detail(
            data: object,
        ) -> (
            HTTPValidationErrorDetailType1 | list[ValidationError] | None | str | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                detail_type_0 = []
                _detail_type_0 = data
                for detail_type_0_item_data in _detail_type_0:
                    detail_type_0_item = ValidationError.from_dict(
                        detail_type_0_item_data
                    )

                    detail_type_0.append(detail_type_0_item)

                return detail_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                detail_type_1 = HTTPValidationErrorDetailType1.from_dict(data)

                return detail_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                HTTPValidationErrorDetailType1
                | list[ValidationError]
                | None
                | str
                | Unset,
                data,
            )

        detail = _parse_detail(d.pop("detail", UNSET))

        http_validation_error = cls(
            message=message,
            detail=detail,
        )

        http_validation_error.additional_properties = d
        return http_validation_error

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
