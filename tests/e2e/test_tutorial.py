"""The seed tutorial's Quickstart, verbatim except for the server URL and the credentials."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from avatars.local import LocalServer

ROOT = Path(__file__).resolve().parents[2]


def test_tutorial_quickstart_runs_verbatim(
    local_server: LocalServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)  # the tutorial opens "fixtures/iris.csv"
    monkeypatch.setenv("BASE_URL", local_server.base_url)
    username, password = local_server.username, local_server.password

    # --- the tutorial's Quickstart; only the credentials differ -----------------------------
    from avatars.client import ApiClient
    from avatars.models import AvatarizationJobCreate, AvatarizationParameters

    client = ApiClient(base_url=os.environ.get("BASE_URL"))
    client.authenticate(username=username, password=password)

    dataset = client.datasets.create_dataset(open("fixtures/iris.csv", "r"))  # noqa: SIM115, UP015

    job = client.jobs.create_full_avatarization_job(
        AvatarizationJobCreate(
            parameters=AvatarizationParameters(
                k=20,
                dataset_id=dataset.id,
            ),
        )
    )
    print(f"got job id: {job.id}")
    job = client.jobs.get_avatarization_job(job.id)
    print(job.result)
    metrics = job.result.privacy_metrics
    print(f"got privacy metrics : {metrics}")

    # Download the avatars
    df = client.pandas_integration.download_dataframe(job.result.avatars_dataset.id)
    print(df.head())
    # --- end of the tutorial's code ----------------------------------------------------------

    out = capsys.readouterr().out
    assert f"got job id: {job.id}" in out
    assert "got privacy metrics : PrivacyMetrics(" in out
    assert str(job.status) == "success"
    assert 0 <= metrics.hidden_rate <= 100 and metrics.targets.hidden_rate == "> 90%"
    assert job.result.signal_metrics is not None
    assert list(df.columns) == [
        "sepal.length",
        "sepal.width",
        "petal.length",
        "petal.width",
        "variety",
    ]
    assert len(df) == 150
    client.close()
