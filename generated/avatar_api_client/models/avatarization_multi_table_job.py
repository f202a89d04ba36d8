from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_kind import JobKind
from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.avatarization_multi_table_parameters import (
        AvatarizationMultiTableParameters,
    )
    from ..models.avatarization_multi_table_result import AvatarizationMultiTableResult
    from ..models.job_progress import JobProgress


T = TypeVar("T", bound="AvatarizationMultiTableJob")


@_attrs_define
class AvatarizationMultiTableJob:
    """
    Attributes:
        created_at (datetime.datetime):
        id (UUID):
        kind (JobKind):
        parameters (AvatarizationMultiTableParameters):
        status (JobStatus):
        current_progress (JobProgress | None | Unset):
        error_message (None | str | Unset):
        result (AvatarizationMultiTableResult | None | Unset):
        traceback (None | str | Unset):
    """

    created_at: datetime.datetime
    id: UUID
    kind: JobKind
    parameters: AvatarizationMultiTableParameters
    status: JobStatus
    current_progress: JobProgress | None | Unset = UNSET
    error_message: None | str | Unset = UNSET
    result: AvatarizationMultiTableResult | None | Unset = UNSET
    traceback: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.avatarization_multi_table_result import (
            AvatarizationMultiTableResult,  # noqa: PLC0415
        )
        from ..models.job_progress import JobProgress  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        id = str(self.id)

        kind = self.kind.value

        parameters = self.parameters.to_dict()

        status = self.status.value

        current_progress: dict[str, Any] | None | Unset
        if isinstance(self.current_progress, Unset):
            current_progress = UNSET
        elif isinstance(self.current_progress, JobProgress):
            current_progress = self.current_progress.to_dict()
        else:
            current_progress = self.current_progress

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, AvatarizationMultiTableResult):
            result = self.result.to_dict()
        else:
            result = self.result

        traceback: None | str | Unset
        if isinstance(self.traceback, Unset):
            traceback = UNSET
        else:
            traceback = self.traceback

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "kind": kind,
                "parameters": parameters,
                "status": status,
            }
        )
        if current_progress is not UNSET:
            field_dict["current_progress"] = current_progress
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if result is not UNSET:
            field_dict["result"] = result
        if traceback is not UNSET:
            field_dict["traceback"] = traceback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.avatarization_multi_table_parameters import (
            AvatarizationMultiTableParameters,  # noqa: PLC0415
        )
        from ..models.avatarization_multi_table_result import (
            AvatarizationMultiTableResult,  # noqa: PLC0415
        )
        from ..models.job_progress import JobProgress  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        kind = JobKind(d.pop("kind"))

        parameters = AvatarizationMultiTableParameters.from_dict(d.pop("parameters"))

        status = JobStatus(d.pop("status"))

        def _parse_current_progress(data: object) -> JobProgress | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_progress_type_0 = JobProgress.from_dict(data)

                return current_progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobProgress | None | Unset, data)

        current_progress = _parse_current_progress(d.pop("current_progress", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        def _parse_result(data: object) -> AvatarizationMultiTableResult | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = AvatarizationMultiTableResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AvatarizationMultiTableResult | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        def _parse_traceback(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        traceback = _parse_traceback(d.pop("traceback", UNSET))

        avatarization_multi_table_job = cls(
            created_at=created_at,
            id=id,
            kind=kind,
            parameters=parameters,
            status=status,
            current_progress=current_progress,
            error_message=error_message,
            result=result,
            traceback=traceback,
        )

        avatarization_multi_table_job.additional_properties = d
        return avatarization_multi_table_job

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
