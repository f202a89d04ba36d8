"""Creation-time checks of the geolocation privacy job (method-extended.md §4)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.engine import AvatarError
from avatars_server.jobs.validation.common import (
    NCP_CHECK_MAX_CELLS,
    _from_engine,
    _owned,
    invalid,
)
from avatars_server.schemas.geolocation import PrivacyMetricsGeolocationParameters
from avatars_server.storage.datasets import read_dataframe

# --- geolocation privacy (issue #17, method-extended §4) ----------------------------------------


def check_geolocation(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: PrivacyMetricsGeolocationParameters,
) -> None:
    """404 for another user's dataset; 422 for a scenario or trajectory data that cannot work.

    The data themselves (coordinates, ids) are checked here up to NCP_CHECK_MAX_CELLS cells;
    larger datasets are checked by the job, which then fails with the same message.
    """
    from avatars_server.engine.geolocation import check_scenario
    from avatars_server.engine.trajectories import paired
    from avatars_server.jobs.steps.geolocation import id_column, scenario

    original = _owned(session, parameters.original_dataset_id, owner_id)
    avatars = _owned(session, parameters.unshuffled_avatar_dataset_id, owner_id)
    for index, values in enumerate(parameters.scenarios):
        try:
            check_scenario(scenario(values.model_dump(mode="json")), index)
        except AvatarError as exc:
            raise _from_engine(exc) from exc
    id_label = id_column(original.columns or [])
    for row, field in (
        (original, "original_dataset_id"),
        (avatars, "unshuffled_avatar_dataset_id"),
    ):
        labels = {str(c["label"]) for c in row.columns or []}
        missing = [c for c in (id_label, "t", "lat", "lon") if c not in labels]
        if missing:
            raise invalid(
                f"parameters.{field}",
                f"the dataset has no column {missing}: trajectory data needs an identifier "
                f"column ({id_label!r}), a time column 't' and 'lat' and 'lon' in decimal degrees",
                "MISSING_GEO_COLUMN",
            )
    cells = sum(int(r.nb_lines or 0) * len(r.columns or []) for r in (original, avatars))
    if cells > NCP_CHECK_MAX_CELLS:
        return
    try:
        trajectories, _ = paired(
            read_dataframe(settings, original), read_dataframe(settings, avatars), id_label
        )
    except AvatarError as exc:
        field = "original_dataset_id" if exc.field == "original" else "unshuffled_avatar_dataset_id"
        raise invalid(f"parameters.{field}", exc.message, exc.code) from exc
    if trajectories.n < 2:
        raise invalid(
            "parameters.original_dataset_id",
            f"geolocation metrics need at least 2 trajectories, got {trajectories.n}",
            "TOO_FEW_ROWS",
        )
