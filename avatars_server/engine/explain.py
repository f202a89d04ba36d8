"""What a fitted projection shows: coordinates, explained variance and variable contributions.

Used to record, when a job runs, what the projections, explained-variance and contributions
routes and the reports show, so that they never change when asked twice.

Contribution of variable v to component a, on a table T projected with the fitted axes (the
project's choice, avatar-api §2.7): with F_a the coordinates of T on axis a, w_v the column
weight and s_v = cor²(x_v, F_a) for a continuous variable or the correlation ratio η²(F_a | v)
for a categorical one,

    contribution_{v,a} = 100 · w_v · s_v / Σ_u w_u · s_u.

On the fitted table itself this is the usual FAMD contribution (the squared loadings of the
variable's columns, in percent: Σ_u w_u · s_u = λ_a there); on avatars it measures the same
thing with the same axes. Is-missing indicators count towards their variable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from avatars_server.engine.projection import Projection
from avatars_server.engine.table import FloatArray, IntArray

DEFAULT_COMPONENTS = 5
"""Components kept for coordinates and contributions (fewer when the model has fewer)."""


@dataclass(frozen=True)
class ProjectionModel:
    """A fitted projection as the reports see it.

    Attributes:
        eigenvalues: shape (D,), variance of every component, decreasing.
        explained_variance_ratio: shape (D,), share of the total variance of each component.
        original_coords: shape (n, c), originals on the first c components.
        avatar_coords: shape (n, c), row-aligned avatars on the same components.
        contributions_original: component name ("Dim. 1"...) → variable → percent.
        contributions_avatars: the same, computed on the avatars.
    """

    eigenvalues: FloatArray
    explained_variance_ratio: FloatArray
    original_coords: FloatArray
    avatar_coords: FloatArray
    contributions_original: dict[str, dict[str, float]]
    contributions_avatars: dict[str, dict[str, float]]


def component_names(count: int) -> list[str]:
    """["Dim. 1", "Dim. 2", ...]."""
    return [f"Dim. {a + 1}" for a in range(count)]


def _squared_associations(
    continuous: FloatArray, codes: Sequence[IntArray], coords: FloatArray
) -> FloatArray:
    """cor²(x_j, F_a) for continuous columns, then η²(F_a | v) for categorical variables.

    Returns:
        Shape (n_continuous + n_categorical, c); 0 where a variable or an axis is constant.
    """
    c = coords.shape[1]
    centred = coords - coords.mean(axis=0)
    total = (centred**2).sum(axis=0)
    # Each axis contiguous for the group sums below (the same values: the same sums, faster).
    axes = np.ascontiguousarray(centred.T)
    rows: list[FloatArray] = []
    if continuous.shape[1]:
        x = continuous - continuous.mean(axis=0)
        cross = x.T @ centred
        x_ss = (x**2).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = cross**2 / np.outer(x_ss, total)
        rows.append(np.where(np.isfinite(r2), r2, 0.0))
    for variable_codes in codes:
        group = variable_codes + 1  # -1 (an unseen modality) becomes a group of its own
        size = np.bincount(group).astype(np.float64)
        eta = np.zeros(c)
        for a in range(c):
            sums = np.bincount(group, weights=axes[a], minlength=len(size))
            with np.errstate(divide="ignore", invalid="ignore"):
                between = np.where(size > 0, sums**2 / size, 0.0).sum()
            eta[a] = between / total[a] if total[a] > 0 else 0.0
        rows.append(eta[None, :])
    if not rows:
        return np.zeros((0, c))
    return np.vstack(rows)


def contributions(
    continuous: FloatArray,
    codes: Sequence[IntArray],
    coords: FloatArray,
    names: Sequence[str],
    weights: Sequence[float],
    owners: Mapping[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Contribution in percent of each variable to each component (see the module docstring).

    Args:
        continuous: shape (n, n_continuous), without NaN.
        codes: per categorical variable, shape (n,).
        coords: shape (n, c), the table's coordinates.
        names: variable names, continuous first then categorical.
        weights: the column weight w of each variable, same order.
        owners: variable → the variable it counts towards (is-missing indicators).

    Returns:
        component name → variable → percent; each component sums to 100 (or is all 0).
    """
    owners = owners or {}
    squared = _squared_associations(continuous, codes, coords) * np.asarray(weights)[:, None]
    totals = squared.sum(axis=0)
    result: dict[str, dict[str, float]] = {}
    for a, component in enumerate(component_names(coords.shape[1])):
        shares: dict[str, float] = {}
        for v, name in enumerate(names):
            owner = owners.get(name, name)
            share = 100.0 * squared[v, a] / totals[a] if totals[a] > 0 else 0.0
            shares[owner] = shares.get(owner, 0.0) + float(share)
        result[component] = shares
    return result


def explain_projection(
    projection: Projection,
    names: Sequence[str],
    original: tuple[FloatArray, Sequence[IntArray]],
    avatars: tuple[FloatArray, Sequence[IntArray]],
    *,
    owners: Mapping[str, str] | None = None,
    components: int = DEFAULT_COMPONENTS,
    coords: tuple[FloatArray | None, FloatArray | None] | None = None,
) -> ProjectionModel:
    """Coordinates, explained variance and contributions of originals and row-aligned avatars.

    Args:
        projection: the fitted FAMD.
        names: variable names, continuous first then categorical (indicators included), in the
            projection's order.
        original: the originals' continuous values (imputed, shape (n, n_continuous)) and
            categorical codes, as the projection was fitted on.
        avatars: the avatars in the same encoding.
        owners: variable → the variable it counts towards (is-missing indicators).
        components: number of leading components kept.
        coords: the originals' and avatars' coordinates when already computed (used when they
            hold at least ``components`` axes; computed otherwise).
    """
    c = min(components, len(projection.eigenvalues))
    weights = np.concatenate([projection.continuous_weight, projection.categorical_weight]) ** 2
    points = []
    shares = []
    for (continuous, codes), given in zip((original, avatars), coords or (None, None), strict=True):
        if given is not None and given.shape[1] >= c:
            xy = given[:, :c]
        else:
            xy = projection.transform(continuous, codes, c)
        points.append(xy)
        shares.append(contributions(continuous, codes, xy, names, list(weights), owners))
    return ProjectionModel(
        eigenvalues=projection.eigenvalues.copy(),
        explained_variance_ratio=projection.explained_variance_ratio,
        original_coords=points[0],
        avatar_coords=points[1],
        contributions_original=shares[0],
        contributions_avatars=shares[1],
    )
