"""Running the engine once on a small table, so that a process's first job starts warm (#12).

The first call of the numba kernels in a process costs about 0.7 s whatever the table's size:
numba sets up its typing and target registries (which import ``scipy.linalg``) and loads each
cached kernel. A job worker pays it once at start instead of in its first job.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars_server.engine.avatarize import avatarize
from avatars_server.engine.config import AvatarizationConfig, PrivacyConfig
from avatars_server.engine.neighbours import build_tree, rebuild_tree
from avatars_server.engine.privacy import compute_privacy_metrics
from avatars_server.engine.signal import compute_signal_metrics

_ROWS = 1_000


def warm_up_table(n: int = _ROWS) -> pd.DataFrame:
    """A small mixed table: decimals, missing values, integers, categories, strings, booleans."""
    rng = np.random.default_rng(0)
    latent = rng.normal(size=(n, 2))
    frame = pd.DataFrame(
        {f"x{j}": np.round(latent @ rng.normal(size=2) + rng.normal(size=n), 2) for j in range(4)}
    )
    frame.loc[rng.random(n) < 0.05, "x0"] = np.nan
    frame["count"] = rng.integers(0, 20, n)
    frame["group"] = pd.Categorical(np.where(latent[:, 0] > 0, "a", "b"))
    labels = np.array(["u", "v", "w", None], dtype=object)
    frame["label"] = labels[rng.integers(0, len(labels), n)]
    frame["flag"] = latent[:, 1] > 0
    return frame


def warm_up() -> None:
    """Avatarize :func:`warm_up_table` and compute its privacy and signal metrics."""
    table = warm_up_table()
    out = avatarize(table, AvatarizationConfig(k=10, seed=0))
    compute_privacy_metrics(table, out.unshuffled, PrivacyConfig(seed=0))
    compute_signal_metrics(table, out.avatars)
    # A full job's privacy metrics rebuild the avatarization's tree when the table has no
    # missing value (this one has: their projections differ); its kernel is loaded here.
    points = np.random.default_rng(0).normal(size=(_ROWS, 5))
    rebuild_tree(points, build_tree(points).perm)
