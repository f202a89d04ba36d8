"""Python client of the Avatar synthetic-data API."""

from avatars._version import __version__
from avatars.client import ApiClient

__all__ = ["ApiClient", "__version__"]
