"""Checks run when a job is created, so that parameters that cannot work answer 404/422 at once
instead of failing later in a worker.

One module per job family; the routes call the functions re-exported here.
"""

from avatars_server.jobs.validation.batch import (
    check_avatarization_batch,
    check_privacy_batch,
    check_signal_batch,
)
from avatars_server.jobs.validation.common import NCP_CHECK_MAX_CELLS, check_kind, invalid
from avatars_server.jobs.validation.core import check_avatarization, check_privacy, check_signal
from avatars_server.jobs.validation.geolocation import check_geolocation
from avatars_server.jobs.validation.multitable import (
    check_multi_table_avatarization,
    check_multi_table_privacy,
)
from avatars_server.jobs.validation.time_series import (
    check_avatarization_time_series,
    check_privacy_time_series,
    check_signal_time_series,
)

__all__ = [
    "NCP_CHECK_MAX_CELLS",
    "check_avatarization",
    "check_avatarization_batch",
    "check_avatarization_time_series",
    "check_geolocation",
    "check_kind",
    "check_multi_table_avatarization",
    "check_multi_table_privacy",
    "check_privacy",
    "check_privacy_batch",
    "check_privacy_time_series",
    "check_signal",
    "check_signal_batch",
    "check_signal_time_series",
    "invalid",
]
