"""FAMD (PCA and MCA as special cases) with column weights and an exact decomposition (§3.4).

The decomposition is the eigendecomposition of the D_enc × D_enc Gram matrix ZᵀZ / n,
accumulated over row batches, so no n × D_enc matrix of the whole table is ever held and no
n × n object exists. It is exact (no randomized SVD).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from avatars_server.engine.jit import jit
from avatars_server.engine.table import Encoded, FloatArray, IntArray

# Rows per batch are chosen so that one batch of the continuous block stays near 64 MB.
_BATCH_CELLS = 8_000_000
# Rows projected at a time by ``transform`` (the centred continuous block of one chunk).
TRANSFORM_ROWS = 65_536


@jit()
def _add_levels(
    coords: Any, codes: Any, centres: Any, tables: Any, offsets: Any, sizes: Any
) -> None:  # pragma: no cover - compiled
    """coords[i] −= centres[v], then += the row of i's level in variable v's table (the last
    row, zeros, for an unseen level, code −1), for every variable v in order: the operations,
    and their order, of the per-variable numpy passes, one row at a time."""
    for i in range(coords.shape[0]):
        for v in range(codes.shape[1]):
            c = codes[i, v]
            row = offsets[v] + (c if c >= 0 else sizes[v])
            for a in range(coords.shape[1]):
                coords[i, a] = coords[i, a] - centres[v, a]
                coords[i, a] = coords[i, a] + tables[row, a]


@dataclass(frozen=True)
class Projection:
    """A fitted FAMD.

    Attributes:
        mean: shape (n_continuous,), fitted means.
        sd: shape (n_continuous,), fitted population sds (0 replaced by 1).
        continuous_weight: shape (n_continuous,), √w of each continuous column.
        proportions: per categorical variable, shape (n_levels,), proportion of each level.
        categorical_weight: shape (n_categorical,), √w of each categorical variable.
        components: shape (D_enc, D), the axes V (columns), D = min(n, D_enc).
        eigenvalues: shape (D,), λ_a in decreasing order.
    """

    mean: FloatArray
    sd: FloatArray
    continuous_weight: FloatArray
    proportions: tuple[FloatArray, ...]
    categorical_weight: FloatArray
    components: FloatArray
    eigenvalues: FloatArray

    @property
    def explained_variance_ratio(self) -> FloatArray:
        """λ_a / Σλ over all axes, shape (D,)."""
        total = float(self.eigenvalues.sum())
        return self.eigenvalues / total if total > 0 else np.zeros_like(self.eigenvalues)

    def transform(self, continuous: FloatArray, codes: Sequence[IntArray], ncp: int) -> FloatArray:
        """Coordinates C = Z·V on the first ``ncp`` axes.

        Args:
            continuous: shape (n, n_continuous), without NaN.
            codes: per categorical variable, shape (n,); -1 for an unseen modality.
            ncp: number of axes.

        Returns:
            Shape (n, ncp).
        """
        v = self.components[:, :ncp]
        n_cont = continuous.shape[1]
        # Scaling folded into the axes; centring first keeps large offsets (epoch seconds)
        # from cancelling digits.
        scaled_axes = v[:n_cont] * (self.continuous_weight / self.sd)[:, None]
        # Categorical part without one-hot: every level contributes −√p·√w·V_m, and the
        # row's own level adds √w/√p·V_m on top; unseen levels add nothing.
        centres = np.zeros((len(codes), ncp))
        tables: list[FloatArray] = []
        offset = n_cont
        for j, (p, w) in enumerate(zip(self.proportions, self.categorical_weight, strict=True)):
            rows = v[offset : offset + len(p)]
            centres[j] = (np.sqrt(p) * w) @ rows
            tables.append(np.vstack([rows * (w / np.sqrt(p))[:, None], np.zeros((1, ncp))]))
            offset += len(p)
        sizes = np.asarray([len(p) for p in self.proportions], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]]).astype(np.int64)
        stacked = np.vstack(tables) if tables else np.zeros((0, ncp))
        n = continuous.shape[0]
        coords = np.empty((n, ncp))
        # In row chunks: no n × n_continuous temporary (BLAS gives each row the same product
        # whatever the chunk), and the levels added by a kernel without n × ncp gathers.
        for start in range(0, n, TRANSFORM_ROWS):
            stop = min(n, start + TRANSFORM_ROWS)
            block = (continuous[start:stop] - self.mean) @ scaled_axes
            if len(codes):
                chunk_codes = np.stack([c[start:stop] for c in codes], axis=1)
                _add_levels(block, chunk_codes, centres, stacked, starts, sizes)
            coords[start:stop] = block
        return coords


@jit()
def _level_sums(codes: Any, values: Any, n_levels: int) -> Any:  # pragma: no cover - compiled
    """Per level l, the sum of the rows of ``values`` whose code is l, shape (n_levels, d):
    from 0, row after row in order, as the sparse one-hot product (``csr_matvecs``) it replaces
    adds them (bitwise the same sums)."""
    out = np.zeros((n_levels, values.shape[1]))
    for i in range(values.shape[0]):
        c = codes[i]
        for k in range(values.shape[1]):
            out[c, k] += values[i, k]
    return out


@jit()
def _centred_squares(values: Any, mean: Any) -> Any:  # pragma: no cover - compiled
    """Σ_i (values[i, j] − mean[j])² per column, rows added in order from 0."""
    out = np.zeros(values.shape[1])
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            d = values[i, j] - mean[j]
            out[j] += d * d
    return out


def _column_sd(continuous: FloatArray, mean: FloatArray) -> FloatArray:
    """``continuous.std(axis=0)`` without its n × p temporary. numpy sums a row-major matrix of
    several columns along axis 0 row after row, which the kernel repeats (the same bits); a
    single column or another layout (summed pairwise) keeps numpy's own path."""
    if continuous.shape[1] < 2 or not continuous.flags.c_contiguous:
        return np.asarray(continuous.std(axis=0), dtype=np.float64)
    return np.asarray(np.sqrt(_centred_squares(continuous, mean) / continuous.shape[0]))


def _gram(
    continuous: FloatArray,
    mean: FloatArray,
    sd: FloatArray,
    continuous_weight: FloatArray,
    table: Encoded,
    proportions: tuple[FloatArray, ...],
    categorical_weight: FloatArray,
) -> FloatArray:
    """ZᵀZ / n without building Z, shape (D_enc, D_enc).

    Z = [Zc, O − 1cᵀ] where Zc is the scaled continuous block, O the sparse one-hot block with
    entries √w/√p and c = √p·√w per level. Only Zc is materialised, in row batches; the
    categorical blocks come from group sums and contingency tables, in O(n) each.
    """
    n, n_cont = continuous.shape
    levels = [len(p) for p in proportions]
    offsets = np.concatenate([[0], np.cumsum(levels)]).astype(np.int64)
    n_levels = int(offsets[-1])
    scale = [w / np.sqrt(p) for p, w in zip(proportions, categorical_weight, strict=True)]
    centre = (
        np.concatenate(
            [np.sqrt(p) * w for p, w in zip(proportions, categorical_weight, strict=True)]
        )
        if proportions
        else np.zeros(0)
    )
    codes = [v.codes for v in table.categoricals]
    cc = np.zeros((n_cont, n_cont))
    col_sum = np.zeros(n_cont)
    cd = np.zeros((n_cont, n_levels))
    batch = max(1, _BATCH_CELLS // max(1, n_cont))
    for start in range(0, n, batch):
        stop = min(n, start + batch)
        zc = (continuous[start:stop] - mean) / sd * continuous_weight
        cc += zc.T @ zc
        col_sum += zc.sum(axis=0)
        for v, c in enumerate(codes):
            sums = _level_sums(c[start:stop], zc, levels[v])
            cd[:, offsets[v] : offsets[v + 1]] += sums.T * scale[v]
    dd = np.zeros((n_levels, n_levels))
    for u, cu in enumerate(codes):
        su = slice(offsets[u], offsets[u + 1])
        dd[su, su] = np.diag(np.bincount(cu, minlength=levels[u]) * scale[u] ** 2)
        for v in range(u + 1, len(codes)):
            sv = slice(offsets[v], offsets[v + 1])
            table_uv = np.bincount(cu * levels[v] + codes[v], minlength=levels[u] * levels[v])
            block = table_uv.reshape(levels[u], levels[v]) * np.outer(scale[u], scale[v])
            dd[su, sv] = block
            dd[sv, su] = block.T
    # Column sums of O are n·√p·√w = n·c.
    dd -= n * np.outer(centre, centre)
    cd -= np.outer(col_sum, centre)
    gram = np.block([[cc, cd], [cd.T, dd]])
    return np.asarray(gram / n, dtype=np.float64)


def fit_projection(
    table: Encoded,
    continuous: FloatArray,
    weights: Sequence[float],
) -> Projection:
    """Fit the FAMD of method.md §3.4 on an imputed table.

    Args:
        table: encoded table (its categorical codes are used; its continuous values are not).
        continuous: shape (n, n_continuous), imputed continuous values.
        weights: column weight w of every variable: continuous ones first, then categorical.

    Returns:
        The fitted projection with all D = min(n, D_enc) axes.
    """
    n = continuous.shape[0]
    n_cont = continuous.shape[1]
    mean = continuous.mean(axis=0) if n_cont else np.zeros(0)
    sd = _column_sd(continuous, mean) if n_cont else np.zeros(0)
    sd = np.where(sd > 0, sd, 1.0)
    w = np.sqrt(np.asarray(weights, dtype=np.float64))
    props = tuple(
        np.bincount(v.codes, minlength=v.n_levels).astype(np.float64) / n
        for v in table.categoricals
    )
    gram = _gram(continuous, mean, sd, w[:n_cont], table, props, w[n_cont:])
    eigenvalues, vectors = np.linalg.eigh(gram)
    order = np.argsort(eigenvalues)[::-1][: min(n, table.n_dimensions)]
    eigenvalues = np.maximum(eigenvalues[order], 0.0)
    vectors = vectors[:, order]
    # Sign convention: the loading of largest magnitude of each axis is positive.
    pivot = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[pivot, np.arange(vectors.shape[1])])
    vectors *= np.where(signs == 0, 1.0, signs)
    return Projection(mean, sd, w[:n_cont], props, w[n_cont:], vectors, eigenvalues)
