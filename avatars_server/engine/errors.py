"""The single exception type raised by the engine for rejected inputs."""

from __future__ import annotations

from typing import Literal

ErrorCode = Literal[
    "INVALID_K",
    "INVALID_NCP",
    "UNKNOWN_COLUMN",
    "INVALID_COLUMN_WEIGHT",
    "INVALID_IMPUTATION",
    "INVALID_SEED",
    "TOO_FEW_ROWS",
    "NO_VARIABLES",
    "EMPTY_COLUMN",
    "NON_FINITE_VALUE",
    "DUPLICATE_COLUMN",
    "TOO_MANY_DIMENSIONS",
    "INVALID_METRIC_PARAMETER",
    "INVALID_EXCLUDE_CATEGORICAL",
    # Time series (method-extended.md §0.3).
    "NO_ID_COLUMN",
    "NO_TIME_COLUMN",
    "NON_NUMERIC_SERIES_COLUMN",
    "UNKNOWN_INDIVIDUAL",
    "INVALID_NF",
    "DUPLICATE_KEY",
    "INDIVIDUAL_MISMATCH",
    "DATASET_SCHEMA_MISMATCH",
    "UNSEEN_MODALITY",
    # Multi-table, geolocation (method-extended.md §0.3).
    "INVALID_TABLE_LINKS",
    "ORPHAN_ROW",
    "MISSING_GEO_COLUMN",
    "INVALID_COORDINATE",
]


class AvatarError(Exception):
    """An input the engine rejects (method.md §2.3).

    Attributes:
        code: stable machine-readable code, one of :data:`ErrorCode`.
        field: the offending parameter or column (``"k"``, ``"column_weights"``, ...), or None.
        message: human-readable explanation naming the parameter and its valid range.
    """

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code: str = code
        self.field: str | None = field
        self.message: str = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __repr__(self) -> str:
        return f"AvatarError(code={self.code!r}, field={self.field!r}, message={self.message!r})"
