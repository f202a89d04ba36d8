"""The originals' nearest-other distances that the avatarization hands to the privacy metrics:
the same values as the metrics' own search, bit for bit, and used only in the coordinates they
were measured in."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import (
    AvatarizationConfig,
    PrivacyConfig,
    avatarize,
    compute_privacy_metrics,
)
from avatars_server.engine.distances import (
    NearestOthers,
    closest,
    coordinates_digest,
    nearest_from_neighbours,
)
from avatars_server.engine.neighbours import (
    BRUTE_FORCE_DIM,
    TIE_TOLERANCE,
    build_tree,
    exact_knn,
    nearest_distances,
    neighbours_excluding_self,
)


def _points(n: int, dim: int, seed: int) -> np.ndarray:
    """Rounded coordinates (exact ties), some duplicated rows, a tight cluster (near ties)."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=(n, dim)), 1)
    x[: n // 10] = x[n // 10 : 2 * (n // 10)]
    x[-25:] = x[-1] + 1e-13 * rng.normal(size=(25, dim))
    return x


@pytest.mark.parametrize("dim", [1, 2, 3, 5, 8, BRUTE_FORCE_DIM + 2])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_the_neighbours_nearest_is_the_searched_one_bit_for_bit(dim: int, k: int) -> None:
    x = _points(600, dim, seed=dim * 31 + k)
    distances, _ = neighbours_excluding_self(x, k)
    known = nearest_from_neighbours(distances)
    tree = build_tree(x)
    searched = nearest_distances(tree, x, 2)[:, 1]
    assert np.isnan(known).any()  # the tight cluster's rows: the tie window hides them
    exact = ~np.isnan(known)
    # With k = 1 the first distance is the k-th: only exact zeros are known.
    assert exact.mean() > (0.5 if k > 1 else 0.1)
    np.testing.assert_array_equal(known[exact], searched[exact])


def test_the_nearest_are_read_alike_across_row_chunks() -> None:
    """Read in row chunks (their temporaries stay small): the same values as the whole-column
    formula, on more rows than a chunk, with exact zeros and a tie window at the k-th."""
    rng = np.random.default_rng(9)
    distances = np.sort(np.round(rng.exponential(size=(150_000, 4)), 2), axis=1)
    distances[::7, 0] = 0.0
    distances[3::11] = 0.5  # the first distance is the k-th: within the tie window
    first, last = distances[:, 0], distances[:, -1]
    window = 3.0 * TIE_TOLERANCE * np.maximum(1.0, last)
    expected = np.where((first == 0.0) | (first < last - window), first, np.nan)
    got = nearest_from_neighbours(distances)
    assert np.isnan(got).any() and not np.isnan(got).all()
    np.testing.assert_array_equal(got, expected)


def test_closest_searches_only_the_unknown_originals() -> None:
    x = _points(500, 5, seed=3)
    a = x + 0.05 * np.random.default_rng(4).normal(size=x.shape)
    distances, _ = neighbours_excluding_self(x, 20)
    reference = closest(x, a)
    given = closest(x, a, original_nn=nearest_from_neighbours(distances))
    for name in ("dcr", "nndr", "original_nn"):
        np.testing.assert_array_equal(getattr(given, name), getattr(reference, name))
    # Given values are used as they are: wrong ones show (the test can fail).
    wrong = np.full(len(x), 7.0)
    assert (closest(x, a, original_nn=wrong).original_nn == 7.0).all()


def _table(n: int, seed: int, *, continuous: int = 3, categorical: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {
        f"x{j}": np.round(rng.normal(size=n) * 10, 1) for j in range(continuous)
    }
    for j in range(categorical):
        columns[f"c{j}"] = pd.Categorical(rng.choice(["a", "b", "c"], size=n))
    frame = pd.DataFrame(columns)
    return pd.concat([frame, frame.iloc[: n // 20]], ignore_index=True)  # duplicated rows


def _assert_same_result(left: object, right: object) -> None:
    for field in fields(left):  # type: ignore[arg-type]
        a, b = getattr(left, field.name), getattr(right, field.name)
        if field.name == "diagnostics":
            for name in ("local_cloaking", "distance_to_closest", "closest_distances_ratio"):
                np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        else:
            assert a == b, field.name


@pytest.mark.parametrize(
    ("seed", "continuous", "categorical"), [(0, 3, 2), (1, 6, 0), (2, 0, 3), (3, 1, 1)]
)
def test_privacy_metrics_are_the_same_with_the_avatarizations_distances(
    seed: int, continuous: int, categorical: int
) -> None:
    table = _table(400, seed, continuous=continuous, categorical=categorical)
    out = avatarize(table, AvatarizationConfig(k=10, seed=seed), nearest_others=True)
    assert out.nearest_others is not None
    config = PrivacyConfig(ncp=out.ncp, seed=seed)
    alone = compute_privacy_metrics(table, out.unshuffled, config, explain=True)
    given = compute_privacy_metrics(
        table, out.unshuffled, config, explain=True, nearest_others=out.nearest_others
    )
    _assert_same_result(given, alone)


def test_distances_of_other_coordinates_are_not_used() -> None:
    table = _table(300, 5)
    out = avatarize(table, AvatarizationConfig(k=10, ncp=4, seed=0), nearest_others=True)
    assert out.nearest_others is not None
    wrong = NearestOthers(out.nearest_others.digest, np.full(len(table), 1e6))
    # Same coordinates: the (here wrong) distances are taken, and change the closest rate.
    same = PrivacyConfig(ncp=4, seed=0)
    reference = compute_privacy_metrics(table, out.unshuffled, same)
    assert (
        compute_privacy_metrics(table, out.unshuffled, same, nearest_others=wrong).closest_rate
        != reference.closest_rate
    )
    # A metric projection on other axes has other coordinates: they are not taken.
    other = PrivacyConfig(ncp=3, seed=0)
    assert compute_privacy_metrics(
        table, out.unshuffled, other, nearest_others=wrong
    ) == compute_privacy_metrics(table, out.unshuffled, other)


def test_the_digest_tells_coordinates_apart() -> None:
    x = np.random.default_rng(0).normal(size=(50, 3))
    assert coordinates_digest(x) == coordinates_digest(x.copy())
    assert coordinates_digest(x) == coordinates_digest(np.asfortranarray(x))
    assert coordinates_digest(x) != coordinates_digest(x[:, :2])
    assert coordinates_digest(x) != coordinates_digest(x.reshape(75, 2))
    y = x.copy()
    y[10, 1] = np.nextafter(y[10, 1], np.inf)
    assert coordinates_digest(x) != coordinates_digest(y)


@pytest.mark.parametrize("dim", [3, 5, 8, 11, BRUTE_FORCE_DIM + 2])
@pytest.mark.parametrize("ties", [True, False])
def test_the_walk_and_the_brute_force_give_the_same_bits(dim: int, ties: bool) -> None:
    """Whether a search walks the tree or scans blocks depends on its number of queries (a few
    unknown rows may be scanned where all rows walked): both must sum distances alike."""
    rng = np.random.default_rng(dim)
    points = rng.normal(size=(700, dim))
    queries = np.concatenate([points[:200] + 1e-3 * rng.normal(size=(200, dim)), points[-50:]])
    tree = build_tree(points)
    for k in (2, 20):
        walk = exact_knn(tree, queries, k, ties=ties, brute=False)
        scan = exact_knn(tree, queries, k, ties=ties, brute=True)
        np.testing.assert_array_equal(walk[0], scan[0])
        np.testing.assert_array_equal(walk[1], scan[1])
