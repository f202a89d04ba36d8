"""Faithfulness on the paper's data: the engine lands inside the bands of method.md §7.

AIDS (k=20, ncp=5, 17 categorical columns) and WBCD (all categorical, k=20, ncp=2), over three
seeds each. Each case takes about a second.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import (
    AvatarizationConfig,
    AvatarizationOutput,
    PrivacyConfig,
    PrivacyMetricsResult,
    SignalMetricsResult,
    avatarize,
    compute_privacy_metrics,
    compute_signal_metrics,
)

# The paper-data cases, as the marker's description says; `make test` still runs them
# (deselect with -m "not slow" for a quick loop).
pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data" / "paper"
SEEDS = (0, 1, 2)
# method.md §7.1: the 17 columns with at most 10 distinct values.
AIDS_CATEGORICAL = [
    *("hemo", "homo", "drugs", "karnof", "oprior", "z30", "zprior", "race", "gender"),
    *("str2", "strat", "symptom", "treat", "offtrt", "r", "cens", "arms"),
]
# method.md §7.1: sd ratio bands are ±0.08 around the paper avatars' ratios.
AIDS_SD_RATIO = {
    "age": 0.66,
    "wtkg": 0.67,
    "preanti": 0.84,
    "cd40": 0.74,
    "cd420": 0.80,
    "cd496": 0.80,
    "cd80": 0.68,
    "cd820": 0.67,
    "days": 0.87,
}


def aids() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "aids.csv")
    return frame.astype({name: "category" for name in AIDS_CATEGORICAL})


def wbcd() -> pd.DataFrame:
    return pd.read_csv(DATA / "wbcd.csv")


@cache
def aids_run(seed: int) -> tuple[AvatarizationOutput, PrivacyMetricsResult, SignalMetricsResult]:
    original = aids()
    out = avatarize(original, AvatarizationConfig(k=20, ncp=5, seed=seed))
    privacy = compute_privacy_metrics(original, out.unshuffled, PrivacyConfig(ncp=5, seed=seed))
    return out, privacy, compute_signal_metrics(original, out.avatars)


@cache
def wbcd_run(seed: int) -> AvatarizationOutput:
    return avatarize(wbcd().astype("category"), AvatarizationConfig(k=20, ncp=2, seed=seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_aids_privacy_metrics_in_bands(seed: int) -> None:
    _, m, _ = aids_run(seed)
    assert 90 <= m.hidden_rate <= 97
    assert 7 <= m.local_cloaking <= 17
    assert 3 <= m.details["local_cloaking_share_zero"] <= 10  # type: ignore[operator]
    assert m.distance_to_closest is not None and 0.30 <= m.distance_to_closest <= 0.48
    assert m.closest_distances_ratio is not None and 0.72 <= m.closest_distances_ratio <= 0.87
    assert m.closest_rate is not None and 93 <= m.closest_rate <= 99
    assert m.row_direct_match_protection >= 99.9
    assert 62 <= m.column_direct_match_protection <= 78
    assert m.details["column_direct_match_protection_worst_column"] in {"cd80", "cd820"}
    assert 97 <= m.categorical_hidden_rate <= 99.6


@pytest.mark.parametrize("seed", SEEDS)
def test_aids_signal_metrics_in_bands(seed: int) -> None:
    _, _, s = aids_run(seed)
    assert 0.040 <= s.hellinger_mean <= 0.075
    assert 0.045 <= s.hellinger_std <= 0.080
    assert s.correlation_difference_ratio is not None
    assert 2.0 <= s.correlation_difference_ratio <= 3.3


@pytest.mark.parametrize("seed", SEEDS)
def test_aids_avatars_keep_format_missingness_and_marginals(seed: int) -> None:
    original = aids()
    out, _, _ = aids_run(seed)
    avatars = out.unshuffled
    assert list(avatars.columns) == list(original.columns)
    missing = avatars["cd496"].isna()
    assert 740 <= missing.sum() <= 860
    assert (missing == (avatars["r"] == 0)).mean() >= 0.95
    assert 0.14 <= (avatars["symptom"] == 1).mean() <= 0.175
    assert (avatars["cd496"].dropna() % 1 == 0).all()
    for name, paper in AIDS_SD_RATIO.items():
        ratio = avatars[name].std() / original[name].std()
        assert abs(ratio - paper) <= 0.08, (name, ratio)
        assert ratio < 1


@pytest.mark.parametrize("seed", SEEDS)
def test_wbcd_copies_and_engine_typing_metrics(seed: int) -> None:
    original = wbcd()
    out = wbcd_run(seed)
    avatars = out.unshuffled.astype(np.int64)
    copies = avatars.merge(original.drop_duplicates(), how="left", indicator=True)
    assert 0.50 <= (copies["_merge"] == "both").mean() <= 0.60
    assert 385 <= len(avatars.drop_duplicates()) <= 420
    assert 215 <= (avatars["Class"] == 4).sum() <= 265
    sd_ratio = avatars.std() / original.std()
    assert ((sd_ratio >= 0.80) & (sd_ratio <= 1.08)).all(), sd_ratio.to_dict()

    m = compute_privacy_metrics(original.astype("category"), out.unshuffled, PrivacyConfig(ncp=2))
    assert 40 <= m.row_direct_match_protection <= 50
    assert 88 <= m.hidden_rate <= 94
    assert 10 <= m.local_cloaking <= 17
    assert 91 <= m.categorical_hidden_rate <= 96
    assert m.closest_rate is not None and 88 <= m.closest_rate <= 96
    assert m.distance_to_closest is not None and m.distance_to_closest <= 0.01
    assert m.closest_distances_ratio is not None and 0.95 <= m.closest_distances_ratio <= 1.0
    assert m.column_direct_match_protection == 100.0
    # The expected failures of §7.2: row direct match and DCR miss their targets at k = 20.
    assert m.row_direct_match_protection < 90 and m.distance_to_closest < 0.2

    s = compute_signal_metrics(original.astype("category"), out.avatars)
    assert 0.020 <= s.hellinger_mean <= 0.060
    assert s.correlation_difference_ratio is not None
    assert 3.0 <= s.correlation_difference_ratio <= 4.6


@pytest.mark.parametrize("seed", SEEDS)
def test_wbcd_paper_typing_metrics(seed: int) -> None:
    original = wbcd()
    out = wbcd_run(seed)
    m = compute_privacy_metrics(
        original, out.unshuffled, PrivacyConfig(ncp=2), categorical=["Class"]
    )
    assert 91 <= m.hidden_rate <= 96
    assert 20 <= m.local_cloaking <= 30
