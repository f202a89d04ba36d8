"""FAMD (PCA and MCA as special cases) with column weights and an exact decomposition (§3.4).

The decomposition is the eigendecomposition of the D_enc × D_enc Gram matrix ZᵀZ / n,
accumulated over row batches, so no n × D_enc matrix of the whole table is ever held and no
n × n object exists. It is exact (no randomized SVD).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from avatars_server.engine.table import Encoded, FloatArray, IntArray

# Rows per batch are chosen so that one dense batch of Z stays near 64 MB.
_BATCH_CELLS = 8_000_000


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

    def _scaled_batch(self, continuous: FloatArray, codes: Sequence[IntArray]) -> FloatArray:
        """Z for a batch of rows, shape (b, D_enc)."""
        parts = [(continuous - self.mean) / self.sd * self.continuous_weight]
        for p, w, c in zip(self.proportions, self.categorical_weight, codes, strict=True):
            root = np.sqrt(p)
            block = np.broadcast_to(-root * w, (len(c), len(p))).copy()
            known = np.flatnonzero(c >= 0)
            block[known, c[known]] += w / root[c[known]]
            parts.append(block)
        return np.hstack(parts)

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
        z = (continuous - self.mean) / self.sd * self.continuous_weight
        coords = z @ v[:n_cont]
        # Categorical part without one-hot: every level contributes −√p·√w·V_m, and the
        # row's own level adds √w/√p·V_m on top; unseen levels add nothing.
        offset = n_cont
        for p, w, c in zip(self.proportions, self.categorical_weight, codes, strict=True):
            rows = v[offset : offset + len(p)]
            coords -= (np.sqrt(p) * w) @ rows
            table = np.vstack([rows * (w / np.sqrt(p))[:, None], np.zeros((1, ncp))])
            coords += table[np.where(c >= 0, c, len(p))]
            offset += len(p)
        return coords


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
    sd = continuous.std(axis=0) if n_cont else np.zeros(0)
    sd = np.where(sd > 0, sd, 1.0)
    w = np.sqrt(np.asarray(weights, dtype=np.float64))
    props = tuple(
        np.bincount(v.codes, minlength=v.n_levels).astype(np.float64) / n
        for v in table.categoricals
    )
    proj = Projection(mean, sd, w[:n_cont], props, w[n_cont:], np.zeros((0, 0)), np.zeros(0))
    codes = [v.codes for v in table.categoricals]
    d_enc = table.n_dimensions
    gram = np.zeros((d_enc, d_enc))
    batch = max(1, _BATCH_CELLS // max(1, d_enc))
    for start in range(0, n, batch):
        stop = min(n, start + batch)
        z = proj._scaled_batch(continuous[start:stop], [c[start:stop] for c in codes])
        gram += z.T @ z
    gram /= n
    eigenvalues, vectors = np.linalg.eigh(gram)
    order = np.argsort(eigenvalues)[::-1][: min(n, d_enc)]
    eigenvalues = np.maximum(eigenvalues[order], 0.0)
    vectors = vectors[:, order]
    # Sign convention: the loading of largest magnitude of each axis is positive.
    pivot = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[pivot, np.arange(vectors.shape[1])])
    vectors *= np.where(signs == 0, 1.0, signs)
    return Projection(mean, sd, w[:n_cont], props, w[n_cont:], vectors, eigenvalues)
