"""Projection of one series variable: FPCA with an exact decomposition, or flatten (§2.4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import FloatArray


@dataclass(frozen=True)
class FPCA:
    """Keep ``nf`` functional principal components per series variable."""

    nf: int


@dataclass(frozen=True)
class Flatten:
    """Use the grid values themselves."""


ProjectionSpec = FPCA | Flatten


@dataclass(frozen=True)
class FittedBlock:
    """A series variable's fitted projection.

    Attributes:
        mean: shape (G,), μ_v.
        components: shape (G, G), rows φ_a (unit norm, largest-magnitude entry positive).
        eigenvalues: shape (G,), λ_a in decreasing order (zeros beyond the rank).
        nf: kept components (FPCA), or None for flatten.
    """

    mean: FloatArray
    components: FloatArray
    eigenvalues: FloatArray
    nf: int | None

    @property
    def lambda1(self) -> float:
        """λ_1(v), the first eigenvalue."""
        return float(self.eigenvalues[0]) if self.eigenvalues.size else 0.0

    @property
    def width(self) -> int:
        """Number of columns of the block."""
        return self.nf if self.nf is not None else len(self.mean)

    def suffixes(self) -> list[str]:
        """Column suffixes: ``fpc1..fpc<nf>`` or ``g0..g<G-1>``."""
        if self.nf is not None:
            return [f"fpc{a + 1}" for a in range(self.nf)]
        return [f"g{g}" for g in range(len(self.mean))]

    def block(self, grid_values: FloatArray) -> FloatArray:
        """The block of individuals from their grid values, shape (n, G) -> (n, width).

        FPCA scores ξ_a = (Y − μ)·φ_a; flatten: the grid values. NaN rows stay NaN.
        """
        if self.nf is None:
            return grid_values.copy()
        return np.asarray((grid_values - self.mean) @ self.components[: self.nf].T)

    def curves(self, block: FloatArray) -> FloatArray:
        """Grid curves from block values, shape (n, width) -> (n, G): μ + Σ ξ_a φ_a (FPCA)."""
        if self.nf is None:
            return block.copy()
        return np.asarray(self.mean + block @ self.components[: self.nf])


def fit_block(observed: FloatArray, spec: ProjectionSpec, *, name: str) -> FittedBlock:
    """Fit the projection of one variable on the grid values of the individuals observing it.

    The decomposition is the exact eigendecomposition of the G × G matrix Ycᵀ Yc / n_v, which
    has the eigenvalues S_a² and right singular vectors of the thin SVD of Yc/√n_v (method.md
    §3.4 allows either; G ≤ G_max keeps it small).

    Args:
        observed: shape (n_v, G), no NaN.
        spec: FPCA(nf) or Flatten.
        name: the variable, for messages.

    Raises:
        AvatarError: ``INVALID_NF`` unless 1 ≤ nf ≤ min(G, n_v); ``EMPTY_COLUMN`` when no
            individual observes the variable.
    """
    n_v, size = observed.shape
    if n_v == 0:
        raise AvatarError("EMPTY_COLUMN", f"series column {name!r} has no observed value", name)
    nf: int | None = None
    if isinstance(spec, FPCA):
        bound = min(size, n_v)
        if isinstance(spec.nf, bool) or not isinstance(spec.nf, int) or not 1 <= spec.nf <= bound:
            raise AvatarError(
                "INVALID_NF",
                f"nf must be an integer between 1 and min(G, individuals with this series) = "
                f"{bound} for series column {name!r} (G = {size} grid points, {n_v} "
                f"individuals), got {spec.nf!r}",
                field="nf",
            )
        nf = spec.nf
    mean = observed.mean(axis=0)
    centred = observed - mean
    gram = centred.T @ centred / n_v
    eigenvalues, vectors = np.linalg.eigh(gram)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues = np.maximum(eigenvalues[order], 0.0)
    vectors = vectors[:, order]
    pivot = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[pivot, np.arange(size)])
    vectors = vectors * np.where(signs == 0, 1.0, signs)
    return FittedBlock(mean, np.ascontiguousarray(vectors.T), eigenvalues, nf)


def block_weights(block: FloatArray, lambda1: float, user_weight: float) -> FloatArray:
    """Column weights w_c = Var(c)/λ_1 × user weight, 1 for a constant column (§2.5).

    Args:
        block: shape (n_v, width), the block of the individuals observing the variable.

    Returns:
        Shape (width,), every weight finite and > 0.
    """
    variance = block.var(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = variance / lambda1 * user_weight if lambda1 > 0 else np.ones_like(variance)
    ok = (variance > 0) & np.isfinite(weights) & (weights > 0)
    return np.where(ok, weights, 1.0)
