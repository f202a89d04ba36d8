"""The evidence functions, pinned byte for byte on a table larger than the figure samples.

Companion of ``tests/server/test_evidence_pinned.py`` (which pins whole jobs on 3,000 rows):
here 25,000 rows, so that the 20,000-row sample of the association matrices and the
2,000-individual projection sample are both drawn. The digests in
``tests/data/evidence_functions_pinned.json`` were computed with the code BEFORE the
job-overhead changes. Regenerate them only for an intended change of what reports show::

    PYTHONPATH=.:generated .venv/bin/python tests/unit/reports/test_evidence_functions_pinned.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from avatars_server.engine import (
    AvatarizationConfig,
    PrivacyConfig,
    avatarize,
    compute_privacy_metrics,
    compute_signal_metrics,
)
from avatars_server.engine.explain import ProjectionModel
from avatars_server.reports.build import projection_artifacts, signal_artifacts
from tests.evidence_table import COLUMNS, pinned_table
from tests.evidence_table import digest as _digest

EXPECTED = Path(__file__).resolve().parents[2] / "data" / "evidence_functions_pinned.json"
ROWS = 25_000
SEED = 11


def _model(model: ProjectionModel | None) -> str:
    assert model is not None
    arrays = (model.eigenvalues, model.explained_variance_ratio)
    coords = (model.original_coords, model.avatar_coords)
    return _digest(
        {
            "arrays": [np.asarray(a, dtype=np.float64).tolist() for a in arrays],
            "coords": [
                hashlib.sha256(np.ascontiguousarray(c, dtype=np.float64).tobytes()).hexdigest()
                for c in coords
            ],
            "shapes": [list(c.shape) for c in coords],
            "original": model.contributions_original,
            "avatars": model.contributions_avatars,
        }
    )


def compute_digests() -> dict[str, str]:
    frame = pinned_table(ROWS, seed=3).drop(columns=["id"])
    columns = [c for c in COLUMNS if not c.get("is_identifier")]
    categorical = [c["label"] for c in columns if c["type"] in ("category", "bool")]
    output = avatarize(frame, AvatarizationConfig(k=15, seed=SEED), explain=True)
    model = output.model
    assert model is not None
    privacy = compute_privacy_metrics(
        frame,
        output.unshuffled,
        PrivacyConfig(ncp=output.ncp, seed=SEED),
        categorical=categorical,
        explain=True,
    )
    assert privacy.diagnostics is not None
    signal = compute_signal_metrics(frame, output.avatars, categorical=categorical)
    hellinger = dict(signal.details["hellinger"])  # type: ignore[call-overload]
    axes = min(3, model.original_coords.shape[1])
    return {
        "avatarization_model": _model(model),
        "privacy_model": _model(privacy.diagnostics.model),
        "privacy_values": _digest(
            [
                np.asarray(v, dtype=np.float64).tolist()
                for v in (
                    privacy.diagnostics.local_cloaking,
                    privacy.diagnostics.distance_to_closest,
                    privacy.diagnostics.closest_distances_ratio,
                )
            ]
        ),
        "projection_artifacts": _digest(
            projection_artifacts(
                "avatarization",
                model.eigenvalues,
                model.explained_variance_ratio,
                {"original": model.contributions_original, "avatars": model.contributions_avatars},
                model.original_coords[:, :axes],
                model.avatar_coords[:, :axes],
            )
        ),
        "signal_artifacts": _digest(signal_artifacts(frame, output.avatars, columns, hellinger)),
        "signal_metrics": _digest(
            [
                signal.hellinger_mean,
                signal.hellinger_std,
                signal.correlation_difference_ratio,
                hellinger,
                signal.details["correlation_pairs"],
            ]
        ),
    }


def test_evidence_functions_give_the_pinned_results() -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert compute_digests() == expected


if __name__ == "__main__":  # pragma: no cover
    digests = compute_digests()
    EXPECTED.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(digests, indent=2, sort_keys=True), file=sys.stderr)


def test_privacy_values_without_the_model_are_the_same() -> None:
    """A full job asks for the per-individual values only (it records the avatarization's
    projection, not the metric one): the same values, no model built."""
    frame = pinned_table(2_000, seed=5).drop(columns=["id"])
    output = avatarize(frame, AvatarizationConfig(k=10, seed=SEED))
    config = PrivacyConfig(ncp=output.ncp, seed=SEED)
    full = compute_privacy_metrics(frame, output.unshuffled, config, explain=True)
    values = compute_privacy_metrics(
        frame, output.unshuffled, config, explain=True, explain_model=False
    )
    assert full.diagnostics is not None and values.diagnostics is not None
    assert full.diagnostics.model is not None and values.diagnostics.model is None
    for name in ("local_cloaking", "distance_to_closest", "closest_distances_ratio"):
        np.testing.assert_array_equal(
            getattr(full.diagnostics, name), getattr(values.diagnostics, name)
        )
    assert dataclasses.replace(full, diagnostics=None) == dataclasses.replace(
        values, diagnostics=None
    )


def test_signal_artifacts_are_the_content_dataclasses_as_plain_data() -> None:
    """signal_artifacts reads the plot_data summaries as plain data directly: the same as
    building the report's content dataclasses and converting them back."""
    from avatars_server.reports.build import correlation_data, variable_distributions

    original = pinned_table(3_000, seed=8).drop(columns=["id"])
    avatars = pinned_table(2_500, seed=9).drop(columns=["id"])
    columns = [c for c in COLUMNS if not c.get("is_identifier")]
    hellinger = {"x0": np.float64(0.25), "count": 0.5, "wide": 1}
    expected = {
        "hellinger": {k: float(v) for k, v in hellinger.items()},
        "distributions": [
            dataclasses.asdict(d)
            for d in variable_distributions(original, avatars, columns, hellinger)
        ],
        "correlations": dataclasses.asdict(correlation_data(original, avatars, columns)),
    }
    got = signal_artifacts(original, avatars, columns, hellinger)
    assert json.dumps(got) == json.dumps(expected)
