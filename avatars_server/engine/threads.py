"""numpy's BLAS kept to one thread in the engine's processes (issue #12).

The engine's parallel work is its numba kernels. A BLAS call on two threads leaves its idle
worker spinning for up to ~0.1 s (OpenBLAS busy-waits before it sleeps), which takes a core from
the numba kernel that follows on a 2-core machine: about 0.15 s of fixed cost per 100k-row
avatarization + metrics. The engine's BLAS products are small (d × d Gram and correlation
blocks, ncp-column projections, profile blocks), so one thread costs them little. The results
are the same bits: a product's entries are split between threads, never the sums behind one
entry (the pinned tests check it).
"""

from __future__ import annotations

from functools import cache

from threadpoolctl import threadpool_limits


@cache
def single_threaded_blas() -> None:
    """Limit the BLAS libraries loaded so far (numpy's) to one thread, once per process."""
    threadpool_limits(limits=1, user_api="blas")
