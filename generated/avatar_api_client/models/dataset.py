from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.analysis_status import AnalysisStatus
from ..models.file_type import FileType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.column_detail import ColumnDetail
    from ..models.dataset_summary import DatasetSummary


T = TypeVar("T", bound="Dataset")


@_attrs_define
class Dataset:
    """
    Attributes:
        download_url (str):
        filetype (FileType): Storage and transfer format of a dataset.
        hash_ (str):
        id (UUID):
        nb_dimensions (int):
        analysis_duration (float | None | Unset):
        analysis_status (AnalysisStatus | None | Unset):
        columns (list[ColumnDetail] | None | Unset):
        name (None | str | Unset):
        nb_lines (int | None | Unset):
        summary (DatasetSummary | None | Unset):
    """

    download_url: str
    filetype: FileType
    hash_: str
    id: UUID
    nb_dimensions: int
    analysis_duration: float | None | Unset = UNSET
    analysis_status: AnalysisStatus | None | Unset = UNSET
    columns: list[ColumnDetail] | None | Unset = UNSET
    name: None | str | Unset = UNSET
    nb_lines: int | None | Unset = UNSET
    summary: DatasetSummary | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.dataset_summary import DatasetSummary  # noqa: PLC0415

        download_url = self.download_url

        filetype = self.filetype.value

        hash_ = self.hash_

        id = str(self.id)

        nb_dimensions = self.nb_dimensions

        analysis_duration: float | None | Unset
        if isinstance(self.analysis_duration, Unset):
            analysis_duration = UNSET
        else:
            analysis_duration = self.analysis_duration

        analysis_status: None | str | Unset
        if isinstance(self.analysis_status, Unset):
            analysis_status = UNSET
        elif isinstance(self.analysis_status, AnalysisStatus):
            analysis_status = self.analysis_status.value
        else:
            analysis_status = self.analysis_status

        columns: list[dict[str, Any]] | None | Unset
        if isinstance(self.columns, Unset):
            columns = UNSET
        elif isinstance(self.columns, list):
            columns = []
            for columns_type_0_item_data in self.columns:
                columns_type_0_item = columns_type_0_item_data.to_dict()
                columns.append(columns_type_0_item)

        else:
            columns = self.columns

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        nb_lines: int | None | Unset
        if isinstance(self.nb_lines, Unset):
            nb_lines = UNSET
        else:
            nb_lines = self.nb_lines

        summary: dict[str, Any] | None | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        elif isinstance(self.summary, DatasetSummary):
            summary = self.summary.to_dict()
        else:
            summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "download_url": download_url,
                "filetype": filetype,
                "hash": hash_,
                "id": id,
                "nb_dimensions": nb_dimensions,
            }
        )
        if analysis_duration is not UNSET:
            field_dict["analysis_duration"] = analysis_duration
        if analysis_status is not UNSET:
            field_dict["analysis_status"] = analysis_status
        if columns is not UNSET:
            field_dict["columns"] = columns
        if name is not UNSET:
            field_dict["name"] = name
        if nb_lines is not UNSET:
            field_dict["nb_lines"] = nb_lines
        if summary is not UNSET:
            field_dict["summary"] = summary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.column_detail import ColumnDetail  # noqa: PLC0415
        from ..models.dataset_summary import DatasetSummary  # noqa: PLC0415

        d = dict(src_dict)
        download_url = d.pop("download_url")

        filetype = FileType(d.pop("filetype"))

        hash_ = d.pop("hash")

        id = UUID(d.pop("id"))

        nb_dimensions = d.pop("nb_dimensions")

        def _parse_analysis_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        analysis_duration = _parse_analysis_duration(d.pop("analysis_duration", UNSET))

        def _parse_analysis_status(data: object) -> AnalysisStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                analysis_status_type_0 = AnalysisStatus(data)

                return analysis_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnalysisStatus | None | Unset, data)

        analysis_status = _parse_analysis_status(d.pop("analysis_status", UNSET))

        def _parse_columns(data: object) -> list[ColumnDetail] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                columns_type_0 = []
                _columns_type_0 = data
                for columns_type_0_item_data in _columns_type_0:
                    columns_type_0_item = ColumnDetail.from_dict(
                        columns_type_0_item_data
                    )

                    columns_type_0.append(columns_type_0_item)

                return columns_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ColumnDetail] | None | Unset, data)

        columns = _parse_columns(d.pop("columns", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_nb_lines(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nb_lines = _parse_nb_lines(d.pop("nb_lines", UNSET))

        def _parse_summary(data: object) -> DatasetSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                summary_type_0 = DatasetSummary.from_dict(data)

                return summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatasetSummary | None | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        dataset = cls(
            download_url=download_url,
            filetype=filetype,
            hash_=hash_,
            id=id,
            nb_dimensions=nb_dimensions,
            analysis_duration=analysis_duration,
            analysis_status=analysis_status,
            columns=columns,
            name=name,
            nb_lines=nb_lines,
            summary=summary,
        )

        dataset.additional_properties = d
        return dataset

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
