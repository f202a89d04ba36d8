"""Routes of the `metrics` tag (standard tier): projections, contributions, explained variance.

Every answer comes from what the job recorded when it ran (avatar-api §2.7), so it never
changes when asked twice.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from avatars_server.api.deps import CurrentUser, SessionDep, SettingsDep
from avatars_server.api.views import metrics as views
from avatars_server.errors import ConflictError
from avatars_server.reports import service
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.metrics import Contributions, ExplainedVariance, Projections
from avatars_server.storage import artifacts

router = APIRouter(tags=["metrics"], responses=error_responses(401))

_PROJECTIONS_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Coordinates of the originals and of their avatars",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Projections"}}},
    }
}


@router.get(
    "/projections/{job_id}",
    operation_id="get_job_projections",
    response_model=Projections,
    response_class=StreamingResponse,
    responses={**_PROJECTIONS_CONTENT, **error_responses(404, 409)},
)
def get_job_projections(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> StreamingResponse:
    """Coordinates of each original and of its avatar on the first three axes of the FAMD the
    job fitted (an avatarization job, or a privacy metrics job's metric projection)."""
    job, _ = service.projection_job(session, settings, job_id, user.id)
    records = artifacts.open_array(settings, job.id, artifacts.RECORDS)
    avatars = artifacts.open_array(settings, job.id, artifacts.AVATARS)
    if records is None or avatars is None:
        raise ConflictError(
            f"Job {job.id} recorded no coordinates. Run the job again to get its projections."
        )
    return StreamingResponse(
        views.projections_body(records, avatars), media_type="application/json"
    )


@router.get(
    "/contributions",
    operation_id="get_variable_contributions",
    response_model=Contributions,
    responses=error_responses(404, 409),
)
def get_variable_contributions(
    job_id: Annotated[uuid.UUID, Query(description="An avatarization or privacy metrics job")],
    dataset_id: Annotated[
        uuid.UUID, Query(description="The job's original dataset, or one of its avatar datasets")
    ],
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Contributions:
    """Contribution in percent of each variable to each component, on the given dataset."""
    job, recorded = service.projection_job(session, settings, job_id, user.id)
    role = service.contributions_role(session, job, dataset_id, user.id)
    return Contributions(data=recorded["contributions"][role])


@router.get(
    "/variance/{job_id}",
    operation_id="get_explained_variance",
    response_model=ExplainedVariance,
    responses=error_responses(404, 409),
)
def get_explained_variance(
    job_id: uuid.UUID, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ExplainedVariance:
    """Variance and share of the total variance of every component of the job's FAMD."""
    _, recorded = service.projection_job(session, settings, job_id, user.id)
    return views.explained_variance(recorded)
