"""The 0.7.3 batch helpers at their 0.7.3 import path (`from avatars.api import ...`)."""

from avatars.batch import (
    download_avatar_dataframe_from_batch,
    download_sensitive_unshuffled_avatar_dataframe_from_batch,
    upload_batch_and_get_order,
)

__all__ = [
    "download_avatar_dataframe_from_batch",
    "download_sensitive_unshuffled_avatar_dataframe_from_batch",
    "upload_batch_and_get_order",
]
