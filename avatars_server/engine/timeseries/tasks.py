"""Independent pieces of work (one per series dataset, or originals and avatars) run side by side.

The pieces are pure numpy / pandas work on separate data, most of which releases the GIL, so two
threads keep both cores busy where one would leave the second idle between the parallel kernels.
Results come back in order and the first failing piece's error is raised, as a plain loop would;
with one thread allowed (``NUMBA_NUM_THREADS=1``, the engine's thread setting) it is that loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numba

_T = TypeVar("_T")


def run_all(tasks: Sequence[Callable[[], _T]]) -> list[_T]:
    """Run the tasks, at most as many at once as the engine's threads, and return their results
    in order."""
    workers = min(len(tasks), numba.get_num_threads())
    if workers < 2:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task) for task in tasks]
        return [future.result() for future in futures]
