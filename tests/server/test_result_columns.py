"""Declared column types of result datasets (method-extended.md §0.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars_server.jobs.steps.avatarization import result_columns


def test_identifiers_follow_surrogate_type_and_missing_values_change_int_and_bool() -> None:
    columns = [
        {"label": "a", "type": "int", "is_identifier": True},
        {"label": "b", "type": "float", "is_identifier": True},
        {"label": "c", "type": "category", "is_identifier": True},
        {"label": "d", "type": "datetime", "is_identifier": True},
        {"label": "e", "type": "bool", "is_identifier": True},
        {"label": "n", "type": "int", "is_identifier": False},
        {"label": "m", "type": "int", "is_identifier": False},
        {"label": "t", "type": "bool", "is_identifier": False},
        {"label": "u", "type": "bool", "is_identifier": False},
    ]
    frame = pd.DataFrame(
        {
            "a": [0, 1],
            "b": [0.0, 1.0],
            "c": ["0", "1"],
            "d": ["0", "1"],
            "e": ["0", "1"],
            "n": [1, 2],
            "m": [1.0, np.nan],
            "t": [True, False],
            "u": pd.array([True, None], dtype="boolean"),
        }
    )
    declared = [(c["label"], c["type"], c["is_identifier"]) for c in result_columns(columns, frame)]
    assert declared == [
        ("a", "int", True),
        ("b", "float", True),
        ("c", "category", True),
        ("d", "category", True),
        ("e", "category", True),
        ("n", "int", False),
        ("m", "float", False),
        ("t", "bool", False),
        ("u", "category", False),
    ]
