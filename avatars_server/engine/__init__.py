"""The Avatar engine: avatarization and privacy and signal metrics (method.md).

A pure library: DataFrames and parameters in, DataFrames and metric values out. It imports no web,
database or job code and does no file I/O.
"""

from avatars_server.engine.avatarize import AvatarizationOutput, avatarize
from avatars_server.engine.config import (
    PRIVACY_TARGETS,
    SIGNAL_TARGETS,
    AvatarizationConfig,
    ImputationConfig,
    PrivacyConfig,
    check_avatarization_parameters,
    check_privacy_parameters,
)
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.privacy import PrivacyMetricsResult, compute_privacy_metrics
from avatars_server.engine.signal import SignalMetricsResult, compute_signal_metrics

__all__ = [
    "PRIVACY_TARGETS",
    "SIGNAL_TARGETS",
    "AvatarError",
    "AvatarizationConfig",
    "AvatarizationOutput",
    "ImputationConfig",
    "PrivacyConfig",
    "PrivacyMetricsResult",
    "SignalMetricsResult",
    "avatarize",
    "check_avatarization_parameters",
    "check_privacy_parameters",
    "compute_privacy_metrics",
    "compute_signal_metrics",
]
