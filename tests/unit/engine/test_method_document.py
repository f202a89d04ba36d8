"""docs/method.md lists every engine decision and fallback (issue #11: none stays silent)."""

from __future__ import annotations

from pathlib import Path

import avatars_server.engine as engine

ROOT = Path(__file__).resolve().parents[3]
METHOD = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
ENGINE = ROOT / "avatars_server" / "engine"


def _section(title: str) -> str:
    start = METHOD.index(title)
    end = METHOD.find("\n### ", start + len(title))
    return METHOD[start : end if end > 0 else None]


def test_every_fallback_of_the_engine_is_in_the_fallback_table() -> None:
    table = _section("### 9.2 Fallbacks")
    for where in (
        "imputation, `mean` / `median` / `mode`",
        "imputation, `knn` / `fast_knn`",
        "NaN-Euclidean distance",
        "weights (§3.6)",
        "categorical draw (§3.8)",
        "categorical restore (§3.9)",
        "metric typing (§4)",
    ):
        assert where in table, where
    # Each fallback site in the code points at the table.
    for module in ("weights.py", "imputation.py", "restore.py"):
        assert "docs/method.md §9.2" in (ENGINE / module).read_text(encoding="utf-8"), module


def test_the_categorical_draw_is_normative_not_an_open_choice() -> None:
    docstring = engine.__doc__ or ""
    assert "normative procedure of method.md §3.8" in docstring
    assert "same law as" not in docstring  # the old neighbour-pick draw
    assert "**Categorical draw** (§3.8): the normative procedure" in METHOD


def test_method_document_carries_the_settled_points() -> None:
    assert "It is null when there is no categorical variable" not in METHOD
    assert "100 · (1 − 1/n)" in _section("### 5.8 categorical_hidden_rate")
    assert "surrogate keys" in _section("### 2.2 Column types")
    assert "### 3.13 Excluded categorical columns" in METHOD
