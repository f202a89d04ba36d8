"""Contains all the data models used in inputs/outputs"""

from .analysis_status import AnalysisStatus
from .avatarization_batch_job import AvatarizationBatchJob
from .avatarization_batch_job_create import AvatarizationBatchJobCreate
from .avatarization_batch_parameters import AvatarizationBatchParameters
from .avatarization_batch_parameters_column_weights_type_0 import (
    AvatarizationBatchParametersColumnWeightsType0,
)
from .avatarization_batch_result import AvatarizationBatchResult
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
from .avatarization_per_batch_result import AvatarizationPerBatchResult
from .avatarization_result import AvatarizationResult
from .avatarization_result_per_dataset import AvatarizationResultPerDataset
from .avatarization_time_series_parameters import AvatarizationTimeSeriesParameters
from .avatarization_with_time_series_job import AvatarizationWithTimeSeriesJob
from .avatarization_with_time_series_job_create import (
    AvatarizationWithTimeSeriesJobCreate,
)
from .avatarization_with_time_series_parameters import (
    AvatarizationWithTimeSeriesParameters,
)
from .avatarization_with_time_series_parameters_column_weights_type_0 import (
    AvatarizationWithTimeSeriesParametersColumnWeightsType0,
)
from .avatarization_with_time_series_result import AvatarizationWithTimeSeriesResult
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
from .base_privacy_metrics_parameters import BasePrivacyMetricsParameters
from .base_privacy_metrics_with_time_series_parameters import (
    BasePrivacyMetricsWithTimeSeriesParameters,
)
from .cluster_stats import ClusterStats
from .column_detail import ColumnDetail
from .column_stats import ColumnStats
from .column_type import ColumnType
from .common_privacy_metrics_parameters import CommonPrivacyMetricsParameters
from .common_signal_metrics_parameters import CommonSignalMetricsParameters
from .compatibility_response import CompatibilityResponse
from .compatibility_status import CompatibilityStatus
from .contributions import Contributions
from .contributions_data import ContributionsData
from .contributions_data_additional_property import ContributionsDataAdditionalProperty
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
from .explained_variance import ExplainedVariance
from .file_type import FileType
from .flatten_parameters import FlattenParameters
from .forgotten_password_request import ForgottenPasswordRequest
from .fpca_parameters import FPCAParameters
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
from .meta_signal_metrics import MetaSignalMetrics
from .patch_dataset import PatchDataset
from .point_of_interest import PointOfInterest
from .privacy_batch_dataset_mapping import PrivacyBatchDatasetMapping
from .privacy_metrics import PrivacyMetrics
from .privacy_metrics_batch_job import PrivacyMetricsBatchJob
from .privacy_metrics_batch_job_create import PrivacyMetricsBatchJobCreate
from .privacy_metrics_batch_parameters import PrivacyMetricsBatchParameters
from .privacy_metrics_batch_result import PrivacyMetricsBatchResult
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
from .privacy_metrics_per_batch_result import PrivacyMetricsPerBatchResult
from .privacy_metrics_per_multi_table_dataset import PrivacyMetricsPerMultiTableDataset
from .privacy_metrics_per_time_series_dataset import PrivacyMetricsPerTimeSeriesDataset
from .privacy_metrics_targets import PrivacyMetricsTargets
from .privacy_metrics_time_series_parameters import PrivacyMetricsTimeSeriesParameters
from .privacy_metrics_with_time_series_job import PrivacyMetricsWithTimeSeriesJob
from .privacy_metrics_with_time_series_job_create import (
    PrivacyMetricsWithTimeSeriesJobCreate,
)
from .privacy_metrics_with_time_series_parameters import (
    PrivacyMetricsWithTimeSeriesParameters,
)
from .projections import Projections
from .rare_categorical_method import RareCategoricalMethod
from .report import Report
from .report_create import ReportCreate
from .report_format import ReportFormat
from .report_from_batch_create import ReportFromBatchCreate
from .report_from_data_create import ReportFromDataCreate
from .report_geolocation_privacy_create import ReportGeolocationPrivacyCreate
from .reset_password_request import ResetPasswordRequest
from .signal_batch_dataset_mapping import SignalBatchDatasetMapping
from .signal_metrics import SignalMetrics
from .signal_metrics_batch_job import SignalMetricsBatchJob
from .signal_metrics_batch_job_create import SignalMetricsBatchJobCreate
from .signal_metrics_batch_parameters import SignalMetricsBatchParameters
from .signal_metrics_batch_result import SignalMetricsBatchResult
from .signal_metrics_job import SignalMetricsJob
from .signal_metrics_job_create import SignalMetricsJobCreate
from .signal_metrics_parameters import SignalMetricsParameters
from .signal_metrics_per_batch_result import SignalMetricsPerBatchResult
from .signal_metrics_per_dataset import SignalMetricsPerDataset
from .signal_metrics_targets import SignalMetricsTargets
from .signal_metrics_time_series_parameters import SignalMetricsTimeSeriesParameters
from .signal_metrics_with_time_series_job import SignalMetricsWithTimeSeriesJob
from .signal_metrics_with_time_series_job_create import (
    SignalMetricsWithTimeSeriesJobCreate,
)
from .signal_metrics_with_time_series_parameters import (
    SignalMetricsWithTimeSeriesParameters,
)
from .signal_position import SignalPosition
from .table_link import TableLink
from .table_reference import TableReference
from .time_series_signal_metrics_per_dataset import TimeSeriesSignalMetricsPerDataset
from .user import User
from .user_role import UserRole
from .validation_error import ValidationError

__all__ = (
    "AnalysisStatus",
    "AvatarizationBatchJob",
    "AvatarizationBatchJobCreate",
    "AvatarizationBatchParameters",
    "AvatarizationBatchParametersColumnWeightsType0",
    "AvatarizationBatchResult",
    "AvatarizationJob",
    "AvatarizationJobCreate",
    "AvatarizationMultiTableJob",
    "AvatarizationMultiTableJobCreate",
    "AvatarizationMultiTableParameters",
    "AvatarizationMultiTableResult",
    "AvatarizationParameters",
    "AvatarizationParametersColumnWeightsType0",
    "AvatarizationPerBatchResult",
    "AvatarizationResult",
    "AvatarizationResultPerDataset",
    "AvatarizationTimeSeriesParameters",
    "AvatarizationWithTimeSeriesJob",
    "AvatarizationWithTimeSeriesJobCreate",
    "AvatarizationWithTimeSeriesParameters",
    "AvatarizationWithTimeSeriesParametersColumnWeightsType0",
    "AvatarizationWithTimeSeriesResult",
    "BaseAvatarizationParameters",
    "BaseAvatarizationParametersColumnWeightsType0",
    "BaseAvatarizationWithTimeSeriesParameters",
    "BaseAvatarizationWithTimeSeriesParametersColumnWeightsType0",
    "BasePrivacyMetricsParameters",
    "BasePrivacyMetricsWithTimeSeriesParameters",
    "ClusterStats",
    "ColumnDetail",
    "ColumnStats",
    "ColumnType",
    "CommonPrivacyMetricsParameters",
    "CommonSignalMetricsParameters",
    "CompatibilityResponse",
    "CompatibilityStatus",
    "Contributions",
    "ContributionsData",
    "ContributionsDataAdditionalProperty",
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
    "ExplainedVariance",
    "FileType",
    "FlattenParameters",
    "ForgottenPasswordRequest",
    "FPCAParameters",
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
    "MetaSignalMetrics",
    "PatchDataset",
    "PointOfInterest",
    "PrivacyBatchDatasetMapping",
    "PrivacyMetrics",
    "PrivacyMetricsBatchJob",
    "PrivacyMetricsBatchJobCreate",
    "PrivacyMetricsBatchParameters",
    "PrivacyMetricsBatchResult",
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
    "PrivacyMetricsPerBatchResult",
    "PrivacyMetricsPerMultiTableDataset",
    "PrivacyMetricsPerTimeSeriesDataset",
    "PrivacyMetricsTargets",
    "PrivacyMetricsTimeSeriesParameters",
    "PrivacyMetricsWithTimeSeriesJob",
    "PrivacyMetricsWithTimeSeriesJobCreate",
    "PrivacyMetricsWithTimeSeriesParameters",
    "Projections",
    "RareCategoricalMethod",
    "Report",
    "ReportCreate",
    "ReportFormat",
    "ReportFromBatchCreate",
    "ReportFromDataCreate",
    "ReportGeolocationPrivacyCreate",
    "ResetPasswordRequest",
    "SignalBatchDatasetMapping",
    "SignalMetrics",
    "SignalMetricsBatchJob",
    "SignalMetricsBatchJobCreate",
    "SignalMetricsBatchParameters",
    "SignalMetricsBatchResult",
    "SignalMetricsJob",
    "SignalMetricsJobCreate",
    "SignalMetricsParameters",
    "SignalMetricsPerBatchResult",
    "SignalMetricsPerDataset",
    "SignalMetricsTargets",
    "SignalMetricsTimeSeriesParameters",
    "SignalMetricsWithTimeSeriesJob",
    "SignalMetricsWithTimeSeriesJobCreate",
    "SignalMetricsWithTimeSeriesParameters",
    "SignalPosition",
    "TableLink",
    "TableReference",
    "TimeSeriesSignalMetricsPerDataset",
    "User",
    "UserRole",
    "ValidationError",
)
