from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.flatten_parameters import FlattenParameters
    from ..models.fpca_parameters import FPCAParameters


T = TypeVar("T", bound="AvatarizationTimeSeriesParameters")


@_attrs_define
class AvatarizationTimeSeriesParameters:
    """
    Attributes:
        dataset_id (UUID): The dataset containing the time series.
        projection_parameters (FlattenParameters | FPCAParameters):
    """

    dataset_id: UUID
    projection_parameters: FlattenParameters | FPCAParameters
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.fpca_parameters import FPCAParameters  # noqa: PLC0415

        dataset_id = str(self.dataset_id)

        projection_parameters: dict[str, Any]
        if isinstance(self.projection_parameters, FPCAParameters):
            projection_parameters = self.projection_parameters.to_dict()
        else:
            projection_parameters = self.projection_parameters.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "projection_parameters": projection_parameters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flatten_parameters import FlattenParameters  # noqa: PLC0415
        from ..models.fpca_parameters import FPCAParameters  # noqa: PLC0415

        d = dict(src_dict)
        dataset_id = UUID(d.pop("dataset_id"))

        def _parse_projection_parameters(
            data: object,
        ) -> FlattenParameters | FPCAParameters:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projection_parameters_type_0 = FPCAParameters.from_dict(data)

                return projection_parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            projection_parameters_type_1 = FlattenParameters.from_dict(data)

            return projection_parameters_type_1

        projection_parameters = _parse_projection_parameters(
            d.pop("projection_parameters")
        )

        avatarization_time_series_parameters = cls(
            dataset_id=dataset_id,
            projection_parameters=projection_parameters,
        )

        avatarization_time_series_parameters.additional_properties = d
        return avatarization_time_series_parameters

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
