from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_kind import JobKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.privacy_metrics_multi_table_parameters import (
        PrivacyMetricsMultiTableParameters,
    )


T = TypeVar("T", bound="PrivacyMetricsMultiTableJobCreate")


@_attrs_define
class PrivacyMetricsMultiTableJobCreate:
    """
    Attributes:
        parameters (PrivacyMetricsMultiTableParameters):
        kind (JobKind | None | Unset):  Default: JobKind.PRIVACY_METRICS_MULTI_TABLE.
    """

    parameters: PrivacyMetricsMultiTableParameters
    kind: JobKind | None | Unset = JobKind.PRIVACY_METRICS_MULTI_TABLE
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parameters = self.parameters.to_dict()

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, JobKind):
            kind = self.kind.value
        else:
            kind = self.kind

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parameters": parameters,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.privacy_metrics_multi_table_parameters import (
            PrivacyMetricsMultiTableParameters,  # noqa: PLC0415
        )

        d = dict(src_dict)
        parameters = PrivacyMetricsMultiTableParameters.from_dict(d.pop("parameters"))

        def _parse_kind(data: object) -> JobKind | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_0 = JobKind(data)

                return kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobKind | None | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        privacy_metrics_multi_table_job_create = cls(
            parameters=parameters,
            kind=kind,
        )

        privacy_metrics_multi_table_job_create.additional_properties = d
        return privacy_metrics_multi_table_job_create

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
