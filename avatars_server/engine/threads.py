"""How the engine's threads wait: idle OpenMP workers sleep, and numpy's BLAS keeps to one thread
(issue #12).

The engine's parallel work is its numba kernels, on numba's OpenMP threading layer. By default
an idle OpenMP worker spins for a while after each kernel, and an idle BLAS worker (OpenBLAS
busy-waits up to ~0.1 s before it sleeps) after each product. On a busy 2-core machine a
spinning thread is scheduled as a CPU hog: the next kernel's start waited up to ~15 ms for its
worker, and a BLAS worker took a core from the kernel that followed (~0.1 s per 1k-row
avatarization + metrics, ~0.3 s at 100k rows, whatever the size). A sleeping worker is woken in
microseconds. The engine's BLAS products are small (d × d Gram and correlation blocks,
ncp-column projections), so one thread costs them little. Results are the same bits: the
kernels' row split does not change, and a product's entries are split between BLAS threads,
never the sums behind one entry (the pinned tests check it).
"""

from __future__ import annotations

import os
from functools import cache

from threadpoolctl import threadpool_limits


@cache
def configure_threads() -> None:
    """Once per process: OpenMP workers wait passively (read when numba starts its threads, at
    the first parallel kernel; a value set by the user is kept), BLAS libraries loaded so far
    (numpy's) run on one thread."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    threadpool_limits(limits=1, user_api="blas")
