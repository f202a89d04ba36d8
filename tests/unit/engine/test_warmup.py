"""The engine's warm-up (run by each job worker at start, and by the bench before timing)."""

from __future__ import annotations

from avatars_server.engine.table import column_kinds
from avatars_server.engine.warmup import warm_up, warm_up_table


def test_warm_up_table_has_every_role_and_missing_values() -> None:
    table = warm_up_table()
    kinds = set(column_kinds(table).values())
    assert kinds == {"continuous", "categorical"}
    assert table["x0"].isna().any() and table["label"].isna().any()


def test_warm_up_runs_the_engine() -> None:
    warm_up()
