"""Routes of the `stats` tag (standard tier): the job runner's state."""

from __future__ import annotations

from fastapi import APIRouter

from avatars_server.api.deps import CurrentUser, RunnerDep
from avatars_server.api.views import stats as views
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.reports import ClusterStats

router = APIRouter(tags=["stats"], responses=error_responses(401))


@router.get("/stats/cluster", operation_id="get_cluster_stats", response_model=ClusterStats)
def get_cluster_stats(user: CurrentUser, runner: RunnerDep) -> ClusterStats:
    """Tasks running on the job runner (local process pool or Dask cluster) and free slots."""
    return views.cluster_stats(runner.stats())
