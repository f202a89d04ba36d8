"""Durable files: flushing to disk, crash-safe replacement, and a full disk as a 503."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from avatars_server.errors import UnavailableError

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` says the disk (or the quota) is full; pyarrow's I/O errors carry no
    errno, only the system's message."""
    if not isinstance(exc, OSError):
        return False
    return exc.errno in _DISK_FULL or "No space left on device" in str(exc)


@contextlib.contextmanager
def disk_full_as_unavailable() -> Iterator[None]:
    """Turn a full disk into a 503: the request was fine, the server cannot store it now.

    Raises:
        UnavailableError: an OSError said the disk is full (callers remove their files).
    """
    try:
        yield
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise UnavailableError(
            "The server is out of disk space and cannot store the upload. Nothing was kept; "
            "try again later, or ask the administrator to free disk space.",
        ) from exc


def fsync_path(path: Path) -> None:
    """Block until the file (or directory entry list) at `path` is on disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Files likely to be stored as they are start going to disk while they are validated, so
# the store's own flush finds little left to write.
_EARLY_FLUSH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early-flush")


def flush_soon(path: Path) -> None:
    """Start writing `path` to disk in the background (a hint: errors are ignored)."""

    def flush() -> None:
        with contextlib.suppress(OSError):  # e.g. already removed: nothing to flush
            fsync_path(path)

    _EARLY_FLUSH.submit(flush)


def durable_replace(source: Path, target: Path) -> None:
    """Move `source` to `target` so that it survives a crash once this returns.

    The data is flushed before the rename (a crash never leaves a named but partial file) and
    the directory after it (the name itself is on disk before the row is committed).
    """
    fsync_path(source)
    # os.replace is atomic on one filesystem: readers see the old file or the whole new one.
    os.replace(source, target)
    if os.name == "posix":  # elsewhere a directory cannot be opened (nor needs the flush)
        fsync_path(target.parent)
