"""The client's batch helpers against a real server: the one-call helper and the 0.7.3 ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars.api import (
    download_avatar_dataframe_from_batch,
    download_sensitive_unshuffled_avatar_dataframe_from_batch,
    upload_batch_and_get_order,
)
from avatars.batch import avatarize_in_batches
from avatars.client import ApiClient
from avatars.lib.split import get_split_for_batch
from avatars.models import (
    AvatarizationBatchJobCreate,
    AvatarizationBatchParameters,
    JobStatus,
)


def frame(n: int = 1000) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    weight = np.round(rng.normal(70, 10, n), 1)
    weight[rng.choice(n, 30, replace=False)] = np.nan
    colour = rng.choice(["red", "green", "blue"], n).astype(object)
    colour[-1] = "purple"  # a modality shown by the last row only
    return pd.DataFrame(
        {
            "weight": weight,
            "grade": rng.integers(1, 5, n),  # a category coded as a number
            "colour": colour,
        },
        index=pd.Index(rng.permutation(n) * 10, name="row"),
    )


def test_avatarize_in_batches_returns_the_avatars_in_the_original_order(
    user_client: ApiClient,
) -> None:
    df = frame()
    df.loc[df.index[-2], "grade"] = 9  # a numeric-coded modality, only in one row
    df.insert(0, "patient", [f"P{i:05d}" for i in range(len(df))])  # unique: not to cover
    out = avatarize_in_batches(
        user_client,
        df,
        k=10,
        row_limit=250,
        seed=1,
        split_seed=2,
        categorical=["grade"],
        identifier_variables=["patient"],
    )
    assert out.job.status == JobStatus.SUCCESS
    assert len(out.job.result.batch_results) == 3
    unshuffled = out.sensitive_unshuffled_avatars
    assert unshuffled.index.equals(df.index)
    assert list(unshuffled.columns) == list(df.columns)
    assert len(out.avatars) == len(df)
    # Missing values survive; every avatar value comes from the originals' modalities.
    assert 0 < int(unshuffled["weight"].isna().sum()) < 150
    assert set(unshuffled["colour"]) <= set(df["colour"])
    assert set(unshuffled["grade"]) <= set(df["grade"])
    # Identifiers hold surrogate keys, never the originals'.
    assert sorted(unshuffled["patient"].astype(int)) == list(range(len(df)))
    # Shuffled and unshuffled: the same rows.
    key = ["patient"]
    pd.testing.assert_frame_equal(
        out.avatars.sort_values(key).reset_index(drop=True),
        unshuffled.sort_values(key).reset_index(drop=True),
    )


def test_the_0_7_3_helpers_split_upload_and_reassemble(user_client: ApiClient) -> None:
    df = frame().dropna()
    training, splits = get_split_for_batch(df, row_limit=300, seed=5)
    training_id, split_ids, order = upload_batch_and_get_order(user_client, training, splits)
    assert list(order) == [training_id, *split_ids]
    job = user_client.jobs.create_avatarization_batch_job(
        AvatarizationBatchJobCreate(
            parameters=AvatarizationBatchParameters(
                k=10, training_dataset_id=training_id, dataset_ids=split_ids, seed=3
            )
        )
    )
    done = user_client.jobs.wait(job.id, timeout=120, progress=False)
    assert done.status == JobStatus.SUCCESS
    unshuffled = download_sensitive_unshuffled_avatar_dataframe_from_batch(
        user_client, done.result, order
    )
    assert unshuffled.index.equals(df.index.sort_values())
    shuffled = download_avatar_dataframe_from_batch(user_client, done.result)
    assert len(shuffled) == len(df)
    for chunk in [training, *splits]:
        avatars = unshuffled.loc[chunk.index]
        assert avatars["weight"].between(chunk["weight"].min(), chunk["weight"].max()).all()


def test_a_split_that_cannot_cover_every_modality_is_refused_before_upload(
    user_client: ApiClient,
) -> None:
    df = pd.DataFrame({"id_like": [str(i) for i in range(100)], "x": np.arange(100.0)})
    with pytest.raises(ValueError, match="too much variability"):
        avatarize_in_batches(user_client, df, k=5, row_limit=50)
