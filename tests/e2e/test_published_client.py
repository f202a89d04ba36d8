"""The published octopize-avatar 0.7.3 client runs the tutorial's calls against our server.

The client lives in its own virtual environment (cached under .cache/, git-ignored) and runs
with `python -I`, so that our own `avatars` package cannot shadow it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from avatars.local import LocalServer

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".cache" / "published-client-venv"
REQUIREMENTS = ("octopize-avatar==0.7.3", "numpy<2")
IRIS = ROOT / "fixtures" / "iris.csv"
SENSORS = ROOT / "tests" / "data" / "extended"

pytestmark = pytest.mark.slow

SCRIPT = r"""
import json
import sys

from avatars.client import ApiClient
from avatars.models import (
    AvatarizationJobCreate,
    AvatarizationParameters,
    PrivacyMetricsJobCreate,
    PrivacyMetricsParameters,
    SignalMetricsJobCreate,
    SignalMetricsParameters,
)

base_url, username, password, iris = sys.argv[1:5]
client = ApiClient(base_url=base_url)
client.authenticate(username=username, password=password)

dataset = client.datasets.create_dataset(open(iris, "r"))
job = client.jobs.create_full_avatarization_job(
    request=AvatarizationJobCreate(
        parameters=AvatarizationParameters(k=20, dataset_id=dataset.id, seed=42),
    )
)
job = client.jobs.get_avatarization_job(id=job.id, per_request_timeout=10, timeout=60)
result = job.result
privacy_job = client.jobs.create_privacy_metrics_job(
    PrivacyMetricsJobCreate(
        parameters=PrivacyMetricsParameters(
            original_id=dataset.id,
            unshuffled_avatars_id=result.sensitive_unshuffled_avatars_datasets.id,
        )
    )
)
privacy_job = client.jobs.get_privacy_metrics(privacy_job.id, timeout=60)
signal_job = client.jobs.create_signal_metrics_job(
    SignalMetricsJobCreate(
        parameters=SignalMetricsParameters(
            original_id=dataset.id, avatars_id=result.avatars_dataset.id
        )
    )
)
signal_job = client.jobs.get_signal_metrics(signal_job.id, timeout=60)
avatars = client.pandas_integration.download_dataframe(result.avatars_dataset.id)

# metrics, reports and stats namespaces
import time

from avatars.models import ReportCreate, ReportFromDataCreate

projections = client.metrics.get_job_projections(job_id=str(job.id))
contributions = client.metrics.get_variable_contributions(
    job_id=str(job.id), dataset_id=str(dataset.id)
)
variance = client.metrics.get_explained_variance(job_id=str(job.id))
report = client.reports.create_report(
    ReportCreate(
        avatarization_job_id=job.id, privacy_job_id=privacy_job.id, signal_job_id=signal_job.id
    )
)
fetched = client.reports.get_report(id=str(report.id))
pdf = b""
for _ in range(240):
    try:
        pdf = client.reports.download_report(id=str(report.id))
        break
    except Exception:
        time.sleep(0.5)
full_report = client.reports.create_report(
    ReportCreate(avatarization_job_id=job.id, privacy_job_id=job.id, signal_job_id=job.id)
)
from_data = client.reports.create_report_from_data(
    ReportFromDataCreate(
        dataset_id=dataset.id,
        avatars_dataset_id=result.avatars_dataset.id,
        privacy_job_id=privacy_job.id,
        signal_job_id=signal_job.id,
    )
)
stats = client.stats.get_cluster_stats()
print(json.dumps({
    "status": job.status.value,
    "k": job.parameters.k,
    "dataset_id": str(job.parameters.dataset_id),
    "original_id": str(dataset.id),
    "hidden_rate": result.privacy_metrics.hidden_rate,
    "hellinger_mean": result.signal_metrics.hellinger_mean,
    "privacy_status": privacy_job.status.value,
    "privacy_hidden_rate": privacy_job.result.hidden_rate,
    "signal_status": signal_job.status.value,
    "columns": list(avatars.columns),
    "rows": len(avatars),
    "dtypes": [str(t) for t in avatars.dtypes],
    "projection_rows": [len(projections.records), len(projections.avatars)],
    "projection_width": len(projections.records[0]),
    "contribution_sum": sum(contributions.data["Dim. 1"].values()),
    "variance_ratio_sum": sum(variance.ratio),
    "report_fetched": str(fetched.id) == str(report.id),
    "report_job": str(report.job_id) == str(job.id),
    "pdf_head": pdf[:5].decode("latin-1") if isinstance(pdf, bytes) else repr(type(pdf)),
    "full_report_job": str(full_report.job_id) == str(job.id),
    "from_data_job": str(from_data.job_id) == str(privacy_job.id),
    "stats_available": stats.available_concurrency,
}))
"""


# The time-series calls of Octopize's 0.x tutorial: datasets uploaded without declared
# identifiers (resolved as `id` and `t` by name), FPCA for the avatarization, FPCA nf=3 for the
# privacy metrics.
SCRIPT_TIME_SERIES = r"""
import json
import sys

import pandas as pd

from avatars.client import ApiClient
from avatars.models import (
    AvatarizationTimeSeriesParameters,
    AvatarizationWithTimeSeriesJobCreate,
    AvatarizationWithTimeSeriesParameters,
    FlattenParameters,
    FPCAParameters,
    PrivacyMetricsTimeSeriesParameters,
    PrivacyMetricsWithTimeSeriesJobCreate,
    PrivacyMetricsWithTimeSeriesParameters,
    SignalMetricsTimeSeriesParameters,
    SignalMetricsWithTimeSeriesJobCreate,
    SignalMetricsWithTimeSeriesParameters,
)

base_url, username, password, folder = sys.argv[1:5]
client = ApiClient(base_url=base_url)
client.authenticate(username=username, password=password)

vanilla_df = pd.read_csv(f"{folder}/sensors_vanilla.csv")
vanilla = client.pandas_integration.upload_dataframe(vanilla_df)
series = [
    client.datasets.create_dataset(open(f"{folder}/sensors_timeseries{i}.csv", "r"))
    for i in (1, 2)
]
job = client.jobs.create_avatarization_with_time_series_job(
    AvatarizationWithTimeSeriesJobCreate(
        parameters=AvatarizationWithTimeSeriesParameters(
            k=5,
            vanilla_dataset_id=vanilla.id,
            time_series=[
                AvatarizationTimeSeriesParameters(
                    dataset_id=series[0].id, projection_parameters=FPCAParameters(nf=10)
                ),
                AvatarizationTimeSeriesParameters(
                    dataset_id=series[1].id, projection_parameters=FlattenParameters()
                ),
            ],
            seed=7,
        )
    )
)
job = client.jobs.get_avatarization_time_series_job(job.id, timeout=120)
results = job.result.datasets
privacy = client.jobs.create_privacy_metrics_time_series_job(
    PrivacyMetricsWithTimeSeriesJobCreate(
        parameters=PrivacyMetricsWithTimeSeriesParameters(
            vanilla_original_id=vanilla.id,
            vanilla_unshuffled_avatars_id=results[0].sensitive_unshuffled_avatars_datasets.id,
            time_series=[
                PrivacyMetricsTimeSeriesParameters(
                    dataset_id=original.id,
                    unshuffled_avatar_dataset_id=result.sensitive_unshuffled_avatars_datasets.id,
                    projection_parameters=FPCAParameters(nf=3),
                )
                for original, result in zip(series, results[1:])
            ],
        )
    )
)
privacy = client.jobs.get_privacy_metrics_time_series_job(privacy.id, timeout=120)
signal = client.jobs.create_signal_metrics_time_series_job(
    SignalMetricsWithTimeSeriesJobCreate(
        parameters=SignalMetricsWithTimeSeriesParameters(
            vanilla_original_id=vanilla.id,
            vanilla_avatars_id=results[0].avatars_dataset.id,
            time_series=[
                SignalMetricsTimeSeriesParameters(
                    dataset_id=original.id, avatar_dataset_id=result.avatars_dataset.id
                )
                for original, result in zip(series, results[1:])
            ],
        )
    )
)
signal = client.jobs.get_signal_metrics_time_series_job(signal.id, timeout=120)
frames = [client.pandas_integration.download_dataframe(r.avatars_dataset.id) for r in results]
print(json.dumps({
    "status": job.status.value,
    "originals": [str(r.original_id) for r in results],
    "inputs": [str(vanilla.id)] + [str(s.id) for s in series],
    "projection_types": [
        type(t.projection_parameters).__name__ for t in job.parameters.time_series
    ],
    "columns": [list(f.columns) for f in frames],
    "rows": [len(f) for f in frames],
    "times": [sorted(set(f["t"])) for f in frames[1:]],
    "ids": [sorted(set(f["id"])) == list(range(200)) for f in frames],
    "privacy_status": privacy.status.value,
    "privacy_types": [type(d).__name__ for d in privacy.result.details],
    "hidden_rates": [d.hidden_rate for d in privacy.result.details],
    "signal_status": signal.status.value,
    "signal_types": [type(d).__name__ for d in signal.result.details],
    "pointwise": [getattr(d, "pointwise_hellinger_mean", None) for d in signal.result.details],
}))
"""


def _venv_python() -> Path:
    return VENV / "bin" / "python"


@pytest.fixture(scope="module")
def published_python() -> Path:
    """Python of a venv holding the published client; built once, then reused."""
    marker = VENV / ".installed"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    # A lock, because parallel test workers may all want to build it.
    with (VENV.parent / "published-client-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.exists() and marker.read_text() == "\n".join(REQUIREMENTS)):
            shutil.rmtree(VENV, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
            installed = subprocess.run(
                [str(_venv_python()), "-m", "pip", "install", "-q", *REQUIREMENTS],
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            if installed.returncode != 0:
                raise RuntimeError(f"Could not install {REQUIREMENTS}:\n{installed.stderr}")
            marker.write_text("\n".join(REQUIREMENTS))
    return _venv_python()


def test_published_client_runs_the_tutorial_against_our_server(
    published_python: Path, local_server: LocalServer, tmp_path: Path
) -> None:
    script = tmp_path / "tutorial_073.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AVATAR")}
    completed = subprocess.run(
        [
            str(published_python),
            "-I",
            str(script),
            local_server.base_url,
            local_server.username,
            local_server.password,
            str(IRIS),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert outcome["status"] == "success"
    assert (outcome["k"], outcome["dataset_id"]) == (20, outcome["original_id"])
    assert 0 <= outcome["hidden_rate"] <= 100
    assert 0 <= outcome["hellinger_mean"] <= 1
    assert (outcome["privacy_status"], outcome["signal_status"]) == ("success", "success")
    assert 0 <= outcome["privacy_hidden_rate"] <= 100
    assert outcome["columns"] == [
        "sepal.length",
        "sepal.width",
        "petal.length",
        "petal.width",
        "variety",
    ]
    assert outcome["rows"] == 150
    assert outcome["dtypes"][:4] == ["float64"] * 4
    # metrics, reports and stats namespaces of 0.7.3, unchanged
    assert outcome["projection_rows"] == [150, 150]
    assert outcome["projection_width"] == 3
    assert abs(outcome["contribution_sum"] - 100.0) < 1e-6
    assert 0.99 < outcome["variance_ratio_sum"] <= 1.0 + 1e-9
    assert outcome["report_fetched"] and outcome["report_job"]
    assert outcome["pdf_head"] == "%PDF-"
    assert outcome["full_report_job"] and outcome["from_data_job"]
    assert outcome["stats_available"] is not None


def test_published_client_runs_the_time_series_calls_against_our_server(
    published_python: Path, local_server: LocalServer, tmp_path: Path
) -> None:
    script = tmp_path / "time_series_073.py"
    script.write_text(SCRIPT_TIME_SERIES, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AVATAR")}
    completed = subprocess.run(
        [
            str(published_python),
            "-I",
            str(script),
            local_server.base_url,
            local_server.username,
            local_server.password,
            str(SENSORS),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert outcome["status"] == "success"
    assert outcome["originals"] == outcome["inputs"]
    assert outcome["projection_types"] == ["FPCAParameters", "FlattenParameters"]
    assert outcome["columns"][1:] == [["id", "t", "sensor1", "sensor2"], ["id", "t", "sensor3"]]
    assert outcome["rows"] == [200, 6000, 10000]
    assert outcome["times"] == [list(range(30)), list(range(50))]
    assert outcome["ids"] == [True, True, True]
    assert outcome["privacy_status"] == "success"
    assert outcome["privacy_types"] == ["PrivacyMetricsPerTimeSeriesDataset"] * 3
    assert all(0 <= rate <= 100 for rate in outcome["hidden_rates"])
    assert outcome["signal_status"] == "success"
    assert outcome["signal_types"] == [
        "SignalMetricsPerDataset",
        "TimeSeriesSignalMetricsPerDataset",
        "TimeSeriesSignalMetricsPerDataset",
    ]
    assert outcome["pointwise"][0] is None
    assert all(0 < value < 1 for value in outcome["pointwise"][1:])


BATCH_SCRIPT = r"""
import json
import sys

import numpy as np
import pandas as pd

from avatars.api import (
    download_avatar_dataframe_from_batch,
    download_sensitive_unshuffled_avatar_dataframe_from_batch,
    upload_batch_and_get_order,
)
from avatars.client import ApiClient
from avatars.lib.split import get_split_for_batch
from avatars.models import (
    AvatarizationBatchJobCreate,
    AvatarizationBatchParameters,
    PrivacyMetricsBatchJobCreate,
    PrivacyMetricsBatchParameters,
    SignalMetricsBatchJobCreate,
    SignalMetricsBatchParameters,
)

base_url, username, password = sys.argv[1:4]
client = ApiClient(base_url=base_url)
client.authenticate(username=username, password=password)

rng = np.random.default_rng(0)
n = 1000
df = pd.DataFrame(
    {
        "x": np.round(rng.normal(0, 1, n), 3),
        "y": np.round(rng.normal(50, 10, n), 1),
        "colour": rng.choice(["red", "green", "blue"], n),
        "size": rng.choice(["S", "M", "L"], n),
    }
)
training, splits = get_split_for_batch(df, row_limit=200, seed=1)
training_id, split_ids, order = upload_batch_and_get_order(client, training, splits)
job = client.jobs.create_avatarization_batch_job(
    AvatarizationBatchJobCreate(
        parameters=AvatarizationBatchParameters(
            k=10, training_dataset_id=training_id, dataset_ids=split_ids, seed=7
        )
    )
)
job = client.jobs.get_avatarization_batch_job(job.id, timeout=120)
result = job.result
privacy = client.jobs.create_privacy_metrics_batch_job(
    PrivacyMetricsBatchJobCreate(
        parameters=PrivacyMetricsBatchParameters(avatarization_batch_job_id=job.id, seed=7)
    )
)
privacy = client.jobs.get_privacy_metrics_batch_job(privacy.id, timeout=120)
signal = client.jobs.create_signal_metrics_batch_job(
    SignalMetricsBatchJobCreate(
        parameters=SignalMetricsBatchParameters(avatarization_batch_job_id=job.id)
    )
)
signal = client.jobs.get_signal_metrics_batch_job(signal.id, timeout=120)
unshuffled = download_sensitive_unshuffled_avatar_dataframe_from_batch(client, result, order)
shuffled = download_avatar_dataframe_from_batch(client, result)
in_own_batch = all(
    bool(unshuffled.loc[c.index, column].between(c[column].min(), c[column].max()).all())
    for c in [training, *splits]
    for column in ("x", "y")
)
per_batch = [privacy.result.training_metrics, *privacy.result.batch_metrics]
key = ["x", "y", "colour", "size"]
print(json.dumps({
    "status": job.status.value,
    "batches": len(result.batch_results),
    "original_ids": [str(r.original_id) for r in [result.training_result, *result.batch_results]],
    "uploaded_ids": [str(training_id), *map(str, split_ids)],
    "index": unshuffled.index.tolist(),
    "columns": list(unshuffled.columns),
    "in_own_batch": in_own_batch,
    "same_rows": shuffled.sort_values(key).reset_index(drop=True).equals(
        unshuffled.sort_values(key).reset_index(drop=True)
    ),
    "privacy_status": privacy.status.value,
    "hidden_rates": [m.hidden_rate for m in per_batch],
    "worst_hidden_rate": privacy.result.worst_metrics.hidden_rate,
    "mean_hidden_rate": privacy.result.mean_metrics.hidden_rate,
    "signal_status": signal.status.value,
    "hellinger_means": [
        m.hellinger_mean for m in [signal.result.training_metrics, *signal.result.batch_metrics]
    ],
    "mean_hellinger": signal.result.mean_metrics.hellinger_mean,
}))
"""


def test_published_client_runs_a_batch_job_against_our_server(
    published_python: Path, local_server: LocalServer, tmp_path: Path
) -> None:
    script = tmp_path / "batch_073.py"
    script.write_text(BATCH_SCRIPT, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AVATAR")}
    completed = subprocess.run(
        [
            str(published_python),
            "-I",
            str(script),
            local_server.base_url,
            local_server.username,
            local_server.password,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert (outcome["status"], outcome["batches"]) == ("success", 4)
    assert outcome["original_ids"] == outcome["uploaded_ids"]
    # The client's reassembly puts every avatar back on its original's row.
    assert outcome["index"] == list(range(1000))
    assert outcome["columns"] == ["x", "y", "colour", "size"]  # no __index_level_0__
    assert outcome["in_own_batch"] and outcome["same_rows"]
    assert outcome["privacy_status"] == outcome["signal_status"] == "success"
    rates = outcome["hidden_rates"]
    assert len(rates) == 5 and all(0 <= rate <= 100 for rate in rates)
    assert outcome["worst_hidden_rate"] == min(rates)
    assert outcome["mean_hidden_rate"] == pytest.approx(sum(rates) / 5)
    means = outcome["hellinger_means"]
    assert outcome["mean_hellinger"] == pytest.approx(sum(means) / 5)
