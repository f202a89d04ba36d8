"""Compilation of the server's numba kernels (issue #12), cached on disk and invalidated by any
change to the server's sources.

numba checks a cached kernel only against its own module's source, yet a kernel's object code
includes every jitted function it calls from other modules: after an update that changes, say,
``kdtree_bounds.py`` alone, ``kdtree_kernels``' cached kernels would keep running the old
distance code (numba also freezes the module-level constants a kernel reads). The locators below
stamp every cache entry of ``avatars_server`` with one digest of the packages that hold kernels
(``engine`` and ``datasets``) instead, so that any change there recompiles them all, once (about
30 CPU-s); changes elsewhere (routes, storage, jobs) keep the cache.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
from numba.core import caching

# numba's settings module (its attributes are set at import, unknown to type checkers).
_numba_config: Any = numba.config

_F = TypeVar("_F", bound=Callable[..., Any])

_PACKAGE = Path(__file__).resolve().parent.parent
# The subpackages whose modules define kernels, the functions they call and the constants they read.
KERNEL_PACKAGES = ("engine", "datasets")


def sources_digest(package: Path = _PACKAGE, subpackages: tuple[str, ...] = KERNEL_PACKAGES) -> str:
    """One digest of every ``.py`` file under ``package``'s ``subpackages`` (paths, contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for name in subpackages for p in (package / name).rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


SOURCES_DIGEST = sources_digest()


def _stamped(base: Any) -> Any:
    """numba's cache locator ``base``, for this package's files only, stamped with
    :data:`SOURCES_DIGEST` instead of the function's own file, and with the SLP setting (the
    same source compiles to other code with and without it)."""

    class Stamped(base):  # type: ignore[misc]
        def get_source_stamp(self) -> str:
            return f"{SOURCES_DIGEST}-slp{int(_numba_config.SLP_VECTORIZE)}"

        @classmethod
        def from_function(cls, py_func: Any, py_file: str) -> Any:
            if not Path(py_file).resolve().is_relative_to(_PACKAGE):
                return None
            return super().from_function(py_func, py_file)

    Stamped.__name__ = Stamped.__qualname__ = f"Stamped{base.__name__.lstrip('_')}"
    return Stamped


def _install_locators() -> None:
    """Put the stamped locators first, in numba's own order (a directory set by
    ``NUMBA_CACHE_DIR``, then ``__pycache__``, then the user's cache directory). numba names
    these classes with or without a leading underscore depending on its version."""
    found = []
    for name in ("UserProvidedCacheLocator", "InTreeCacheLocator", "UserWideCacheLocator"):
        base = getattr(caching, name, None) or getattr(caching, f"_{name}", None)
        if base is not None:
            found.append(_stamped(base))
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl")  # noqa: B009
    classes = impl._locator_classes
    classes[:0] = [c for c in found if c.__name__ not in {k.__name__ for k in classes}]


_install_locators()


def _vectorize_straight_line_code() -> None:
    """Let LLVM's SLP vectorizer pack independent scalar operations into SIMD lanes, as in the
    kNN walk's bounds of a wide node's 8 boxes (numba leaves it off by default; a user's
    ``NUMBA_SLP_VECTORIZE`` still wins). It never reorders floating-point operations, so the
    results keep their bits; the 1M kNN took about 6 % less CPU with it."""
    if "NUMBA_SLP_VECTORIZE" not in os.environ:
        _numba_config.SLP_VECTORIZE = 1


_vectorize_straight_line_code()


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
