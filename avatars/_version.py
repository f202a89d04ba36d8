"""The installed version of this client."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("avatars")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0.0.0"
