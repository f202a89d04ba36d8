"""Contains all the data models used in inputs/outputs"""

from .compatibility_response import CompatibilityResponse
from .compatibility_status import CompatibilityStatus
from .create_user import CreateUser
from .error_response import ErrorResponse
from .forgotten_password_request import ForgottenPasswordRequest
from .get_health_db_response_get_health_db import GetHealthDbResponseGetHealthDb
from .get_health_response_get_health import GetHealthResponseGetHealth
from .get_root_response_get_root import GetRootResponseGetRoot
from .http_validation_error import HTTPValidationError
from .http_validation_error_detail_type_1 import HTTPValidationErrorDetailType1
from .login import Login
from .login_response import LoginResponse
from .message_response import MessageResponse
from .reset_password_request import ResetPasswordRequest
from .user import User
from .user_role import UserRole
from .validation_error import ValidationError

__all__ = (
    "CompatibilityResponse",
    "CompatibilityStatus",
    "CreateUser",
    "ErrorResponse",
    "ForgottenPasswordRequest",
    "GetHealthDbResponseGetHealthDb",
    "GetHealthResponseGetHealth",
    "GetRootResponseGetRoot",
    "HTTPValidationError",
    "HTTPValidationErrorDetailType1",
    "Login",
    "LoginResponse",
    "MessageResponse",
    "ResetPasswordRequest",
    "User",
    "UserRole",
    "ValidationError",
)
