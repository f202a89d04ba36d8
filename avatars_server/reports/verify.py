"""Re-verify a report's JSON evidence: hash the files, recompute every metric with the engine.

``avatars-server verify-report report.json --original a.csv --avatars b.csv
[--unshuffled c.csv]`` calls :func:`verify` and prints one line per check. The files are
read with the column types the report records, the metrics recomputed with the settings it
records (ncp, imputation, seed, known variables...), and each value compared with the reported
one (equal within 1e-9 relative). Privacy metrics need the sensitive unshuffled avatars.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pyarrow as pa

from avatars_server.datasets.columns import ColumnDescriptor, ColumnType, column_detail
from avatars_server.reports.content import (
    PRIVACY_METRIC_NAMES,
    SIGNAL_METRIC_NAMES,
    DatasetRole,
    ReportContent,
)

TOLERANCE = 1e-9
"""Relative tolerance of a match (the engine is deterministic; this absorbs float printing)."""


@dataclass(frozen=True)
class Check:
    """One verified value: what the report says, what the files give, and whether they agree.

    ``equal`` is None when the value could not be checked (``note`` says why).
    """

    name: str
    reported: float | str | None
    recomputed: float | str | None
    equal: bool | None
    note: str = ""

    def line(self) -> str:
        verdict = {True: "equal", False: "DIFFERENT", None: "not checked"}[self.equal]
        text = (
            f"{self.name:<36} reported {_show(self.reported):<22} "
            f"recomputed {_show(self.recomputed):<22} {verdict}"
        )
        return f"{text} ({self.note})" if self.note else text


def _show(value: float | str | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, float):
        return f"{value:.10g}"
    return value[:16] + "…" if len(value) > 20 else value


def same(reported: float | None, recomputed: float | None) -> bool:
    """Equal within TOLERANCE (relative, absolute below 1); both None also counts."""
    if reported is None or recomputed is None:
        return reported is None and recomputed is None
    return math.isclose(reported, recomputed, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _columns(content: ReportContent, role: DatasetRole) -> list[ColumnDescriptor]:
    dataset = content.dataset(role) or content.dataset("original")
    if dataset is None:
        raise ValueError("the report lists no original dataset")
    return [
        column_detail(c.label, cast(ColumnType, c.type), is_identifier=c.is_identifier)
        for c in dataset.column_types
    ]


def read_table(path: Path, columns: Sequence[ColumnDescriptor]) -> pd.DataFrame:
    """A CSV (any separator the server accepts) or parquet file, typed as declared.

    Raises:
        ValueError: the file cannot be read with these columns.
    """
    from avatars_server.datasets import csv_format
    from avatars_server.datasets.columns import cast_to_declared
    from avatars_server.datasets.frames import read_dataframe

    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PAR1":
        return read_dataframe(path, "parquet", columns)
    separator = csv_format.sniff_separator(path)
    labels = csv_format.read_header(path, separator)
    declared = {str(c["label"]): c for c in columns}
    missing = [label for label in declared if label not in labels]
    if missing:
        raise ValueError(f"{path}: columns {missing} of the report are missing from the file")

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in csv_format.text_batches(path, separator, labels, include=list(declared)):
            arrays = [
                cast_to_declared(batch.column(label), declared[label]["type"]) for label in declared
            ]
            yield pa.RecordBatch.from_arrays(arrays, names=list(declared))

    frame: pd.DataFrame = pa.Table.from_batches(list(batches())).to_pandas()
    for label, column in declared.items():
        if column["type"] == "category":
            frame[label] = frame[label].astype(object)
        elif column["type"] == "datetime":
            frame[label] = frame[label].astype("datetime64[ns]")
    return frame


def _roles(content: ReportContent) -> list[ColumnDescriptor]:
    """The original's columns with the roles the metrics used (to_categorical included)."""
    categorical = set(content.parameters.metrics.categorical)
    roles: list[ColumnDescriptor] = []
    for column in _columns(content, "original"):
        if column["label"] in categorical and column["type"] not in ("category", "bool"):
            column = {**column, "type": "category"}
        roles.append(column)
    return roles


def _hash_checks(content: ReportContent, files: dict[DatasetRole, Path]) -> list[Check]:
    checks = []
    for role, path in files.items():
        dataset = content.dataset(role)
        if dataset is None:
            checks.append(Check(f"sha256 {role}", None, sha256(path), None, "not in the report"))
            continue
        digest = sha256(path)
        checks.append(Check(f"sha256 {role}", dataset.sha256, digest, digest == dataset.sha256))
    return checks


def verify(
    content: ReportContent,
    original: Path,
    avatars: Path,
    unshuffled: Path | None = None,
) -> list[Check]:
    """Every check of a report against the files: hashes, privacy and signal metrics.

    Raises:
        ValueError: a file cannot be read with the report's columns, or the report is a batch
            report (its metrics aggregate several pairs; this checks one pair) or a geolocation
            privacy report (not verified: the message says how to reproduce it).
    """
    if content.provenance.kind == "from_batch":
        raise ValueError(
            "this is a batch report: its privacy metrics are the worst and its signal metrics "
            "the mean over every batch, which one original/avatars pair cannot reproduce. Check "
            "its per-batch table instead (the JSON's `batches`, one ordinary metrics job per "
            "batch gives the same values)."
        )
    if content.provenance.kind == "geolocation_privacy":
        raise ValueError(
            "this is a geolocation privacy report: verify-report recomputes the metrics of "
            "tabular reports only. Its JSON (`geolocation.scenarios`) holds every scenario's "
            "parameters; run POST /jobs/metrics/privacy_geolocation again with them on the same "
            "datasets to reproduce its values."
        )
    from avatars_server.engine import (
        ImputationConfig,
        PrivacyConfig,
        compute_privacy_metrics,
        compute_signal_metrics,
    )
    from avatars_server.jobs.steps.common import categorical, conform

    files: dict[DatasetRole, Path] = {"original": original, "avatars": avatars}
    if unshuffled is not None:
        files["unshuffled_avatars"] = unshuffled
    checks = _hash_checks(content, files)
    roles = _roles(content)
    frames = {
        role: conform(read_table(path, _columns(content, role)), roles)
        for role, path in files.items()
    }
    kinds = categorical(roles)
    settings = content.parameters.metrics

    if unshuffled is None:
        for name in PRIVACY_METRIC_NAMES:
            reported = content.metric(name)
            checks.append(
                Check(
                    name,
                    reported.value if reported else None,
                    None,
                    None,
                    "needs --unshuffled",
                )
            )
    else:
        config = PrivacyConfig(
            ncp=settings.ncp,
            imputation=ImputationConfig(
                method=settings.imputation_method,
                k=settings.imputation_k,
                training_fraction=settings.imputation_training_fraction,
            ),
            known_variables=settings.known_variables,
            target=settings.target,
            closest_rate_percentage_threshold=settings.closest_rate_percentage_threshold,
            closest_rate_ratio_threshold=settings.closest_rate_ratio_threshold,
            seed=settings.seed,
        )
        privacy = compute_privacy_metrics(
            frames["original"], frames["unshuffled_avatars"], config, categorical=kinds
        )
        for name in PRIVACY_METRIC_NAMES:
            reported = content.metric(name)
            value = reported.value if reported else None
            mine = _finite(getattr(privacy, name))
            checks.append(Check(name, value, mine, same(value, mine)))
        share = _finite(privacy.details.get("local_cloaking_share_zero"))
        reported_share = content.privacy.local_cloaking_zero_share
        if reported_share is not None:
            checks.append(
                Check(
                    "local_cloaking_zero_share",
                    reported_share,
                    share,
                    same(reported_share, share),
                )
            )

    signal = compute_signal_metrics(frames["original"], frames["avatars"], categorical=kinds)
    for name in SIGNAL_METRIC_NAMES:
        reported = content.metric(name)
        value = reported.value if reported else None
        mine = _finite(getattr(signal, name))
        checks.append(Check(name, value, mine, same(value, mine)))
    per_variable = signal.details.get("hellinger")
    recomputed = dict(per_variable) if isinstance(per_variable, dict) else {}
    for item in content.signal.hellinger_per_variable:
        mine = _finite(recomputed.get(item.name))
        checks.append(Check(f"hellinger[{item.name}]", item.value, mine, same(item.value, mine)))
    return checks


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None
