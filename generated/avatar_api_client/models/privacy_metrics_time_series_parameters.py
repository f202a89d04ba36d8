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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.flatten_parameters import FlattenParameters
    from ..models.fpca_parameters import FPCAParameters


T = TypeVar("T", bound="PrivacyMetricsTimeSeriesParameters")


@_attrs_define
class PrivacyMetricsTimeSeriesParameters:
    """
    Attributes:
        dataset_id (UUID):
        unshuffled_avatar_dataset_id (UUID):
        parameter_type (Literal['privacy_metrics_time_series'] | Unset):  Default: 'privacy_metrics_time_series'.
        projection_parameters (FlattenParameters | FPCAParameters | None | Unset):
    """

    dataset_id: UUID
    unshuffled_avatar_dataset_id: UUID
    parameter_type: Literal["privacy_metrics_time_series"] | Unset = (
        "privacy_metrics_time_series"
    )
    projection_parameters: FlattenParameters | FPCAParameters | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.flatten_parameters import FlattenParameters  # noqa: PLC0415
        from ..models.fpca_parameters import FPCAParameters  # noqa: PLC0415

        dataset_id = str(self.dataset_id)

        unshuffled_avatar_dataset_id = str(self.unshuffled_avatar_dataset_id)

        parameter_type = self.parameter_type

        projection_parameters: dict[str, Any] | None | Unset
        if isinstance(self.projection_parameters, Unset):
            projection_parameters = UNSET
        elif isinstance(self.projection_parameters, FPCAParameters):
            projection_parameters = self.projection_parameters.to_dict()
        elif isinstance(self.projection_parameters, FlattenParameters):
            projection_parameters = self.projection_parameters.to_dict()
        else:
            projection_parameters = self.projection_parameters

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dataset_id": dataset_id,
                "unshuffled_avatar_dataset_id": unshuffled_avatar_dataset_id,
            }
        )
        if parameter_type is not UNSET:
            field_dict["parameter_type"] = parameter_type
        if projection_parameters is not UNSET:
            field_dict["projection_parameters"] = projection_parameters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flatten_parameters import FlattenParameters  # noqa: PLC0415
        from ..models.fpca_parameters import FPCAParameters  # noqa: PLC0415

        d = dict(src_dict)
        dataset_id = UUID(d.pop("dataset_id"))

        unshuffled_avatar_dataset_id = UUID(d.pop("unshuffled_avatar_dataset_id"))

        parameter_type = cast(
            Literal["privacy_metrics_time_series"] | Unset,
            d.pop("parameter_type", UNSET),
        )
        if parameter_type != "privacy_metrics_time_series" and not isinstance(
            parameter_type, Unset
        ):
            raise ValueError(
                f"parameter_type must match const 'privacy_metrics_time_series', got '{parameter_type}'"
            )

        def _parse_projection_parameters(
            data: object,
        ) -> FlattenParameters | FPCAParameters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projection_parameters_type_0_type_0 = FPCAParameters.from_dict(data)

                return projection_parameters_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projection_parameters_type_0_type_1 = FlattenParameters.from_dict(data)

                return projection_parameters_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FlattenParameters | FPCAParameters | None | Unset, data)

        projection_parameters = _parse_projection_parameters(
            d.pop("projection_parameters", UNSET)
        )

        privacy_metrics_time_series_parameters = cls(
            dataset_id=dataset_id,
            unshuffled_avatar_dataset_id=unshuffled_avatar_dataset_id,
            parameter_type=parameter_type,
            projection_parameters=projection_parameters,
        )

        privacy_metrics_time_series_parameters.additional_properties = d
        return privacy_metrics_time_series_parameters

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
