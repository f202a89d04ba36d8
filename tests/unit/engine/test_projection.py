"""FAMD projection: agreement with saiph's exact FAMD, PCA and MCA special cases, conventions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import saiph

from avatars_server.engine.projection import fit_projection
from avatars_server.engine.table import column_kinds, encode


def _fit(frame: pd.DataFrame, weights: list[float] | None = None) -> tuple[np.ndarray, object]:
    table = encode(frame, column_kinds(frame))
    n_vars = len(table.continuous_names) + len(table.categoricals)
    projection = fit_projection(table, table.continuous, weights or [1.0] * n_vars)
    d = min(len(frame), table.n_dimensions)
    coords = projection.transform(table.continuous, [v.codes for v in table.categoricals], d)
    return coords, projection


def _mixed(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "y": rng.normal(size=n) * 3 + 1,
            "z": rng.exponential(size=n),
            "c": pd.Categorical(rng.choice(["a", "b", "c"], n)),
            "d": pd.Categorical(rng.choice(["u", "v"], n)),
        }
    )


def test_matches_saiph_exact_famd_up_to_sign() -> None:
    frame = _mixed()
    model = saiph.fit(frame, nf=None)  # nf=None: saiph's full (exact) SVD
    theirs = saiph.transform(frame, model).to_numpy()[:, :5]
    ours, projection = _fit(frame)
    assert np.allclose(projection.explained_variance_ratio[:5], model.explained_var_ratio[:5])
    signs = np.sign((ours[:, :5] * theirs).sum(axis=0))
    assert np.allclose(ours[:, :5], theirs * signs, atol=1e-8)


def test_fitted_coordinates_have_variance_lambda_and_sign_convention() -> None:
    coords, projection = _fit(_mixed())
    assert np.allclose(coords.var(axis=0)[:5], projection.eigenvalues[:5])
    vectors = projection.components
    pivot = np.argmax(np.abs(vectors), axis=0)
    assert (vectors[pivot, np.arange(vectors.shape[1])] > 0).all()


def test_all_continuous_is_a_standardized_pca() -> None:
    frame = _mixed()[["x", "y", "z"]]
    _, projection = _fit(frame)
    correlation = np.corrcoef(frame.to_numpy(), rowvar=False)
    assert np.allclose(projection.eigenvalues, np.sort(np.linalg.eigvalsh(correlation))[::-1])


def test_all_categorical_is_an_mca_scaled_by_the_number_of_variables() -> None:
    frame = _mixed()[["c", "d"]]
    coords, _projection = _fit(frame)
    model = saiph.fit(frame, nf=None)
    mca = saiph.transform(frame, model).to_numpy()
    top = 2
    ratio = np.abs(coords[:, :top]).sum(axis=0) / np.abs(mca[:, :top]).sum(axis=0)
    assert np.allclose(ratio, ratio[0], rtol=1e-6)
    assert np.allclose(np.abs(np.corrcoef(coords[:, 0], mca[:, 0])[0, 1]), 1.0)


def test_weights_multiply_squared_distances() -> None:
    frame = _mixed()[["x", "y"]]
    plain, _ = _fit(frame)
    heavy, _ = _fit(frame, [4.0, 4.0])
    d_plain = np.linalg.norm(plain[0] - plain[1])
    d_heavy = np.linalg.norm(heavy[0] - heavy[1])
    assert np.isclose(d_heavy, 2.0 * d_plain)


def test_unseen_modality_contributes_nothing() -> None:
    frame = _mixed()
    table = encode(frame, column_kinds(frame))
    projection = fit_projection(table, table.continuous, [1.0] * 5)
    other = frame.head(1).copy()
    other["c"] = pd.Categorical(["zzz"])
    codes = encode(other, column_kinds(frame), reference=table)
    assert codes.categoricals[0].codes.tolist() == [-1]
    coords = projection.transform(codes.continuous, [v.codes for v in codes.categoricals], 3)
    assert np.isfinite(coords).all()
