"""Batch metrics: a metric model fitted on the training original, every pair in it (ext. §1.7)."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence

import pandas as pd

from avatars_server.engine.batch import batch_seed
from avatars_server.engine.config import PrivacyConfig, check_privacy_parameters
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.metric_space import MetricModel, fit_metric_model, project_pair
from avatars_server.engine.privacy import PrivacyMetricsResult, privacy_metrics_in_space
from avatars_server.engine.random import make_streams

Progress = Callable[[str, float], None]


def _ignore(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


def fit_batch_metric_model(
    training_original: pd.DataFrame,
    config: PrivacyConfig,
    *,
    categorical: Collection[str] | None = None,
    entropy: int,
) -> MetricModel:
    """The metric preprocessing of every pair, fitted on the training original only (§1.7 step 1).

    Its imputation subset is drawn from child 0's metric stream.
    """
    check_privacy_parameters(config, columns=[str(c) for c in training_original.columns])
    data = training_original.reset_index(drop=True)
    data.columns = [str(c) for c in data.columns]
    rng = make_streams(batch_seed(entropy, 0)).metrics
    return fit_metric_model(data, config, categorical, rng)


def batch_privacy_metrics(
    model: MetricModel,
    original: pd.DataFrame,
    unshuffled_avatars: pd.DataFrame,
    config: PrivacyConfig,
    *,
    name: str = "",
    fitted: bool = False,
    progress: Progress | None = None,
) -> PrivacyMetricsResult:
    """Every privacy metric of one pair, within the pair, in the training model's space (§1.7).

    Args:
        model: from :func:`fit_batch_metric_model`.
        original: shape (n_b, p), identifiers removed.
        unshuffled_avatars: shape (n_b, p), row r = avatar of original row r.
        config: metric parameters.
        name: how messages name the pair.
        fitted: the pair's originals are the training original the model was fitted on.
    """
    if len(original) != len(unshuffled_avatars) or len(original) < 2:
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"pair {name}: the unshuffled avatars must have one row per original and at least "
            f"2 rows; got {len(unshuffled_avatars)} avatars for {len(original)} originals",
        )
    data = original.reset_index(drop=True)
    data.columns = [str(c) for c in data.columns]
    avatars = unshuffled_avatars.set_axis([str(c) for c in unshuffled_avatars.columns], axis=1)
    space = project_pair(model, data, avatars, fitted=fitted)
    aligned = avatars[list(data.columns)].reset_index(drop=True)
    return privacy_metrics_in_space(data, aligned, space, config, progress or _ignore)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def aggregate_privacy(
    pairs: Sequence[Mapping[str, float | None]],
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Worst (minimum) and unweighted mean of every field over all pairs, nulls skipped (§1.7).

    Args:
        pairs: per pair, field name → value (training pair first); every pair has the same keys.

    Returns:
        ``(worst, mean)``; a field null in every pair is null in both.
    """
    worst: dict[str, float | None] = {}
    mean: dict[str, float | None] = {}
    for field in pairs[0] if pairs else ():
        values = [float(v) for p in pairs if (v := p.get(field)) is not None]
        worst[field] = min(values) if values else None
        mean[field] = _mean(values) if values else None
    return worst, mean


def aggregate_signal(pairs: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    """Unweighted mean of every field over all pairs, nulls skipped (§1.8)."""
    return aggregate_privacy(pairs)[1]
