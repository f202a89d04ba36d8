"""Giving freed memory back to the operating system after a large computation (issue 12).

glibc's allocator keeps the memory of freed arrays of up to 32 MB in its heaps (the threshold
above which it maps and unmaps each array rises with the arrays freed), so after the metrics of a
million rows a process can hold a few hundred MB that nothing uses, and the next stage's peak
starts from there. ``malloc_trim`` returns it; elsewhere (other C libraries) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def release_free_memory() -> None:
    """Return the allocator's free memory to the operating system (glibc), else nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
