"""The avatars reference server: FastAPI routes over storage, a job runner and the engine."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("avatars")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
