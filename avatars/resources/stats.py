"""The `stats` namespace: the server's job runner."""

from __future__ import annotations

from avatar_api_client.api.stats import get_cluster_stats
from avatar_api_client.models import ClusterStats
from avatars._response import parsed
from avatars.resources._base import Resource


class Stats(Resource):
    def get_cluster_stats(self, *, timeout: float | None = None) -> ClusterStats:
        """Tasks running on the server's job runner (process pool or Dask) and free slots."""
        with self._client.request_options(timeout):
            response = get_cluster_stats.sync_detailed(client=self._client.generated)
        return parsed(response, ClusterStats)
