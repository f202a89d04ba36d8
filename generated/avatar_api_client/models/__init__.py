"""Contains all the data models used in inputs/outputs"""

from .analysis_status import AnalysisStatus
from .avatarization_job import AvatarizationJob
from .avatarization_job_create import AvatarizationJobCreate
from .avatarization_multi_table_job import AvatarizationMultiTableJob
from .avatarization_multi_table_job_create import AvatarizationMultiTableJobCreate
from .avatarization_multi_table_parameters import AvatarizationMultiTableParameters
from .avatarization_multi_table_result import AvatarizationMultiTableResult
from .avatarization_parameters import AvatarizationParameters
from .avatarization_parameters_column_weights_type_0 import (
    AvatarizationParametersColumnWeightsType0,
)
from .avatarization_result import AvatarizationResult
from .avatarization_result_per_dataset import AvatarizationResultPerDataset
from .base_avatarization_parameters import BaseAvatarizationParameters
from .base_avatarization_parameters_column_weights_type_0 import (
    BaseAvatarizationParametersColumnWeightsType0,
)
from .base_avatarization_with_time_series_parameters import (
    BaseAvatarizationWithTimeSeriesParameters,
)
from .base_avatarization_with_time_series_parameters_column_weights_type_0 import (
    BaseAvatarizationWithTimeSeriesParametersColumnWeightsType0,
)
from .base_avatarization_with_time_series_parameters_time_series_item import (
    BaseAvatarizationWithTimeSeriesParametersTimeSeriesItem,
)
from .base_privacy_metrics_parameters import BasePrivacyMetricsParameters
from .base_privacy_metrics_with_time_series_parameters import (
    BasePrivacyMetricsWithTimeSeriesParameters,
)
from .base_privacy_metrics_with_time_series_parameters_time_series_item import (
    BasePrivacyMetricsWithTimeSeriesParametersTimeSeriesItem,
)
from .column_detail import ColumnDetail
from .column_stats import ColumnStats
from .column_type import ColumnType
from .compatibility_response import CompatibilityResponse
from .compatibility_status import CompatibilityStatus
from .correlations import Correlations
from .correlations_additional_property import CorrelationsAdditionalProperty
from .create_dataset_body import CreateDatasetBody
from .create_dataset_from_stream_body import CreateDatasetFromStreamBody
from .create_user import CreateUser
from .dataset import Dataset
from .dataset_summary import DatasetSummary
from .error_response import ErrorResponse
from .exclude_categorical_method import ExcludeCategoricalMethod
from .exclude_categorical_parameters import ExcludeCategoricalParameters
from .file_type import FileType
from .forgotten_password_request import ForgottenPasswordRequest
from .generic_job import GenericJob
from .generic_parameters import GenericParameters
from .generic_result import GenericResult
from .geolocation_density_parameters import GeolocationDensityParameters
from .geolocation_features import GeolocationFeatures
from .geolocation_features_parameters import GeolocationFeaturesParameters
from .geolocation_privacy_metrics import GeolocationPrivacyMetrics
from .get_health_db_response_get_health_db import GetHealthDbResponseGetHealthDb
from .get_health_response_get_health import GetHealthResponseGetHealth
from .get_root_response_get_root import GetRootResponseGetRoot
from .http_validation_error import HTTPValidationError
from .http_validation_error_detail_type_1 import HTTPValidationErrorDetailType1
from .imputation_parameters import ImputationParameters
from .impute_method import ImputeMethod
from .job_kind import JobKind
from .job_progress import JobProgress
from .job_status import JobStatus
from .link_method import LinkMethod
from .login import Login
from .login_response import LoginResponse
from .message_response import MessageResponse
from .meta_privacy_metrics import MetaPrivacyMetrics
from .patch_dataset import PatchDataset
from .point_of_interest import PointOfInterest
from .privacy_metrics import PrivacyMetrics
from .privacy_metrics_computation_type import PrivacyMetricsComputationType
from .privacy_metrics_geolocation_job import PrivacyMetricsGeolocationJob
from .privacy_metrics_geolocation_job_create import PrivacyMetricsGeolocationJobCreate
from .privacy_metrics_geolocation_parameters import PrivacyMetricsGeolocationParameters
from .privacy_metrics_geolocation_result import PrivacyMetricsGeolocationResult
from .privacy_metrics_geolocation_scenario import PrivacyMetricsGeolocationScenario
from .privacy_metrics_geolocation_scenario_result import (
    PrivacyMetricsGeolocationScenarioResult,
)
from .privacy_metrics_job import PrivacyMetricsJob
from .privacy_metrics_job_create import PrivacyMetricsJobCreate
from .privacy_metrics_multi_table_job import PrivacyMetricsMultiTableJob
from .privacy_metrics_multi_table_job_create import PrivacyMetricsMultiTableJobCreate
from .privacy_metrics_multi_table_parameters import PrivacyMetricsMultiTableParameters
from .privacy_metrics_parameters import PrivacyMetricsParameters
from .privacy_metrics_per_multi_table_dataset import PrivacyMetricsPerMultiTableDataset
from .privacy_metrics_targets import PrivacyMetricsTargets
from .rare_categorical_method import RareCategoricalMethod
from .reset_password_request import ResetPasswordRequest
from .signal_metrics import SignalMetrics
from .signal_metrics_job import SignalMetricsJob
from .signal_metrics_job_create import SignalMetricsJobCreate
from .signal_metrics_parameters import SignalMetricsParameters
from .signal_metrics_targets import SignalMetricsTargets
from .signal_position import SignalPosition
from .table_link import TableLink
from .table_reference import TableReference
from .user import User
from .user_role import UserRole
from .validation_error import ValidationError

__all__ = (
    "AnalysisStatus",
    "AvatarizationJob",
    "AvatarizationJobCreate",
    "AvatarizationMultiTableJob",
    "AvatarizationMultiTableJobCreate",
    "AvatarizationMultiTableParameters",
    "AvatarizationMultiTableResult",
    "AvatarizationParameters",
    "AvatarizationParametersColumnWeightsType0",
    "AvatarizationResult",
    "AvatarizationResultPerDataset",
    "BaseAvatarizationParameters",
    "BaseAvatarizationParametersColumnWeightsType0",
    "BaseAvatarizationWithTimeSeriesParameters",
    "BaseAvatarizationWithTimeSeriesParametersColumnWeightsType0",
    "BaseAvatarizationWithTimeSeriesParametersTimeSeriesItem",
    "BasePrivacyMetricsParameters",
    "BasePrivacyMetricsWithTimeSeriesParameters",
    "BasePrivacyMetricsWithTimeSeriesParametersTimeSeriesItem",
    "ColumnDetail",
    "ColumnStats",
    "ColumnType",
    "CompatibilityResponse",
    "CompatibilityStatus",
    "Correlations",
    "CorrelationsAdditionalProperty",
    "CreateDatasetBody",
    "CreateDatasetFromStreamBody",
    "CreateUser",
    "Dataset",
    "DatasetSummary",
    "ErrorResponse",
    "ExcludeCategoricalMethod",
    "ExcludeCategoricalParameters",
    "FileType",
    "ForgottenPasswordRequest",
    "GenericJob",
    "GenericParameters",
    "GenericResult",
    "GeolocationDensityParameters",
    "GeolocationFeatures",
    "GeolocationFeaturesParameters",
    "GeolocationPrivacyMetrics",
    "GetHealthDbResponseGetHealthDb",
    "GetHealthResponseGetHealth",
    "GetRootResponseGetRoot",
    "HTTPValidationError",
    "HTTPValidationErrorDetailType1",
    "ImputationParameters",
    "ImputeMethod",
    "JobKind",
    "JobProgress",
    "JobStatus",
    "LinkMethod",
    "Login",
    "LoginResponse",
    "MessageResponse",
    "MetaPrivacyMetrics",
    "PatchDataset",
    "PointOfInterest",
    "PrivacyMetrics",
    "PrivacyMetricsComputationType",
    "PrivacyMetricsGeolocationJob",
    "PrivacyMetricsGeolocationJobCreate",
    "PrivacyMetricsGeolocationParameters",
    "PrivacyMetricsGeolocationResult",
    "PrivacyMetricsGeolocationScenario",
    "PrivacyMetricsGeolocationScenarioResult",
    "PrivacyMetricsJob",
    "PrivacyMetricsJobCreate",
    "PrivacyMetricsMultiTableJob",
    "PrivacyMetricsMultiTableJobCreate",
    "PrivacyMetricsMultiTableParameters",
    "PrivacyMetricsParameters",
    "PrivacyMetricsPerMultiTableDataset",
    "PrivacyMetricsTargets",
    "RareCategoricalMethod",
    "ResetPasswordRequest",
    "SignalMetrics",
    "SignalMetricsJob",
    "SignalMetricsJobCreate",
    "SignalMetricsParameters",
    "SignalMetricsTargets",
    "SignalPosition",
    "TableLink",
    "TableReference",
    "User",
    "UserRole",
    "ValidationError",
)
