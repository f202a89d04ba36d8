"""The engine's thread settings (avatars_server/engine/threads.py), applied at import."""

from __future__ import annotations

import os

from threadpoolctl import threadpool_info

import avatars_server.engine  # noqa: F401


def test_openmp_workers_wait_passively() -> None:
    assert os.environ["OMP_WAIT_POLICY"].lower() == "passive"


def test_numpy_blas_runs_on_one_thread() -> None:
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert blas
    assert all(lib["num_threads"] == 1 for lib in blas if "numpy" in lib["filepath"])
