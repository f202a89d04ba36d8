"""The job runner's state as the wire `ClusterStats` (reference §2.9)."""

from __future__ import annotations

from avatars_server.jobs.runner import RunnerStats
from avatars_server.schemas.reports import ClusterStats


def cluster_stats(stats: RunnerStats) -> ClusterStats:
    busy = min(stats.active, stats.capacity)
    return ClusterStats(
        n_active_tasks=stats.active,
        available_concurrency=max(0, stats.capacity - stats.active),
        utilization_rate_100=round(100 * busy / stats.capacity) if stats.capacity else 0,
        status_message=f"{stats.description}: {stats.active} task(s) running, "
        f"{stats.capacity} slot(s)",
    )
