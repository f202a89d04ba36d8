"""Independent pieces of work (one per series dataset, or originals and avatars) run side by side.

The pieces are pure numpy / pandas work on separate data, most of which releases the GIL, so two
threads keep both cores busy where one would leave the second idle between the parallel kernels.
Results come back in order and the first failing piece's error is raised, as a plain loop would;
with one thread allowed (``NUMBA_NUM_THREADS=1``, the engine's thread setting) it is that loop.

The pieces call numba's parallel kernels, so two of them run at once only on a thread-safe
threading layer (OpenMP or TBB); numba's fallback layer, ``workqueue``, aborts the process when two
threads launch kernels at once, so on it the pieces run one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import numba
import numpy as np
from numba import prange

from avatars_server.engine.jit import jit

_T = TypeVar("_T")
_THREAD_SAFE_LAYERS = ("omp", "tbb")


@jit(parallel=True)
def _launch(values: Any) -> float:  # pragma: no cover - compiled
    """A trivial parallel kernel: running it makes numba choose its threading layer."""
    total = 0.0
    for i in prange(values.shape[0]):
        total += values[i]
    return total


def _side_by_side() -> int:
    """How many pieces may run at once: the engine's threads on a thread-safe layer, else 1."""
    threads = numba.get_num_threads()
    if threads < 2:
        return 1
    chosen: Callable[[], str] = numba.threading_layer  # type: ignore[attr-defined]
    try:
        layer = chosen()
    except ValueError:  # no parallel kernel has run in this process yet: launch one
        _launch(np.zeros(2))
        layer = chosen()
    return threads if layer in _THREAD_SAFE_LAYERS else 1


def run_all(tasks: Sequence[Callable[[], _T]]) -> list[_T]:
    """Run the tasks, at most as many at once as the engine's threads, and return their results
    in order."""
    workers = min(len(tasks), _side_by_side())
    if workers < 2:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [future.result() for future in futures]


class Background(Generic[_T]):
    """A task started now in a thread of its own and collected with :meth:`result`; with one
    thread allowed, it runs only when collected (so errors come in the order of a plain loop)."""

    def __init__(self, task: Callable[[], _T]) -> None:
        self._task = task
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[_T] | None = None
        if _side_by_side() >= 2:
            self._pool = ThreadPoolExecutor(max_workers=1)
            self._future = self._pool.submit(task)

    def result(self) -> _T:
        """The task's result (or its error)."""
        if self._future is None:
            return self._task()
        try:
            return self._future.result()
        finally:
            self.close()

    def close(self) -> None:
        """Let the thread go (without waiting for it) when the result is not wanted."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
