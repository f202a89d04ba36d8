"""Reference checks of method-extended.md §1.9 on the batch engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars.lib.split import get_split_for_batch
from avatars_server.engine import AvatarError, AvatarizationConfig, PrivacyConfig
from avatars_server.engine.batch import (
    avatarize_batches,
    batch_entropy,
    batch_seed,
    coordinates,
    fit_batch_model,
)
from avatars_server.engine.batch_metrics import (
    aggregate_privacy,
    aggregate_signal,
    batch_privacy_metrics,
    fit_batch_metric_model,
)
from avatars_server.engine.batch_pass1 import check_unseen, summarize_batch
from avatars_server.engine.privacy import compute_privacy_metrics


def table(n: int, seed: int = 0) -> pd.DataFrame:
    """n rows: two continuous columns (2 decimals), an int one and two object categoricals."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": np.round(rng.normal(0, 1, n), 2),
            "y": np.round(rng.normal(10, 3, n), 2),
            "count": rng.integers(0, 50, n),
            "colour": rng.choice(["red", "green", "blue"], n).astype(object),
            "size": rng.choice(["S", "M", "L", "XL"], n).astype(object),
        }
    )


CONFIG = AvatarizationConfig(k=5, ncp=3, seed=11)


def test_child_seeds_do_not_depend_on_the_number_of_batches() -> None:
    entropy = batch_entropy(42)
    assert entropy == 42
    for n in (2, 5):
        children = np.random.SeedSequence(42).spawn(n)
        for i, child in enumerate(children):
            assert batch_seed(entropy, i).generate_state(4).tolist() == (
                child.generate_state(4).tolist()
            )
    assert batch_entropy(None) != batch_entropy(None)


def test_order_split_avatarize_reassemble() -> None:
    original = table(1000)
    original.index = pd.Index(np.arange(1000) * 3 + 7)  # labels that are not positions
    training, splits = get_split_for_batch(original, row_limit=200, seed=3)
    assert [len(training), *map(len, splits)] == [200] * 5
    outputs = avatarize_batches(training, splits, CONFIG)
    # The 0.7.3 client's reassembly: each batch's labels as index, concatenate, sort.
    parts = []
    for chunk, out in zip([training, *splits], outputs, strict=True):
        assert len(out.unshuffled) == len(chunk)
        parts.append(out.unshuffled.set_axis(chunk.index, axis=0))
        # Shuffled and unshuffled avatars: the same multiset of rows.
        a = out.avatars.sort_values(list(out.avatars.columns)).reset_index(drop=True)
        u = out.unshuffled.sort_values(list(out.avatars.columns)).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, u)
        # Every avatar comes from its own batch: within the batch's range, its modalities.
        for column in ("x", "y", "count"):
            assert out.unshuffled[column].between(chunk[column].min(), chunk[column].max()).all()
        for column in ("colour", "size"):
            assert set(out.unshuffled[column]) <= set(chunk[column])
    reassembled = pd.concat(parts).sort_index()
    assert reassembled.index.equals(original.index)
    assert list(reassembled.columns) == list(original.columns)
    assert reassembled["count"].dtype == np.int64


def test_fitted_once_a_row_has_the_same_coordinates_in_any_batch() -> None:
    frame = table(300)
    training, b1, b2 = frame.iloc[:100], frame.iloc[100:200], frame.iloc[200:]
    summaries = [summarize_batch(f) for f in (training, b1, b2)]
    model = fit_batch_model(training, CONFIG, summaries, entropy=1)
    row = frame.iloc[[150]]
    in_b1 = coordinates(model, b1)[50]
    in_b2 = coordinates(model, pd.concat([b2, row]))[-1]
    assert model.ncp == 3
    np.testing.assert_array_equal(in_b1, in_b2)
    # The training batch's own coordinates are those of an ordinary FAMD on it.
    assert np.allclose(coordinates(model, training).mean(axis=0), 0.0, atol=1e-9)


def test_isolation_adding_a_batch_changes_no_other_avatars() -> None:
    frame = table(300, seed=5)
    training, b1, b2 = frame.iloc[:100], frame.iloc[100:200], frame.iloc[200:]
    alone = avatarize_batches(training, [b1], CONFIG)
    more = avatarize_batches(training, [b1, b2], CONFIG)
    for a, b in zip(alone, more[:2], strict=True):
        pd.testing.assert_frame_equal(a.avatars, b.avatars)
        pd.testing.assert_frame_equal(a.unshuffled, b.unshuffled)
        assert a.avatars.to_csv().encode() == b.avatars.to_csv().encode()
    # Same seed, same avatars; another seed, others.
    again = avatarize_batches(training, [b1, b2], CONFIG)
    pd.testing.assert_frame_equal(again[2].avatars, more[2].avatars)
    other = avatarize_batches(training, [b1, b2], AvatarizationConfig(k=5, ncp=3, seed=12))
    assert not other[2].avatars.equals(more[2].avatars)


def test_neighbours_stay_in_the_batch_a_shifted_copy_stays_apart() -> None:
    training = table(200, seed=1)
    shifted = table(200, seed=2)
    shifted["x"] += 1000.0
    shifted["y"] += 1000.0
    outputs = avatarize_batches(training, [shifted], CONFIG)
    assert outputs[0].unshuffled["x"].max() <= training["x"].max()
    assert outputs[1].unshuffled["x"].min() >= shifted["x"].min()
    assert outputs[1].unshuffled["y"].min() >= shifted["y"].min()


def test_unseen_modality_names_batch_column_and_value() -> None:
    training = table(100)
    other = table(100, seed=3)
    other.loc[7, "colour"] = "purple"
    with pytest.raises(AvatarError) as raised:
        avatarize_batches(training, [table(100, seed=4), other], CONFIG)
    assert raised.value.code == "UNSEEN_MODALITY"
    assert "batch 2" in raised.value.message
    assert "'colour'" in raised.value.message and "'purple'" in raised.value.message


def test_a_missing_value_the_training_batch_lacks_is_an_unseen_modality() -> None:
    training, other = table(100), table(100, seed=3)
    other.loc[3, "x"] = np.nan
    other.loc[4, "size"] = None
    summaries = [summarize_batch(training), summarize_batch(other)]
    with pytest.raises(AvatarError, match="'size' holds the value <missing>"):
        check_unseen(summaries[0], [("B1", summaries[1])])
    other.loc[4, "size"] = "S"
    with pytest.raises(AvatarError, match=r"batch B1: column 'x' has a missing value"):
        check_unseen(summaries[0], [("B1", summarize_batch(other))])


def test_missing_values_seen_in_training_are_imputed_and_re_blanked() -> None:
    training, other = table(200), table(200, seed=3)
    training.loc[[1, 2, 3, 4, 5, 6], "x"] = np.nan
    other.loc[[10, 11, 12], "x"] = np.nan
    outputs = avatarize_batches(training, [other], CONFIG)
    assert outputs[1].unshuffled["x"].notna().sum() >= 150
    assert outputs[0].unshuffled["x"].isna().sum() <= 40


def test_k_not_below_the_smallest_batch_is_invalid_k() -> None:
    with pytest.raises(AvatarError) as raised:
        avatarize_batches(table(100), [table(5, seed=1)], CONFIG)
    assert raised.value.code == "INVALID_K"
    assert "batch 1" in raised.value.message


def test_decimals_come_from_every_batch() -> None:
    training, other = table(100), table(100, seed=3)
    other["x"] = np.round(other["x"] + 0.0001, 4)
    outputs = avatarize_batches(training, [other], CONFIG)
    decimals = outputs[0].unshuffled["x"].map(lambda v: len(f"{v:.10g}".partition(".")[2]))
    assert decimals.max() == 4


def test_aggregation_worst_and_mean() -> None:
    pairs = [{"hidden_rate": 92.0}, {"hidden_rate": 95.0}, {"hidden_rate": 88.0}]
    worst, mean = aggregate_privacy(pairs)
    assert worst["hidden_rate"] == 88.0
    assert mean["hidden_rate"] == pytest.approx(91.6667, abs=1e-4)
    same = [{"a": 3.5, "b": None}, {"a": 3.5, "b": None}]
    assert aggregate_privacy(same) == ({"a": 3.5, "b": None}, {"a": 3.5, "b": None})
    mixed = [{"c": None, "d": 1.0}, {"c": 4.0, "d": 3.0}]
    assert aggregate_signal(mixed) == {"c": 4.0, "d": 2.0}


def test_batch_privacy_metrics_per_pair_and_worst_below_mean() -> None:
    frame = table(600, seed=9)
    training, b1, b2 = frame.iloc[:200], frame.iloc[200:400], frame.iloc[400:]
    outputs = avatarize_batches(training, [b1, b2], CONFIG)
    config = PrivacyConfig(ncp=3, seed=4)
    model = fit_batch_metric_model(training, config, entropy=batch_entropy(4))
    results = [
        batch_privacy_metrics(model, original, out.unshuffled, config, fitted=j == 0)
        for j, (original, out) in enumerate(zip((training, b1, b2), outputs, strict=True))
    ]
    # The training pair in the model fitted on it: the ordinary metrics of that pair.
    alone = compute_privacy_metrics(training, outputs[0].unshuffled, config)
    assert results[0].hidden_rate == alone.hidden_rate
    assert results[0].local_cloaking == alone.local_cloaking
    assert results[0].distance_to_closest == pytest.approx(alone.distance_to_closest)
    fields = ["hidden_rate", "local_cloaking", "distance_to_closest", "closest_rate"]
    pairs = [{f: getattr(r, f) for f in fields} for r in results]
    worst, mean = aggregate_privacy(pairs)
    for field in fields:
        assert worst[field] == min(p[field] for p in pairs)  # type: ignore[type-var]
        assert worst[field] <= mean[field]  # type: ignore[operator]
    assert all(0 <= p["hidden_rate"] <= 100 for p in pairs)  # type: ignore[operator]


def test_batch_identifiers_hold_surrogate_keys_numbered_across_batches() -> None:
    frames = [table(n, seed).assign(patient=np.arange(n) + 1000) for seed, n in ((0, 60), (1, 40))]
    out = avatarize_batches(frames[0], frames[1:], CONFIG, identifiers=["patient"])
    assert list(out[0].avatars.columns) == [*table(1).columns, "patient"]
    assert out[0].avatars["patient"].tolist() == list(range(60))
    assert out[1].avatars["patient"].tolist() == list(range(60, 100))
    for part, offset in zip(out, (0, 60), strict=True):
        # The unshuffled copy carries the same key on the same avatar.
        keys = part.unshuffled["patient"].to_numpy()
        assert (keys[part.order] == np.arange(len(part.order)) + offset).all()
        released = part.unshuffled.take(part.order).reset_index(drop=True)
        pd.testing.assert_frame_equal(released, part.avatars)


def test_the_training_batch_alone_is_the_core_avatarization_of_it() -> None:
    """The batch path goes through the core's avatars_from_coordinates (the normative draw):
    with the same child seed and the model fitted on the batch itself, it equals avatarize."""
    from avatars_server.engine.avatarize import TableOptions, avatarize

    frame = table(80, 3)
    (batch,) = avatarize_batches(frame, [], CONFIG)
    core = avatarize(
        frame,
        CONFIG,
        options=TableOptions(seed_sequence=batch_seed(batch_entropy(CONFIG.seed), 0)),
    )
    pd.testing.assert_frame_equal(batch.unshuffled, core.unshuffled)
    pd.testing.assert_frame_equal(batch.avatars, core.avatars)


def test_exclude_categorical_is_refused_by_batch_avatarization() -> None:
    from dataclasses import replace

    from avatars_server.engine.config import ExcludeCategoricalConfig

    config = replace(
        CONFIG,
        exclude_categorical=ExcludeCategoricalConfig(
            exclude_cardinality_threshold=3,
            exclude_replacement_strategy="row_order",
            rare_occurence_threshold=0,
            rare_replacement_strategy="missing",
        ),
    )
    with pytest.raises(AvatarError) as raised:
        avatarize_batches(table(60), [table(40, 1)], config)
    assert raised.value.code == "INVALID_EXCLUDE_CATEGORICAL"
    assert "not supported by batch" in raised.value.message
