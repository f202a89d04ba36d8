"""Side-by-side tasks: results in order, the first failing task's error, none with one thread."""

from __future__ import annotations

import pytest

from avatars_server.engine.timeseries import tasks
from avatars_server.engine.timeseries.tasks import Background, run_all


def _fail(message: str) -> int:
    raise ValueError(message)


@pytest.mark.parametrize("threads", [1, 2])
def test_run_all_in_order(threads: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.numba, "get_num_threads", lambda: threads)
    assert run_all([lambda i=i: i * i for i in range(5)]) == [0, 1, 4, 9, 16]
    with pytest.raises(ValueError, match="first"):
        run_all([lambda: 1, lambda: _fail("first"), lambda: _fail("second")])


@pytest.mark.parametrize("threads", [1, 2])
def test_background(threads: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.numba, "get_num_threads", lambda: threads)
    ran: list[str] = []
    job = Background(lambda: ran.append("done") or 7)
    if threads == 1:
        assert ran == []  # runs only when collected
    assert job.result() == 7
    assert ran == ["done"]
    failing = Background(lambda: _fail("late"))
    with pytest.raises(ValueError, match="late"):
        failing.result()
    Background(lambda: 1).close()


def test_pieces_run_one_after_the_other_on_a_layer_that_is_not_thread_safe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks.numba, "get_num_threads", lambda: 2)
    monkeypatch.setattr(tasks.numba, "threading_layer", lambda: "workqueue")
    assert tasks._side_by_side() == 1
    ran: list[str] = []
    job = Background(lambda: ran.append("done") or 7)
    assert ran == []  # not started in a thread: runs when collected
    assert job.result() == 7
    monkeypatch.setattr(tasks.numba, "threading_layer", lambda: "omp")
    assert tasks._side_by_side() == 2


def test_the_threading_layer_is_chosen_when_none_was_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.numba, "get_num_threads", lambda: 2)
    assert tasks._side_by_side() in (1, 2)
