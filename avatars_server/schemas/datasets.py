"""Wire models of the `datasets` tag (API reference §3.4)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, Field, RootModel

from avatars_server.schemas.common import RequestModel


class FileType(StrEnum):
    """Storage and transfer format of a dataset."""

    CSV = "csv"
    PARQUET = "parquet"


class ColumnType(StrEnum):
    """Declared type of a dataset column."""

    INT = "int"
    BOOL = "bool"
    CATEGORY = "category"
    FLOAT = "float"
    DATETIME = "datetime"


class AnalysisStatus(StrEnum):
    """State of a dataset analysis."""

    STARTED = "started"
    DONE = "done"


class ColumnDetail(RequestModel):
    """Metadata of one column: its declared type and whether it identifies individuals."""

    type: ColumnType
    label: str
    is_identifier: bool | None = False


class PatchDataset(RequestModel):
    """Replacement column metadata; columns not listed keep theirs."""

    columns: list[ColumnDetail] | None = None


class ColumnStats(BaseModel):
    label: str
    dtype: str
    missing_number: int = Field(ge=0)
    missing_proportion: float = Field(ge=0, le=1)
    unique_number: int = Field(ge=0)
    unique_proportion: float = Field(ge=0, le=1)
    mean: float | None = None
    median: float | None = None
    standard_deviation: float | None = None
    mode: str | int | float | None = None
    is_skewed: bool | None = None
    is_rare: bool | None = None


class DatasetSummary(BaseModel):
    stats: list[ColumnStats]
    probable_ids: list[str]


class Dataset(BaseModel):
    id: uuid.UUID
    hash: str
    name: str | None = None
    columns: list[ColumnDetail] | None = None
    download_url: str
    analysis_status: AnalysisStatus | None = None
    analysis_duration: float | None = None
    nb_lines: int | None = None
    nb_dimensions: int
    summary: DatasetSummary | None = None
    filetype: FileType


class Correlations(RootModel[dict[str, dict[str, float | None]]]):
    """Square matrix {label: {label: value or null}} over the non-identifier columns."""
