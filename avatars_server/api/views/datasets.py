"""Dataset rows as wire models (reference §3.4), and declared columns back as descriptors."""

from __future__ import annotations

from avatars_server.datasets.columns import ColumnDescriptor, column_detail
from avatars_server.schemas import datasets as schemas
from avatars_server.storage.tables import DatasetRow


def dataset_schema(row: DatasetRow, base_url: str) -> schemas.Dataset:
    """The wire model of a dataset; `download_url` is built on `base_url`."""
    summary = schemas.DatasetSummary.model_validate(row.summary) if row.summary else None
    return schemas.Dataset(
        id=row.id,
        hash=row.hash,
        name=row.name,
        columns=[schemas.ColumnDetail.model_validate(c) for c in row.columns],
        download_url=f"{base_url.rstrip('/')}/datasets/{row.id}/download",
        analysis_status=schemas.AnalysisStatus(row.analysis_status)
        if row.analysis_status
        else None,
        analysis_duration=row.analysis_duration,
        nb_lines=row.nb_lines,
        nb_dimensions=row.nb_dimensions,
        summary=summary,
        filetype=schemas.FileType(row.filetype),
    )


def column_descriptor(detail: schemas.ColumnDetail) -> ColumnDescriptor:
    """The stored descriptor of a column the client declared (`is_identifier` null is False)."""
    return column_detail(detail.label, detail.type.value, is_identifier=bool(detail.is_identifier))
