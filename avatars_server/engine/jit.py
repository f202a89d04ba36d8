"""Compilation of the engine's numba kernels (issue #12)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

_F = TypeVar("_F", bound=Callable[..., Any])


def jit(parallel: bool = False, inline: bool = False) -> Callable[[_F], _F]:
    """``numba.njit`` with an on-disk cache, falling back to no cache when none is writable.

    numba caches next to the decorated function's module (``__pycache__``) or, on a read-only
    checkout, under ``NUMBA_CACHE_DIR`` / the user's cache directory; when neither is writable
    the kernels are compiled in each process instead of failing at import.
    """

    def wrap(function: _F) -> _F:
        options: dict[str, Any] = {"nogil": True, "parallel": parallel, "error_model": "numpy"}
        if inline:
            options["inline"] = "always"
        try:
            compiled = numba.njit(cache=True, **options)(function)
        except RuntimeError:  # "cannot cache function ...: no locator available"
            compiled = numba.njit(cache=False, **options)(function)
        return cast(_F, compiled)

    return wrap
