"""Files a job records for the metrics and reports routes: JSON pieces and coordinate arrays.

Each job has a directory ``<data_dir>/jobs/<job_id>/`` written once, by the job's worker,
before the job is marked `success`; every file is written to a temporary name, flushed and
renamed, so a reader sees a whole file or none. Reading never recomputes anything, so an answer
never changes when asked twice.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from avatars_server.config import Settings
from avatars_server.storage.files import fsync_path

PROJECTION = "projection"
"""JSON: eigenvalues, ratios, contributions and the figure sample of the job's FAMD."""
PRIVACY = "privacy"
"""JSON: histograms of local cloaking, DCR and NNDR, shares, and the metric settings."""
SIGNAL = "signal"
"""JSON: per-variable Hellinger, distributions and correlation matrices."""
GEOLOCATION = "geolocation"
"""JSON: a geolocation privacy job's trajectory sample (the report's map) and its id column."""
RECORDS = "records"
"""Array (n, c): originals' coordinates on the first c ≤ 3 axes."""
AVATARS = "avatars"
"""Array (n, c): row-aligned avatars' coordinates on the same axes."""


def job_dir(settings: Settings, job_id: uuid.UUID | str) -> Path:
    return settings.data_dir / "jobs" / str(uuid.UUID(str(job_id)))


def _replace_durably(settings: Settings, target: Path, write: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        fsync_path(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(settings: Settings, job_id: uuid.UUID | str, name: str, data: Any) -> None:
    """Record ``data`` (JSON-compatible, finite numbers) as ``<name>.json`` of the job."""
    text = json.dumps(data, allow_nan=False, separators=(",", ":"))
    _replace_durably(
        settings,
        job_dir(settings, job_id) / f"{name}.json",
        lambda path: path.write_text(text, encoding="utf-8"),
    )


def read_json(settings: Settings, job_id: uuid.UUID | str, name: str) -> Any | None:
    """The recorded ``<name>.json`` of the job, or None when the job recorded none."""
    path = job_dir(settings, job_id) / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_array(
    settings: Settings, job_id: uuid.UUID | str, name: str, array: npt.NDArray[Any]
) -> None:
    """Record ``array`` as ``<name>.npy`` of the job."""

    def write(path: Path) -> None:
        with path.open("wb") as handle:
            np.save(handle, np.ascontiguousarray(array), allow_pickle=False)

    _replace_durably(settings, job_dir(settings, job_id) / f"{name}.npy", write)


def open_array(
    settings: Settings, job_id: uuid.UUID | str, name: str
) -> npt.NDArray[np.float64] | None:
    """The recorded array, memory-mapped read-only (never loaded whole), or None."""
    path = job_dir(settings, job_id) / f"{name}.npy"
    try:
        array: npt.NDArray[np.float64] = np.load(path, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        return None
    return array
