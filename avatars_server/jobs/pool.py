"""A warm pool of worker processes in which one running task can be killed without harm.

`concurrent.futures.ProcessPoolExecutor` cannot stop one running task: killing its worker
breaks the whole pool and fails every other task. Here each worker has its own pipe, so
`terminate(future)` kills only the worker running that future and starts a fresh one.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

logger = logging.getLogger(__name__)


class WorkerTerminatedError(RuntimeError):
    """The worker running a task was killed (cancellation) or died (crash, OOM kill)."""


def _watch_parent(parent_pid: int) -> None:
    # A worker must not outlive a server killed with SIGKILL: it would keep computing.
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)
        time.sleep(1.0)


def _worker_main(conn: Connection, parent_pid: int, warmup: Callable[[], None] | None) -> None:
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if warmup is not None:
        warmup()
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        fn, args = item
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:
            outcome = (False, exc)
        try:
            conn.send(outcome)
        except (OSError, ValueError):
            return
        except Exception as exc:  # the result or exception could not be pickled
            conn.send((False, RuntimeError(f"unpicklable task outcome: {exc!r}")))


class _Slot:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.future: Future[Any] | None = None


class WarmProcessPool(Executor):
    """Executor over `workers` long-lived processes started with the "spawn" context.

    Args:
        workers: number of worker processes.
        warmup: module-level function each worker calls once at start (heavy imports), so
            that tasks do not pay for them.
        context: multiprocessing start method; "spawn" because the server runs threads.
    """

    def __init__(
        self,
        workers: int,
        *,
        warmup: Callable[[], None] | None = None,
        context: str = "spawn",
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        # Typed loosely: typeshed's BaseContext lacks the Process/Pipe factories of concrete ones.
        self._ctx: Any = multiprocessing.get_context(context)
        self._warmup = warmup
        self._lock = threading.Lock()
        self._queue: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self._to_kill: set[Future[Any]] = set()
        self._shutdown = False
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._slots = [self._spawn() for _ in range(workers)]
        self._thread = threading.Thread(target=self._loop, name="warm-pool", daemon=True)
        self._thread.start()

    @property
    def workers(self) -> int:
        return len(self._slots)

    def _spawn(self) -> _Slot:
        parent_conn, child_conn = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(child_conn, os.getpid(), self._warmup), daemon=True
        )
        process.start()
        child_conn.close()
        return _Slot(process, parent_conn)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b"x")

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if kwargs:
            raise TypeError("WarmProcessPool.submit takes positional arguments only")
        future: Future[Any] = Future()
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit after shutdown")
            self._queue.append((future, fn, args))
        self._wake()
        return future

    def terminate(self, future: Future[Any]) -> None:
        """Stop `future`: cancel it if queued, kill its worker if running."""
        if future.cancel():
            return
        with self._lock:
            self._to_kill.add(future)
        self._wake()

    def busy(self) -> int:
        """Number of tasks running now."""
        with self._lock:
            return sum(slot.future is not None for slot in self._slots)

    def _dispatch(self) -> None:
        with self._lock:
            for slot in self._slots:
                if slot.future is not None:
                    if slot.future in self._to_kill:
                        self._to_kill.discard(slot.future)
                        slot.process.kill()
                    continue
                while self._queue:
                    future, fn, args = self._queue.popleft()
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        slot.conn.send((fn, args))
                    except Exception as exc:
                        future.set_exception(exc)
                        continue
                    slot.future = future
                    break
            self._to_kill.clear()

    def _replace(self, index: int, error: BaseException) -> None:
        slot = self._slots[index]
        slot.process.join(timeout=5)
        slot.conn.close()
        if slot.future is not None and not slot.future.done():
            slot.future.set_exception(error)
        elif slot.future is None:
            # An idle worker died by itself (e.g. its start-up import failed): do not respawn
            # in a tight loop.
            logger.error("A job worker exited (code %s); starting another", slot.process.exitcode)
            time.sleep(1.0)
        if not self._shutdown:
            self._slots[index] = self._spawn()

    def _loop(self) -> None:
        while True:
            self._dispatch()
            if self._shutdown:
                return
            waitables: list[Any] = [self._wake_reader]
            for slot in self._slots:
                waitables.extend((slot.conn, slot.process.sentinel))
            ready = wait(waitables)
            if self._wake_reader in ready:
                while self._wake_reader.poll():
                    self._wake_reader.recv_bytes()
            for index, slot in enumerate(list(self._slots)):
                if slot.conn in ready:
                    try:
                        ok, value = slot.conn.recv()
                    except (EOFError, OSError):
                        self._replace(index, WorkerTerminatedError("the job's worker stopped"))
                        continue
                    future, slot.future = slot.future, None
                    if future is not None:
                        if ok:
                            future.set_result(value)
                        else:
                            future.set_exception(value)
                elif slot.process.sentinel in ready:
                    self._replace(index, WorkerTerminatedError("the job's worker stopped"))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop every worker; running tasks are killed (jobs are recovered at next start)."""
        with self._lock:
            if self._shutdown:
                return
            self._shutdown = True
            pending = list(self._queue)
            self._queue.clear()
        for future, _fn, _args in pending:
            future.cancel()
        self._wake()
        self._thread.join(timeout=10)
        for slot in self._slots:
            if slot.process.is_alive():
                slot.process.kill()
            slot.process.join(timeout=5)
            slot.conn.close()
            if slot.future is not None and not slot.future.done():
                slot.future.set_exception(WorkerTerminatedError("the server stopped"))
        self._wake_reader.close()
        self._wake_writer.close()
