"""The numba kernel against brute force and against the previous cKDTree path (issue #12).

Tables have duplicates, exact ties, near ties (rounding noise) and constant columns; results
must be identical: neighbour sets and their order, distances (bitwise, so to 1e-12), counts.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from avatars_server.engine import (
    AvatarizationConfig,
    ImputationConfig,
    PrivacyConfig,
    avatarize,
    distances,
    neighbours,
)
from avatars_server.engine.config import ExcludeCategoricalConfig
from avatars_server.engine.neighbours import (
    BRUTE_FORCE_DIM,
    TIE_TOLERANCE,
    build_tree,
    count_within,
    exact_knn,
    nearest_distances,
    nearest_ties,
    neighbours_excluding_self,
    within,
)
from avatars_server.engine.privacy import compute_privacy_metrics
from tests.unit.engine import ckdtree_reference as reference

FloatArray = np.ndarray
# The package exports the function ``avatarize`` under the module's name.
avatarize_module = importlib.import_module("avatars_server.engine.avatarize")
privacy_module = importlib.import_module("avatars_server.engine.privacy")
exclusion_module = importlib.import_module("avatars_server.engine.exclusion")
series_metrics = importlib.import_module("avatars_server.engine.timeseries.metrics")


def tables() -> Iterator[tuple[str, FloatArray]]:
    rng = np.random.default_rng(12)
    yield "integers", rng.integers(0, 5, size=(500, 3)).astype(np.float64)
    yield "duplicates", np.repeat(rng.normal(size=(60, 4)), 9, axis=0)
    constant = rng.normal(size=(700, 5))
    constant[:, 2] = 3.0
    yield "constant column", constant
    yield "all equal", np.zeros((80, 2))
    yield "one row differs", np.vstack([np.zeros((40, 3)), np.ones((1, 3))])
    # 0.1-steps: equal distances computed from different coordinates differ by rounding noise.
    yield "near ties", rng.integers(0, 4, size=(900, 5)) * 0.1
    yield "continuous", rng.normal(size=(3000, 5)) * np.array([3.0, 2.0, 1.0, 0.5, 0.1])
    yield "eight dims", rng.integers(0, 3, size=(400, 8)).astype(np.float64)
    # One decimal: some queries sit exactly halfway between two children's boxes on the split
    # axis, where the walk once chose the near child again as the far one (missed neighbours).
    yield (
        "one decimal",
        np.round(
            np.random.default_rng(5).normal(size=(5000, 5)) * np.array([3.0, 2.0, 1.5, 1.0, 0.7]), 1
        ),
    )
    yield "high dim (brute force)", rng.integers(0, 2, size=(300, BRUTE_FORCE_DIM + 4)) * 1.0


TABLES = list(tables())
IDS = [name for name, _ in TABLES]


def brute_knn(
    points: FloatArray, queries: FloatArray, k: int, exclude: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """The tolerant lowest-index rule by brute force, distances from differences."""
    full = np.sqrt(((queries[:, None, :] - points[None, :, :]) ** 2).sum(-1))
    if exclude is not None:
        full[np.arange(len(queries)), exclude] = np.inf
    out_d = np.empty((len(queries), k))
    out_i = np.empty((len(queries), k), dtype=np.int64)
    for r, row in enumerate(full):
        boundary = np.sort(row)[k - 1]
        tol = TIE_TOLERANCE * max(1.0, boundary)
        below = np.flatnonzero(row < boundary - tol)
        tied = np.flatnonzero(np.abs(row - boundary) <= tol)
        chosen = np.concatenate([below, tied[: k - len(below)]])
        order = np.lexsort((chosen, row[chosen]))
        out_d[r], out_i[r] = row[chosen][order], chosen[order]
    return out_d, out_i


@pytest.mark.parametrize(("name", "points"), TABLES, ids=IDS)
@pytest.mark.parametrize("k", [1, 4, 20])
def test_self_neighbours_match_brute_force_and_the_ckdtree_path(
    name: str, points: FloatArray, k: int
) -> None:
    if k >= len(points):
        pytest.skip("k must be below n")
    dist, idx = neighbours_excluding_self(points, k)
    ref_d, ref_i = reference.neighbours_excluding_self(points, k)
    np.testing.assert_array_equal(idx, ref_i)
    np.testing.assert_array_equal(dist, ref_d)
    sample = np.arange(0, len(points), max(1, len(points) // 150))
    bf_d, bf_i = brute_knn(points, points[sample], k, exclude=sample)
    np.testing.assert_array_equal(idx[sample], bf_i)
    np.testing.assert_allclose(dist[sample], bf_d, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dim", [1, 2, 3, 5, 7, 9])
def test_the_wide_walk_at_every_depth_matches_brute_force(dim: int) -> None:
    """The kNN walk steps through wide nodes every third level from the leaves up and starts
    from the 1, 2 or 4 nodes above them: every depth mod 3 (0 to 8 levels below the root),
    with duplicates and exact ties (half-integers: every distance is exact, so that brute
    force's summation order cannot differ), must give brute force's neighbours."""
    rng = np.random.default_rng(dim)
    for n in (20, 40, 100, 200, 300, 600, 1500, 3000, 5000):
        points = rng.integers(-6, 7, size=(n, dim)) * 0.5
        tree = build_tree(points)
        assert tree.depth == max(0, int(np.ceil(np.log2(n / neighbours.LEAF_SIZE))))
        queries = np.vstack([points[:40], rng.integers(-7, 8, size=(40, dim)) * 0.5])
        for k in (1, 2, 20):
            dist, idx = exact_knn(tree, queries, k)
            bf_d, bf_i = brute_knn(points, queries, k)
            np.testing.assert_array_equal(idx, bf_i)
            np.testing.assert_allclose(dist, bf_d, rtol=0, atol=1e-12)


@pytest.mark.parametrize("ties", [True, False])
def test_ordered_queries_start_from_a_guess_and_walk_again_when_it_is_too_small(
    ties: bool,
) -> None:
    """With ``ordered``, each walk starts from the previous query's k-th distance. Queries that
    alternate between a tight cluster and isolated points make that guess far too small for
    every isolated point: the query must walk again without it (else it would return fewer
    neighbours, or wrong ones), and a guess too large must not change the answer either."""
    rng = np.random.default_rng(8)
    cluster = rng.normal(size=(400, 5)) * 1e-3
    isolated = rng.normal(size=(400, 5)) * 50.0
    points = np.vstack([cluster, isolated, np.repeat(cluster[:30], 3, axis=0)])
    tree = build_tree(points)
    order = np.ravel(np.column_stack([np.arange(400), 400 + np.arange(400)]))
    queries = points[order]
    for k in (1, 5, 20):
        dist, idx = exact_knn(tree, queries, k, exclude=order, ties=ties, ordered=True)
        plain_d, plain_i = exact_knn(tree, queries, k, exclude=order, ties=ties)
        np.testing.assert_array_equal(dist, plain_d)
        np.testing.assert_array_equal(idx, plain_i)
        if ties:
            bf_d, bf_i = brute_knn(points, queries, k, exclude=order)
            np.testing.assert_array_equal(idx, bf_i)
        else:  # the k smallest distances as computed, without the tolerant rule
            full = np.sqrt(((queries[:, None, :] - points[None, :, :]) ** 2).sum(-1))
            full[np.arange(len(queries)), order] = np.inf
            bf_d = np.sort(full, axis=1)[:, :k]
        np.testing.assert_allclose(dist, bf_d, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("name", "points"), TABLES, ids=IDS)
def test_queries_labels_and_distance_only_searches(name: str, points: FloatArray) -> None:
    rng = np.random.default_rng(3)
    queries = points[rng.integers(0, len(points), 200)] + rng.integers(-1, 2, (200, 1)) * 0.1
    labels = rng.permutation(len(points)) + 1000
    tree = build_tree(points)
    k = min(7, len(points))
    dist, idx = exact_knn(tree, queries, k, labels=labels)
    ref_d, ref_i = reference.exact_knn(cKDTree(points), queries, k, labels=labels)
    np.testing.assert_array_equal(idx, ref_i)
    np.testing.assert_array_equal(dist, ref_d)
    # A cKDTree passed in (as callers used to) gives the same answer.
    np.testing.assert_array_equal(exact_knn(cKDTree(points), queries, k, labels=labels)[1], idx)
    # Distance-only: the k smallest distances as cKDTree computes them, inf beyond n points.
    raw = nearest_distances(tree, queries, 3)
    np.testing.assert_array_equal(raw, cKDTree(points).query(queries, k=3)[0].reshape(-1, 3))
    assert np.isinf(nearest_distances(build_tree(points[:2]), queries, 3)[:, 2]).all()


@pytest.mark.parametrize(("name", "points"), TABLES, ids=IDS)
def test_radius_counts_and_ties_match_ckdtree(name: str, points: FloatArray) -> None:
    rng = np.random.default_rng(4)
    queries = points[rng.integers(0, len(points), 300)] + rng.normal(size=(300, 1)) * 0.05
    radius = np.abs(rng.normal(size=300)) * np.sqrt(points.shape[1])
    radius[:20] = 0.0
    ckd = cKDTree(points)
    closest = ckd.query(queries, k=1)[0]
    # Thresholds at, just below and just above the nearest distance.
    low = closest * np.array([1.0, 1.0 - 1e-15, 1.0 + 1e-15, 0.5])[np.arange(300) % 4]
    low = np.minimum(low, radius)  # closer_than <= radius, as in the linkage
    counts, closer = count_within(build_tree(points), queries, radius, closer_than=low)
    expected = ckd.query_ball_point(queries, radius, return_length=True)
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_array_equal(closer, closest < low)
    assert not count_within(build_tree(points), queries, radius)[1].any()
    rows, found = within(build_tree(points), queries, radius)
    pairs = sorted(zip(rows.tolist(), found.tolist(), strict=True))
    listed = ckd.query_ball_point(queries, radius)
    assert pairs == sorted((r, int(p)) for r, ps in enumerate(listed) for p in ps)
    got = nearest_ties(build_tree(points), queries)
    ref = reference.nearest_ties(ckd, queries)
    assert sorted(zip(got[0].tolist(), got[1].tolist(), strict=True)) == sorted(
        zip(ref[0].tolist(), ref[1].tolist(), strict=True)
    )
    np.testing.assert_array_equal(got[2], ref[2])


@pytest.mark.parametrize(("name", "points"), TABLES, ids=IDS)
def test_linkage_and_closest_match_the_ckdtree_path(name: str, points: FloatArray) -> None:
    rng = np.random.default_rng(5)
    moved = rng.random(len(points)) < 0.5
    avatars = points + moved[:, None] * np.round(rng.normal(size=points.shape), 1)
    link = distances.linkage(points, avatars)
    ref_link = reference.linkage(points, avatars)
    np.testing.assert_array_equal(link.success, ref_link.success)
    np.testing.assert_array_equal(link.cloaking, ref_link.cloaking)
    near = distances.closest(points, avatars)
    ref_near = reference.closest(points, avatars)
    for field in ("dcr", "nndr", "original_nn"):
        np.testing.assert_array_equal(getattr(near, field), getattr(ref_near, field))


@pytest.mark.parametrize(("name", "points"), TABLES, ids=IDS)
def test_time_series_linkage_matches_its_ckdtree_count_within(
    name: str, points: FloatArray
) -> None:
    """The time-series metrics' own count_within (#14) is gone: its callers use the kernel's."""
    rng = np.random.default_rng(8)
    n = len(points)
    moved = rng.random(n) < 0.5
    avatars = points + moved[:, None] * np.round(rng.normal(size=points.shape), 1)
    # Some originals' avatars are absent (-1); the others point into a shuffled avatar table.
    order = rng.permutation(n)
    own = np.argsort(order)
    own[rng.random(n) < 0.1] = -1
    shuffled = avatars[order]
    got = series_metrics._linkage(points, shuffled, own)
    ref = reference.series_linkage(points, shuffled, own)
    np.testing.assert_array_equal(got[0], ref[0])
    np.testing.assert_array_equal(got[1], ref[1])
    # The deleted function's (counts, nearest within the radius) against the kernel's.
    queries = points[rng.integers(0, n, 200)] + rng.normal(size=(200, 1)) * 0.05
    radius = np.abs(rng.normal(size=200)) * np.sqrt(points.shape[1])
    below = radius * rng.random(200)
    counts, closer = count_within(points, queries, radius, closer_than=below)
    ref_counts, nearest = reference.count_within(points, queries, radius)
    np.testing.assert_array_equal(counts, ref_counts)
    np.testing.assert_array_equal(closer, nearest < below)


def test_brute_force_is_used_above_the_dimension_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(6)
    points = rng.integers(0, 3, size=(250, BRUTE_FORCE_DIM + 1)).astype(np.float64)
    assert neighbours.brute_force_pays(250, 250, BRUTE_FORCE_DIM + 1)
    tree_d, tree_i = neighbours_excluding_self(points, 9)
    monkeypatch.setattr(neighbours, "BRUTE_FORCE_MAX_PAIRS", 0)  # force the tree walk
    assert not neighbours.brute_force_pays(250, 250, BRUTE_FORCE_DIM + 1)
    walk_d, walk_i = neighbours_excluding_self(points, 9)
    np.testing.assert_array_equal(tree_i, walk_i)
    np.testing.assert_array_equal(tree_d, walk_d)


def test_chunks_and_empty_inputs() -> None:
    points = np.random.default_rng(7).normal(size=(1000, 3))
    tree = build_tree(points, leaf_size=4)
    assert exact_knn(tree, np.zeros((0, 3)), 3)[0].shape == (0, 3)
    counts, closer = count_within(tree, np.zeros((0, 3)), np.zeros(0))
    assert counts.shape == closer.shape == (0,)
    rows, found = within(tree, points[:5], np.full(5, -1.0))
    assert rows.size == found.size == 0
    with pytest.raises(ValueError, match="2-D"):
        build_tree(np.zeros(3))


def _table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 3))
    cont = latent @ rng.normal(size=(3, 6)) + rng.normal(size=(n, 6))
    df = pd.DataFrame({f"x{j}": np.round(cont[:, j], 1) for j in range(6)})
    df["dup"] = rng.integers(0, 3, n).astype(np.float64)
    df["const"] = 1.0
    df["g"] = pd.Categorical(rng.choice(["a", "b", "c"], n))
    df.loc[rng.random(n) < 0.05, "x1"] = np.nan
    # 10 % duplicated rows.
    return pd.concat([df, df.iloc[: n // 10]], ignore_index=True)


@pytest.mark.parametrize(("ncp", "method"), [(5, "mean"), (2, "knn"), (9, "fast_knn")])
def test_seeded_avatarization_is_byte_identical_to_the_ckdtree_path(
    monkeypatch: pytest.MonkeyPatch, ncp: int, method: str
) -> None:
    df = _table(1200, 11)
    config = AvatarizationConfig(
        k=12, ncp=ncp, seed=5, imputation=ImputationConfig(method=method, k=4)
    )
    new = avatarize(df, config)
    privacy = compute_privacy_metrics(df, new.unshuffled, PrivacyConfig(ncp=ncp, seed=1))
    monkeypatch.setattr(avatarize_module, "self_neighbours", reference.self_neighbours)
    monkeypatch.setattr(privacy_module, "linkage", reference.linkage)
    monkeypatch.setattr(privacy_module, "closest", reference.closest)
    old = avatarize(df, config)
    assert new.avatars.to_csv() == old.avatars.to_csv()
    assert new.unshuffled.to_csv() == old.unshuffled.to_csv()
    old_privacy = compute_privacy_metrics(df, old.unshuffled, PrivacyConfig(ncp=ncp, seed=1))
    assert repr(privacy) == repr(old_privacy)


def _use_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every neighbour search of avatarize and compute_privacy_metrics on the cKDTree path."""
    monkeypatch.setattr(avatarize_module, "self_neighbours", reference.self_neighbours)
    monkeypatch.setattr(privacy_module, "linkage", reference.linkage)
    monkeypatch.setattr(privacy_module, "closest", reference.closest)
    monkeypatch.setattr(exclusion_module, "build_tree", cKDTree)
    monkeypatch.setattr(exclusion_module, "exact_knn", reference.exact_knn)


def test_explained_privacy_arrays_are_identical_to_the_ckdtree_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """explain=True (#15): per-individual local cloaking, DCR and NNDR come out bitwise equal."""
    df = _table(1500, 13)
    config = AvatarizationConfig(k=10, ncp=4, seed=2)
    new = avatarize(df, config, explain=True)
    privacy = compute_privacy_metrics(
        df, new.unshuffled, PrivacyConfig(ncp=4, seed=3), explain=True
    )
    _use_reference(monkeypatch)
    old = avatarize(df, config, explain=True)
    assert new.unshuffled.to_csv() == old.unshuffled.to_csv()
    assert new.model is not None and old.model is not None
    np.testing.assert_array_equal(new.model.original_coords, old.model.original_coords)
    old_privacy = compute_privacy_metrics(
        df, old.unshuffled, PrivacyConfig(ncp=4, seed=3), explain=True
    )
    got, ref = privacy.diagnostics, old_privacy.diagnostics
    assert got is not None and ref is not None
    np.testing.assert_array_equal(got.local_cloaking, ref.local_cloaking)
    np.testing.assert_array_equal(got.distance_to_closest, ref.distance_to_closest)
    np.testing.assert_array_equal(got.closest_distances_ratio, ref.closest_distances_ratio)
    assert privacy.local_cloaking == old_privacy.local_cloaking
    assert privacy.hidden_rate == old_privacy.hidden_rate


@pytest.mark.parametrize(
    ("rare", "put_back"),
    [("most_similar", "coordinate_similarity"), ("most_similar", "row_order")],
)
def test_exclude_categorical_searches_are_identical_to_the_ckdtree_path(
    monkeypatch: pytest.MonkeyPatch, rare: str, put_back: str
) -> None:
    """exclude_categorical's nearest records (#11) go through the kernel, with the same result."""
    rng = np.random.default_rng(14)
    df = _table(1200, 14)
    # A high-cardinality column with many rare values, and ties in the coordinates (duplicates).
    df["city"] = pd.Categorical([f"c{v}" for v in rng.zipf(1.6, len(df)) % 400])
    exclude = ExcludeCategoricalConfig(
        exclude_cardinality_threshold=30,
        exclude_replacement_strategy=put_back,
        rare_occurence_threshold=2,
        rare_replacement_strategy=rare,
        number_reference_records=300,
    )
    config = AvatarizationConfig(k=8, ncp=3, seed=9, exclude_categorical=exclude)
    new = avatarize(df, config)
    _use_reference(monkeypatch)
    old = avatarize(df, config)
    assert new.unshuffled.to_csv() == old.unshuffled.to_csv()
    assert new.avatars.to_csv() == old.avatars.to_csv()
