"""The categorical draw of method.md §3.8, to the letter: sorted levels, cumulative sums, u."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarizationConfig, ImputationConfig, avatarize
from avatars_server.engine.avatarize import draw_codes, random_weights
from avatars_server.engine.neighbours import neighbours_excluding_self
from avatars_server.engine.projection import fit_projection
from avatars_server.engine.random import make_streams
from avatars_server.engine.table import Categorical, column_kinds, encode

# The module, not the function of the same name that the package exports.
avatarize_module = importlib.import_module("avatars_server.engine.avatarize")


def _variable(name: str, codes: list[int], modalities: list[str], missing: bool) -> Categorical:
    return Categorical(
        name, np.array(codes, dtype=np.int64), np.array(modalities, dtype=object), missing
    )


def test_hand_computed_draws_with_the_categorical_stream_of_seed_0() -> None:
    # Three neighbours (rows 0, 1, 2 of the originals) for each of three avatars.
    neighbours = np.tile(np.arange(3), (3, 1))
    weights = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.25, 0.25, 0.5]])
    # v1: originals c, a, b; v2: originals missing, y, x (missing is the last level).
    v1 = _variable("v1", [2, 0, 1], ["a", "b", "c"], False)
    v2 = _variable("v2", [2, 1, 0], ["x", "y"], True)
    stream = make_streams(0).categorical
    # The categorical stream of seed 0 is child 2 of SeedSequence(0).spawn(5); v1 draws
    # u = 0.8383, 0.0837, 0.6176 (its n rows), then v2 draws u = 0.7028, 0.2462, 0.4870.
    u = np.random.default_rng(np.random.SeedSequence(0).spawn(5)[2]).random(6)
    assert np.allclose(u, [0.8383, 0.0837, 0.6176, 0.7028, 0.2462, 0.4870], atol=5e-5)
    drawn = draw_codes(weights, neighbours, [v1, v2], stream)
    # v1, levels a < b < c:
    #   row 0: q = (a .3, b .2, c .5), cumulative (.3, .5, 1.0), u = .8383 -> c
    #   row 1: q = (a .6, b .3, c .1), cumulative (.6, .9, 1.0), u = .0837 -> a
    #   row 2: q = (a .25, b .5, c .25), cumulative (.25, .75, 1.0), u = .6176 -> b
    # (Picking the neighbour by the cumulative weights in neighbour order would give b, c, b.)
    assert drawn[0].tolist() == [2, 0, 1]
    # v2, levels x < y < missing:
    #   row 0: q = (x .2, y .3, missing .5), cumulative (.2, .5, 1.0), u = .7028 -> missing
    #   row 1: q = (x .3, y .6, missing .1), cumulative (.3, .9, 1.0), u = .2462 -> x
    #   row 2: q = (x .5, y .25, missing .25), cumulative (.5, .75, 1.0), u = .4870 -> x
    assert drawn[1].tolist() == [2, 0, 0]


def _reference_draw(
    weights: np.ndarray, neighbours: np.ndarray, codes: np.ndarray, n_levels: int, u: np.ndarray
) -> np.ndarray:
    """§3.8 written out: q over every level, its cumulative sums, the first one above u."""
    n = len(weights)
    q = np.zeros((n, n_levels))
    for i in range(n):
        for j in range(weights.shape[1]):
            q[i, codes[neighbours[i, j]]] += weights[i, j]
    cumulative = np.cumsum(q, axis=1)
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        above = np.flatnonzero(cumulative[i] > u[i])
        out[i] = above[0] if above.size else np.flatnonzero(q[i] > 0)[-1]
    return out


@pytest.mark.parametrize("n_levels", [2, 7, 400])
def test_draw_kernel_is_bit_identical_to_the_written_out_procedure(n_levels: int) -> None:
    rng = np.random.default_rng(n_levels)
    n, k = 1000, 12
    neighbours = rng.integers(0, n, (n, k))
    weights = random_weights(rng.random((n, k)) + 0.01, rng)
    weights[::5, 3] = 0.0  # zero weights are never drawn
    codes = rng.integers(0, n_levels, n)
    variable = Categorical("v", codes, np.arange(n_levels).astype(str).astype(object), False)
    (drawn,) = draw_codes(weights, neighbours, [variable], np.random.default_rng(5))
    u = np.random.default_rng(5).random(n)
    expected = _reference_draw(weights, neighbours, codes, n_levels, u)
    assert np.array_equal(drawn, expected)


def test_u_just_below_one_takes_the_last_level_with_positive_probability() -> None:
    class Near1:
        def random(self, n: int) -> np.ndarray:
            return np.full(n, np.nextafter(1.0, 0.0))

    # Weights summing to slightly less than 1 in floating point.
    weights = np.array([[0.1, 0.7, 0.2 - 1e-15, 0.0]])
    neighbours = np.array([[0, 1, 2, 3]])
    variable = _variable("v", [1, 0, 2, 3], ["a", "b", "c", "d"], False)
    (drawn,) = draw_codes(weights, neighbours, [variable], Near1())  # type: ignore[arg-type]
    assert drawn.tolist() == [2]  # c: d has q = 0


def test_avatarize_draws_seed_for_seed_as_the_specification_predicts() -> None:
    rng = np.random.default_rng(3)
    n = 40
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "y": np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n)),
            "size": rng.choice(["S", "M", "L", "XL"], n).astype(object),
        }
    )
    seed, k = 17, 6
    out = avatarize(
        frame, AvatarizationConfig(k=k, seed=seed, imputation=ImputationConfig(method="mean"))
    )
    # The same steps by hand: projection (mean imputation), neighbours, weights, then the draws
    # of §3.8 with the categorical stream: colour, size (input order), then y__is_missing.
    streams = make_streams(seed)
    table = encode(frame, column_kinds(frame))
    filled = np.where(np.isnan(table.continuous), np.nanmean(table.continuous, axis=0), 0)
    filled = np.where(np.isnan(table.continuous), filled, table.continuous)
    missing = np.isnan(table.continuous[:, 1]).astype(np.int64)
    indicator = Categorical("y__is_missing", missing, np.array([False, True], object), False)
    variables = [*table.categoricals, indicator]
    projection = fit_projection(
        type(table)(table.continuous_names, table.continuous, variables), filled, [1.0] * 5
    )
    coords = projection.transform(filled, [v.codes for v in variables], 5)
    dist, neighbours = neighbours_excluding_self(coords, k)
    weights = random_weights(dist, streams.weights)
    draws = []
    for variable in variables:
        u = streams.categorical.random(n)
        draws.append(_reference_draw(weights, neighbours, variable.codes, variable.n_levels, u))
    colour, size, y_missing = draws
    assert out.unshuffled["colour"].tolist() == list(table.categoricals[0].modalities[colour])
    assert out.unshuffled["size"].tolist() == list(table.categoricals[1].modalities[size])
    assert out.unshuffled["y"].isna().tolist() == (y_missing == 1).tolist()
