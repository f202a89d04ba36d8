"""The tutorial's pipeline section, verbatim, against a real server."""

from __future__ import annotations

import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.exceptions import JobFailedError, UnprocessableEntityError
from avatars.models import (
    AvatarizationJobCreate,
    AvatarizationParameters,
    AvatarizationPipelineCreate,
)
from avatars.processors import ProportionProcessor


def test_tutorial_pipeline_keeps_proportions(admin_client: ApiClient) -> None:
    client = admin_client
    # --- from docs/tutorial.md, "Launch a whole pipeline" ---
    df = pd.DataFrame(
        {
            "variable_1": [100, 150, 120, 100],
            "variable_2": [10, 30, 30, 22],
            "variable_3": [30, 60, 30, 35],
            "variable_4": [60, 60, 60, 65],
        }
    )

    dataset = client.pandas_integration.upload_dataframe(df)

    proportion_processor = ProportionProcessor(
        variable_names=["variable_2", "variable_3", "variable_4"],
        reference="variable_1",
        sum_to_one=True,
    )

    result = client.pipelines.avatarization_pipeline_with_processors(
        AvatarizationPipelineCreate(
            avatarization_job_create=AvatarizationJobCreate(
                parameters=AvatarizationParameters(dataset_id=dataset.id, k=3),
            ),
            processors=[proportion_processor],
            df=df,
        )
    )
    # --- end of the tutorial's code ---
    avatars = result.post_processed_avatars
    assert list(avatars.columns) == list(df.columns)
    assert len(avatars) == len(df)
    assert list(avatars.index) == [0, 1, 2, 3]
    parts = avatars["variable_2"] + avatars["variable_3"] + avatars["variable_4"]
    assert (parts - avatars["variable_1"]).abs().max() <= 0.15  # rounding to one decimal
    assert 0 <= result.privacy_metrics.hidden_rate <= 100
    assert result.signal_metrics.hellinger_mean >= 0
    assert len({result.avatarization_job_id, result.privacy_job_id, result.signal_job_id}) == 3


def test_pipeline_with_k_too_large_fails_with_a_clear_message(admin_client: ApiClient) -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 3.0, 1.0, 2.0]})
    dataset = admin_client.pandas_integration.upload_dataframe(df)
    request = AvatarizationPipelineCreate(
        avatarization_job_create=AvatarizationJobCreate(
            parameters=AvatarizationParameters(dataset_id=dataset.id, k=10)
        ),
        df=df,
    )
    with pytest.raises((UnprocessableEntityError, JobFailedError), match="k"):
        admin_client.pipelines.avatarization_pipeline_with_processors(request, progress=False)
