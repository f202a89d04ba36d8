"""High-cardinality categorical columns kept out of the projection (``exclude_categorical``).

avatar-api.md §3.6; the procedure is this project's, documented in docs/method.md §3.13:

1. a categorical column with at least ``exclude_cardinality_threshold`` observed modalities is
   excluded: it takes no part in the imputation, the projection, the neighbours or the draws;
2. its rare modalities (observed at most ``rare_occurence_threshold`` times) are replaced first,
   as ``rare_replacement_strategy`` says;
3. after the avatarization every excluded column is put back on the avatars, all excluded
   columns together from one original record, as ``exclude_replacement_strategy`` says.

Randomness comes from the ``exclusion`` stream (child 5 of the master seed): first the
``probabilistic`` draws, column by column in input order, then the reference sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from avatars_server.engine.config import ExcludeCategoricalConfig
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.matching import combine
from avatars_server.engine.neighbours import exact_knn
from avatars_server.engine.random import cumulative_draw
from avatars_server.engine.table import Categorical, FloatArray, IntArray


def is_excluded(n_modalities: int, exclude: ExcludeCategoricalConfig | None) -> bool:
    """Whether a categorical column with this many observed modalities is excluded."""
    return exclude is not None and n_modalities >= exclude.exclude_cardinality_threshold


@dataclass(frozen=True)
class Excluded:
    """The excluded columns of a table, their rare modalities replaced.

    Attributes:
        variables: per excluded column, in input order, its codes after the replacement of rare
            modalities; ``modalities`` keeps only the non-rare ones (sorted), and a missing
            level exists when the original column or the ``missing`` strategy needs one.
    """

    variables: list[Categorical]


def replace_rare(
    variables: Sequence[Categorical],
    exclude: ExcludeCategoricalConfig,
    coords: FloatArray,
    rng: np.random.Generator,
) -> Excluded:
    """Replace the rare modalities of the excluded columns.

    - ``most_similar``: the modality of the nearest record, in the first ncp coordinates of
      the projection, whose value is a non-rare modality (ties: lowest row index);
    - ``probabilistic``: a draw among the non-rare modalities weighted by their frequencies
      (§3.8 procedure: modalities sorted, cumulative sums, one u per replaced row in row order);
    - ``missing``: a missing value.

    Args:
        variables: the excluded columns, in input order.
        exclude: the parameters.
        coords: shape (n, ncp), the originals' coordinates.
        rng: the exclusion stream.

    Raises:
        AvatarError: ``INVALID_EXCLUDE_CATEGORICAL`` when every modality of a column is rare
            and the strategy needs a non-rare one.
    """
    return Excluded([_replace(v, exclude, coords, rng) for v in variables])


def _replace(
    variable: Categorical,
    exclude: ExcludeCategoricalConfig,
    coords: FloatArray,
    rng: np.random.Generator,
) -> Categorical:
    n_modalities = len(variable.modalities)
    observed = variable.codes < n_modalities
    counts = np.bincount(variable.codes[observed], minlength=n_modalities)
    rare = counts <= exclude.rare_occurence_threshold
    if not rare.any():
        return variable
    strategy = exclude.rare_replacement_strategy
    if rare.all() and strategy != "missing":
        raise AvatarError(
            "INVALID_EXCLUDE_CATEGORICAL",
            f"every modality of column {variable.name!r} occurs at most "
            f"{exclude.rare_occurence_threshold} times, so none can replace the rare ones; "
            "lower rare_occurence_threshold or use rare_replacement_strategy 'missing'",
            "exclude_categorical.rare_occurence_threshold",
        )
    kept = np.flatnonzero(~rare)
    # New codes: kept modalities keep their sorted order; the missing level comes last.
    recode = np.full(n_modalities + 1, len(kept), dtype=np.int64)
    recode[kept] = np.arange(len(kept))
    codes = recode[variable.codes]
    rows = np.flatnonzero(observed & rare[np.minimum(variable.codes, n_modalities - 1)])
    if strategy == "missing":
        codes[rows] = len(kept)
        has_missing = True
    elif strategy == "probabilistic":
        share = counts[kept] / counts[kept].sum()
        u = np.asarray(rng.random(len(rows)), dtype=np.float64)
        codes[rows] = cumulative_draw(np.broadcast_to(share, (len(rows), len(kept))), u)
        has_missing = variable.has_missing
    else:
        donors = np.flatnonzero(observed & ~rare[np.minimum(variable.codes, n_modalities - 1)])
        tree = cKDTree(coords[donors])
        _, nearest = exact_knn(tree, coords[rows], 1, labels=donors)
        codes[rows] = codes[nearest[:, 0]]
        has_missing = variable.has_missing
    return Categorical(variable.name, codes, variable.modalities[kept], has_missing)


def reference_rows(excluded: Excluded, number: int | None, rng: np.random.Generator) -> IntArray:
    """Rows of the reference records of ``coordinate_similarity``, sorted.

    ``number`` (None: every row) is raised to the number of distinct combinations of excluded
    values and capped at n. From one random permutation of the rows, the first row of each
    combination is taken, then the first other rows until ``number`` rows are taken: every
    combination is covered, and the rest is a uniform sample without replacement.

    Returns:
        Shape (m,), ascending row indices.
    """
    keys = combine([v.codes for v in excluded.variables])
    n = len(keys)
    n_combinations = int(keys.max(initial=-1)) + 1
    if number is None or max(number, n_combinations) >= n:
        return np.arange(n, dtype=np.int64)
    order = np.asarray(rng.permutation(n), dtype=np.int64)
    _, first = np.unique(keys[order], return_index=True)
    chosen = np.zeros(n, dtype=bool)
    chosen[first] = True
    others = np.flatnonzero(~chosen)[: max(number, n_combinations) - len(first)]
    chosen[others] = True
    return np.sort(order[chosen])


def put_back(
    excluded: Excluded,
    exclude: ExcludeCategoricalConfig,
    original_coords: FloatArray,
    avatar_coords: FloatArray,
    rng: np.random.Generator,
) -> list[IntArray]:
    """The excluded columns' codes for the (unshuffled) avatars.

    - ``row_order``: avatar i takes original i's values. This links every avatar to its
      original row: privacy-sensitive by design;
    - ``coordinate_similarity``: avatar i takes the values of the reference record nearest to
      it in the first ncp coordinates (ties: lowest row index).

    Args:
        excluded: the excluded columns, rare modalities replaced.
        exclude: the parameters.
        original_coords: shape (n, ncp).
        avatar_coords: shape (n, ncp), the avatars' own records in the fitted projection.
        rng: the exclusion stream.

    Returns:
        Per excluded column, shape (n,), level codes.
    """
    if exclude.exclude_replacement_strategy == "row_order":
        return [v.codes.copy() for v in excluded.variables]
    reference = reference_rows(excluded, exclude.number_reference_records, rng)
    tree = cKDTree(original_coords[reference])
    _, nearest = exact_knn(tree, avatar_coords, 1, labels=reference)
    source = nearest[:, 0]
    return [v.codes[source] for v in excluded.variables]
