"""Reference checks of method-extended.md §3.9: linking, capacities, group-aware metrics,
integrity and determinism on the tutorial's patient/doctor/visit schema, graph rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarError, AvatarizationConfig, PrivacyConfig
from avatars_server.engine.distances import linkage
from avatars_server.engine.multitable import (
    Link,
    TableInfo,
    avatarize_multi_table,
    build_graph,
    children_count_hellinger,
    multi_table_privacy,
    resolve_keys,
)
from avatars_server.engine.multitable.linking import (
    assign_with_capacities,
    capacities,
    nearest_parent,
)
from avatars_server.engine.multitable.privacy import group_cloaking, group_success

DATA = Path(__file__).parents[2] / "data" / "extended"


def test_hand_example_of_linking() -> None:
    parents = np.array([[0.0], [10.0]])
    children = np.array([[1.0], [2.0], [9.0]])
    rng = np.random.default_rng(0)
    lsa = assign_with_capacities(parents, children, np.array([1, 2]), rng)
    assert lsa.tolist() == [0, 1, 1]  # cost 10; the alternatives cost 12 and 26
    assert nearest_parent(parents, children).tolist() == [0, 0, 1]


def test_nearest_parent_ties_go_to_the_lowest_index() -> None:
    parents = np.array([[2.0], [0.0], [2.0]])
    assert nearest_parent(parents, np.array([[1.0], [3.0]])).tolist() == [0, 0]


def _naive_nearest(parents: np.ndarray, children: np.ndarray) -> np.ndarray:
    """argmin_j d_ij with ties (exact equality here) to the lowest j."""
    d = np.sqrt(((children[:, None, :] - parents[None, :, :]) ** 2).sum(axis=2))
    return np.argmin(d, axis=1)  # the first minimum: the lowest index


@pytest.mark.parametrize("dim", [3, 10, 11, 14])
def test_nearest_parent_matches_a_naive_search_on_both_sides_of_the_threshold(
    dim: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """method-extended §5: KD-tree up to 10 encoded dimensions, blocked brute force above; the
    same links either way, ties (duplicated parents, one-hot data) to the lowest index."""
    from avatars_server.engine import kdtree_kernels
    from avatars_server.engine.multitable import linking

    rng = np.random.default_rng(dim)
    base = np.hstack([rng.normal(size=(300, dim - 2)), np.eye(2)[rng.integers(0, 2, 300)]])
    parents = np.vstack([base, base[:40]])  # duplicates: exact ties, lowest index wins
    children = np.vstack([base[rng.integers(0, 300, 200)], rng.normal(size=(300, dim))])
    used: list[str] = []
    for name in ("knn_brute", "knn_tree"):
        kernel = getattr(kdtree_kernels, name)
        monkeypatch.setattr(
            kdtree_kernels,
            name,
            lambda *args, _k=kernel, _n=name: (used.append(_n), _k(*args))[1],
        )
    expected = _naive_nearest(parents, children)
    assert (nearest_parent(parents, children) == expected).all()
    assert used == ["knn_brute" if dim > linking.NEAREST_PARENT_TREE_MAX_DIM else "knn_tree"]
    # Beyond the pair bound the tree is used at any dimension, with the same answer.
    used.clear()
    assert (nearest_parent(parents, children, max_pairs=0) == expected).all()
    assert used == ["knn_tree"]


@pytest.mark.parametrize(
    ("estimated", "n_children", "smallest", "expected"),
    [
        ([3, 0, 2], 6, 0, [4, 0, 2]),
        ([3, 1, 2], 6, 1, [3, 1, 2]),
        ([0, 0, 0], 7, 0, [3, 2, 2]),
        ([5, 5, 5], 6, 3, [2, 2, 2]),  # n_P·m_min > n_C: m_min = 0
    ],
)
def test_hand_example_of_capacities(
    estimated: list[int], n_children: int, smallest: int, expected: list[int]
) -> None:
    assert capacities(np.array(estimated), n_children, smallest).tolist() == expected


def test_blocked_assignment_keeps_capacities_exact() -> None:
    rng = np.random.default_rng(1)
    parents, children = rng.normal(size=(30, 2)), rng.normal(size=(100, 2))
    capacity = capacities(rng.integers(0, 8, 30), 100, 1)
    assigned = assign_with_capacities(parents, children, capacity, np.random.default_rng(2), 16)
    assert np.bincount(assigned, minlength=30).tolist() == capacity.tolist()
    assert capacity.min() >= 1


def test_hand_example_of_group_aware_metrics() -> None:
    x = np.array([[0.0], [1.0], [5.0], [6.0]])
    a = np.array([[0.9], [0.2], [6.4], [4.8]])
    assert linkage(x, a).hidden_rate == 100  # no original is nearest its own avatar
    groups = np.array([0, 0, 1, 1])
    assert group_success(x, a, groups).tolist() == [1, 1, 1, 1]  # hidden rate 0
    assert group_cloaking(x, a, groups).tolist() == [0, 0, 0, 0]


def test_groups_equal_to_rows_reduce_to_the_core_metrics() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 3))
    a = x + rng.normal(scale=0.5, size=(200, 3))
    a[5] = a[6]  # a tie
    core = linkage(x, a)
    rows = np.arange(200)
    assert group_success(x, a, rows) == pytest.approx(core.success)
    assert group_cloaking(x, a, rows).tolist() == core.cloaking.tolist()


def test_no_variable_gives_the_share_of_the_own_group() -> None:
    empty = np.zeros((4, 0))
    groups = np.array([0, 0, 0, 1])
    assert group_success(empty, empty, groups).tolist() == [0.75, 0.75, 0.75, 0.25]


# --- the tutorial schema ------------------------------------------------------------------------


def _tutorial() -> tuple[dict[str, pd.DataFrame], dict[str, TableInfo], list[Link]]:
    frames = {name: pd.read_csv(DATA / f"{name}.csv") for name in ("patient", "doctor", "visit")}
    ids = {
        "patient": ["p_id"],
        "doctor": ["d_id"],
        "visit": ["visit_id", "patient_id", "doctor_id"],
    }
    tables = {
        name: TableInfo(name, ids[name], list(frame.columns), name != "visit")
        for name, frame in frames.items()
    }
    return frames, tables, []


def _links(method: str) -> list[Link]:
    return [
        Link("patient", "visit", "p_id", "patient_id", method),
        Link("doctor", "visit", "d_id", "doctor_id", method),
    ]


CONFIGS = {
    "patient": AvatarizationConfig(k=15),
    "doctor": AvatarizationConfig(k=5),
    "visit": AvatarizationConfig(k=30),
}
TYPES = {
    "patient": {"p_id": "int"},
    "doctor": {"d_id": "int"},
    "visit": {"visit_id": "int", "patient_id": "int", "doctor_id": "int"},
}


def _run(method: str, seed: int | None) -> tuple[object, dict[str, pd.DataFrame]]:
    frames, tables, _ = _tutorial()
    graph = build_graph(tables, _links(method))
    output = avatarize_multi_table(graph, frames, CONFIGS, TYPES, seed)
    return output, frames


def test_tutorial_schema_with_lsa_keeps_every_guarantee() -> None:
    frames, tables, _ = _tutorial()
    graph = build_graph(tables, _links("linear_sum_assignement"))
    output = avatarize_multi_table(graph, frames, CONFIGS, TYPES, 42)
    for name, frame in frames.items():
        avatars = output.tables[name]
        for copy in (avatars.avatars, avatars.unshuffled):
            assert list(copy.columns) == list(frame.columns)
            assert len(copy) == len(frame)
        pk = graph.primary_keys[name]
        assert avatars.avatars[pk].tolist() == list(range(len(frame)))
        assert sorted(avatars.unshuffled[pk]) == list(range(len(frame)))
    released = {name: output.tables[name].avatars for name in frames}
    # Every foreign key resolves, in both copies; children per parent add up.
    rows = resolve_keys(graph, released)
    unshuffled_rows = resolve_keys(graph, {n: output.tables[n].unshuffled for n in frames})
    for index, link in enumerate(graph.links):
        capacity = output.capacities[index]
        assert capacity is not None
        counts = np.bincount(unshuffled_rows[index], minlength=len(frames[link.parent]))
        assert counts.tolist() == capacity.tolist()
        original = np.bincount(resolve_keys(graph, frames)[index])
        assert counts.min() >= min(original.min(), 300 // len(frames[link.parent]))
        assert len(rows[index]) == 300
    # The released copy is the unshuffled one in another row order.
    visit = output.tables["visit"]
    assert visit.unshuffled.take(visit.order).reset_index(drop=True).equals(visit.avatars)
    # 8 privacy entries in the tutorial's order.
    configs = {name: PrivacyConfig(seed=1) for name in frames}
    entries = multi_table_privacy(
        graph, frames, {n: output.tables[n].unshuffled for n in frames}, configs
    )
    assert [
        (e.computation_type, e.dataset_name, e.individual_identifier_variable) for e in entries
    ] == [
        ("standalone", "doctor", "doctor.d_id"),
        ("standalone", "patient", "patient.p_id"),
        ("to_bottom_id_propagated", "visit", "doctor.doctor_id"),
        ("to_bottom_id_propagated", "visit", "patient.patient_id"),
        ("to_top_enriched", "doctor", "doctor.doctor_id"),
        ("to_top_enriched", "patient", "patient.patient_id"),
        ("full_enriched", "visit", "doctor.doctor_id"),
        ("full_enriched", "visit", "patient.patient_id"),
    ]
    for entry in entries:
        assert 0 <= entry.metrics.hidden_rate <= 100
        assert entry.metrics.local_cloaking >= 0


def test_same_seed_same_outputs_other_seed_other_links() -> None:
    first, _ = _run("bottom_projection", 7)
    again, _ = _run("bottom_projection", 7)
    other, _ = _run("bottom_projection", 8)
    for name in ("patient", "doctor", "visit"):
        assert first.tables[name].avatars.equals(again.tables[name].avatars)  # type: ignore[attr-defined]
    assert not np.array_equal(first.assignments[0], other.assignments[0])  # type: ignore[attr-defined]


def test_lsa_matches_the_child_count_distribution_better_than_nearest_parent() -> None:
    frames, tables, _ = _tutorial()
    scores = {}
    for method in ("bottom_projection", "linear_sum_assignement"):
        graph = build_graph(tables, _links(method))
        values = []
        for seed in range(3):
            output = avatarize_multi_table(graph, frames, CONFIGS, TYPES, seed)
            released = {n: output.tables[n].avatars for n in frames}
            values.append(np.mean(list(children_count_hellinger(graph, frames, released).values())))
        scores[method] = float(np.mean(values))
    assert scores["linear_sum_assignement"] < scores["bottom_projection"]


# --- graph rules ----------------------------------------------------------------------------------


def _tables(**ids: list[str]) -> dict[str, TableInfo]:
    return {name: TableInfo(name, keys, [*keys, "x"], name != "c") for name, keys in ids.items()}


@pytest.mark.parametrize(
    ("tables", "links", "message"),
    [
        (
            _tables(a=["id"], c=["id", "a_id"], d=["id"]),
            [Link("a", "c", "id", "a_id")],
            "is in no link",
        ),
        (_tables(a=["id"]), [Link("a", "c", "id", "a_id")], "only appear in table_links"),
        (
            _tables(a=["id", "c_id"], c=["id", "a_id"]),
            [Link("a", "c", "id", "a_id"), Link("c", "a", "id", "c_id")],
            "linked twice",
        ),
        (
            {
                **_tables(a=["id", "c_id"], b=["id", "a_id"]),
                "c": TableInfo("c", ["id", "b_id"], ["id", "b_id"], False),
            },
            [
                Link("a", "b", "id", "a_id"),
                Link("b", "c", "id", "b_id"),
                Link("c", "a", "id", "c_id"),
            ],
            "cycle",
        ),
        (
            _tables(a=["id"], c=["id"]),
            [Link("a", "c", "id", "id")],
            "primary key and a child_link_key|needs 2 identifier",
        ),
        (
            _tables(a=["id"], b=["id"], c=["id", "k"]),
            [Link("a", "c", "id", "k"), Link("b", "c", "id", "k")],
            "child_link_key of two links",
        ),
        (
            _tables(a=["id"], c=["id", "a_id"]),
            [Link("a", "c", "id", "nope")],
            "'nope' is not a column",
        ),
        (
            _tables(a=["id"], c=["id", "a_id"]),
            [Link("a", "c", "x", "a_id")],
            "must be declared an identifier",
        ),
        (
            {"a": TableInfo("a", ["id"], ["id"], False), **_tables(c=["id", "a_id"])},
            [Link("a", "c", "id", "a_id")],
            "must be individual-level",
        ),
    ],
    ids=[
        "table-not-in-links",
        "link-to-unknown-table",
        "pair-linked-twice",
        "cycle",
        "wrong-identifier-count",
        "child-column-in-two-links",
        "unknown-column",
        "key-not-identifier",
        "root-not-individual",
    ],
)
def test_graph_rules_are_enforced(
    tables: dict[str, TableInfo], links: list[Link], message: str
) -> None:
    with pytest.raises(AvatarError, match=message) as caught:
        build_graph(tables, links)
    assert caught.value.code == "INVALID_TABLE_LINKS"


def test_disagreeing_references_are_refused() -> None:
    tables = _tables(a=["id"], c=["id", "a_id"])
    with pytest.raises(AvatarError, match="must agree"):
        build_graph(tables, [Link("a", "c", "id", "a_id")], [("a", True), ("a", False)])


def test_duplicate_and_orphan_keys() -> None:
    tables = _tables(a=["id"], c=["id", "a_id"])
    graph = build_graph(tables, [Link("a", "c", "id", "a_id")])
    good_a = pd.DataFrame({"id": [1, 2], "x": [0.0, 1.0]})
    with pytest.raises(AvatarError, match="'1' is repeated") as caught:
        resolve_keys(
            graph,
            {"a": good_a.assign(id=[1, 1]), "c": pd.DataFrame({"id": [0], "a_id": [1], "x": [0]})},
        )
    assert caught.value.code == "DUPLICATE_KEY"
    with pytest.raises(AvatarError, match="row 1 of 'c'") as caught:
        resolve_keys(
            graph, {"a": good_a, "c": pd.DataFrame({"id": [0, 1], "a_id": [2, 3], "x": [0, 0]})}
        )
    assert caught.value.code == "ORPHAN_ROW"
    rows = resolve_keys(
        graph, {"a": good_a, "c": pd.DataFrame({"id": [0, 1], "a_id": [2.0, 1.0], "x": [0, 0]})}
    )
    assert rows[0].tolist() == [1, 0]


def test_missing_parent_and_foreign_keys_are_refused() -> None:
    graph = build_graph(_tables(a=["id"], c=["id", "a_id"]), [Link("a", "c", "id", "a_id")])
    child = pd.DataFrame({"id": [0, 1], "a_id": [1, 2], "x": [0, 0]})
    with pytest.raises(AvatarError, match="'id' of 'a' is missing at row 1") as caught:
        resolve_keys(graph, {"a": pd.DataFrame({"id": [1, None], "x": [0, 1]}), "c": child})
    assert caught.value.code == "DUPLICATE_KEY"
    with pytest.raises(
        AvatarError, match=r"row 0 of 'c' has 'a_id' = a missing value.*1 orphan row"
    ) as caught:
        resolve_keys(
            graph,
            {
                "a": pd.DataFrame({"id": [1, 2], "x": [0, 1]}),
                "c": child.assign(a_id=[None, 2]),
            },
        )
    assert caught.value.code == "ORPHAN_ROW"
