from enum import StrEnum


class JobKind(StrEnum):
    AVATARIZATION = "avatarization"
    AVATARIZATION_BATCH = "avatarization_batch"
    AVATARIZATION_MULTI_TABLE = "avatarization_multi_table"
    AVATARIZATION_WITH_TIME_SERIES = "avatarization_with_time_series"
    GENERIC = "generic"
    PRIVACY_METRICS = "privacy_metrics"
    PRIVACY_METRICS_BATCH = "privacy_metrics_batch"
    PRIVACY_METRICS_GEOLOCATION = "privacy_metrics_geolocation"
    PRIVACY_METRICS_MULTI_TABLE = "privacy_metrics_multi_table"
    PRIVACY_METRICS_WITH_TIME_SERIES = "privacy_metrics_with_time_series"
    SIGNAL_METRICS = "signal_metrics"
    SIGNAL_METRICS_BATCH = "signal_metrics_batch"
    SIGNAL_METRICS_WITH_TIME_SERIES = "signal_metrics_with_time_series"
    avatarization = "avatarization"  # 0.7.x spelling (ImputeMethod.knn), an alias
    avatarization_batch = (
        "avatarization_batch"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    avatarization_multi_table = (
        "avatarization_multi_table"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    avatarization_with_time_series = (
        "avatarization_with_time_series"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    generic = "generic"  # 0.7.x spelling (ImputeMethod.knn), an alias
    privacy_metrics = "privacy_metrics"  # 0.7.x spelling (ImputeMethod.knn), an alias
    privacy_metrics_batch = (
        "privacy_metrics_batch"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    privacy_metrics_geolocation = (
        "privacy_metrics_geolocation"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    privacy_metrics_multi_table = (
        "privacy_metrics_multi_table"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    privacy_metrics_with_time_series = "privacy_metrics_with_time_series"  # 0.7.x spelling (ImputeMethod.knn), an alias
    signal_metrics = "signal_metrics"  # 0.7.x spelling (ImputeMethod.knn), an alias
    signal_metrics_batch = (
        "signal_metrics_batch"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )
    signal_metrics_with_time_series = (
        "signal_metrics_with_time_series"  # 0.7.x spelling (ImputeMethod.knn), an alias
    )

    def __str__(self) -> str:
        return str(self.value)
