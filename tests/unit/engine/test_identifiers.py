"""Surrogate keys of identifier columns (method-extended.md §0.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars_server.engine.identifiers import surrogate_column, surrogate_keys, surrogate_type


def test_keys_are_positions_in_the_released_copy_and_follow_the_avatar() -> None:
    order = np.array([2, 0, 3, 1], dtype=np.int64)
    keys = surrogate_keys(order)
    assert keys.released.tolist() == [0, 1, 2, 3]
    # Unshuffled row 2 is released first, so it carries key 0.
    assert keys.unshuffled.tolist() == [1, 3, 0, 2]
    assert (keys.unshuffled[order] == keys.released).all()


def test_cast_follows_the_declared_type() -> None:
    keys = np.array([0, 1, 2], dtype=np.int64)
    assert surrogate_column(keys, "int").dtype == np.int64
    assert surrogate_column(keys, "float").tolist() == [0.0, 1.0, 2.0]
    assert surrogate_column(keys, "category").tolist() == ["0", "1", "2"]
    assert surrogate_column(keys, "datetime").tolist() == ["0", "1", "2"]
    assert [surrogate_type(t) for t in ("int", "float", "category", "bool", "datetime")] == [
        "int",
        "float",
        "category",
        "category",
        "category",
    ]
    assert isinstance(surrogate_column(keys, "bool"), pd.Series)
