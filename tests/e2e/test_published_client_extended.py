"""The published octopize-avatar 0.7.3 client's multi-table and geolocation calls against our
server (same virtual environment and isolation as test_published_client.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from avatars.local import LocalServer
from tests.e2e.test_published_client import published_python  # noqa: F401 (fixture)

DATA = Path(__file__).resolve().parents[1] / "data" / "extended"

pytestmark = pytest.mark.slow

SCRIPT = r"""
import json
import sys
import time

import pandas as pd

from avatars.client import ApiClient
from avatars.models import (
    AvatarizationMultiTableJobCreate,
    AvatarizationMultiTableParameters,
    BaseAvatarizationParameters,
    BasePrivacyMetricsParameters,
    GeolocationDensityParameters,
    GeolocationFeatures,
    GeolocationFeaturesParameters,
    LinkMethod,
    PointOfInterest,
    PrivacyMetricsGeolocationJobCreate,
    PrivacyMetricsGeolocationParameters,
    PrivacyMetricsGeolocationScenario,
    PrivacyMetricsMultiTableJobCreate,
    PrivacyMetricsMultiTableParameters,
    ReportGeolocationPrivacyCreate,
    SignalPosition,
    TableLink,
    TableReference,
)

base_url, username, password, data = sys.argv[1:5]
client = ApiClient(base_url=base_url)
client.authenticate(username=username, password=password)


def wait(get, job_id):
    deadline = time.monotonic() + 300
    while True:
        job = get(job_id)
        if job.status.value not in ("pending", "started") or time.monotonic() > deadline:
            return job
        time.sleep(0.5)


frames = {name: pd.read_csv(f"{data}/{name}.csv") for name in ("patient", "doctor", "visit")}
ids = {"patient": ["p_id"], "doctor": ["d_id"], "visit": ["visit_id", "patient_id", "doctor_id"]}
datasets = {
    name: client.pandas_integration.upload_dataframe(
        frames[name], identifier_variables=ids[name], name=name
    )
    for name in frames
}
patient = TableReference(dataset_id=datasets["patient"].id, is_individual_level=True)
doctor = TableReference(dataset_id=datasets["doctor"].id, is_individual_level=True)
visit = TableReference(dataset_id=datasets["visit"].id, is_individual_level=False)
links = [
    TableLink(
        parent_table=patient,
        child_table=visit,
        parent_link_key="p_id",
        child_link_key="patient_id",
        link_method=LinkMethod.linear_sum_assignement,
    ),
    TableLink(
        parent_table=doctor,
        child_table=visit,
        parent_link_key="d_id",
        child_link_key="doctor_id",
        link_method=LinkMethod.linear_sum_assignement,
    ),
]
job = client.jobs.create_avatarization_multi_table_job(
    AvatarizationMultiTableJobCreate(
        parameters=AvatarizationMultiTableParameters(
            table_links=links,
            table_parameters=[
                BaseAvatarizationParameters(dataset_id=datasets["patient"].id, k=15),
                BaseAvatarizationParameters(dataset_id=datasets["doctor"].id, k=5),
                BaseAvatarizationParameters(dataset_id=datasets["visit"].id, k=30),
            ],
            seed=42,
        )
    )
)
job = wait(client.jobs.get_avatarization_multi_table_job, job.id)
results = {str(r.original_id): r for r in job.result.datasets}
avatars = {
    name: client.pandas_integration.download_dataframe(
        str(results[str(datasets[name].id)].avatars_dataset.id)
    )
    for name in frames
}
privacy = client.jobs.create_privacy_metrics_multi_table_job(
    PrivacyMetricsMultiTableJobCreate(
        parameters=PrivacyMetricsMultiTableParameters(
            table_links=links,
            table_parameters=[
                BasePrivacyMetricsParameters(
                    original_id=datasets[name].id,
                    unshuffled_avatars_id=results[
                        str(datasets[name].id)
                    ].sensitive_unshuffled_avatars_datasets.id,
                )
                for name in frames
            ],
        )
    )
)
privacy = wait(client.jobs.get_privacy_metrics_multi_table_job, privacy.id)

porto = pd.read_csv(f"{data}/porto_taxi_200.csv")
original = client.pandas_integration.upload_dataframe(porto, identifier_variables=["id"])
trimmed = client.pandas_integration.upload_dataframe(
    porto.groupby("id", sort=False).head(20), identifier_variables=["id"]
)
geo = client.jobs.create_privacy_metrics_geolocation_job(
    PrivacyMetricsGeolocationJobCreate(
        parameters=PrivacyMetricsGeolocationParameters(
            original_dataset_id=original.id,
            unshuffled_avatar_dataset_id=trimmed.id,
            scenarios=[
                PrivacyMetricsGeolocationScenario(
                    projection_parameters=GeolocationDensityParameters(),
                    known_features=[GeolocationFeatures.length, GeolocationFeatures.duration],
                    target_feature=GeolocationFeatures.speed,
                    known_signal_position=SignalPosition.start,
                    target_signal_poi=PointOfInterest.start,
                ),
                PrivacyMetricsGeolocationScenario(
                    projection_parameters=GeolocationFeaturesParameters()
                ),
            ],
        )
    )
)
geo = wait(client.jobs.get_privacy_metrics_geolocation_job, geo.id)
report = client.reports.create_geolocation_privacy_report(
    ReportGeolocationPrivacyCreate(
        dataset_id=original.id, avatars_dataset_id=trimmed.id, privacy_job_id=geo.id
    )
)
report_again = client.reports.create_geolocation_privacy_report(
    ReportGeolocationPrivacyCreate(
        dataset_id=original.id, avatars_dataset_id=trimmed.id, privacy_job_id=geo.id
    )
)
pdf = b""
for _ in range(240):
    try:
        pdf = client.reports.download_report(id=str(report.id))
        break
    except Exception:
        time.sleep(0.5)
visits, scenarios = avatars["visit"], geo.result.privacy_metrics_per_scenario
print(json.dumps({
    "status": job.status.value,
    "rows": {name: len(frame) for name, frame in avatars.items()},
    "columns": {name: list(frame.columns) for name, frame in avatars.items()},
    "patients_resolve": bool(set(visits["patient_id"]) <= set(avatars["patient"]["p_id"])),
    "doctors_resolve": bool(set(visits["doctor_id"]) <= set(avatars["doctor"]["d_id"])),
    "privacy_status": privacy.status.value,
    "privacy_details": [
        [d.computation_type.value, d.dataset_name, d.individual_identifier_variable]
        for d in privacy.result.details
    ],
    "geo_status": geo.status.value,
    "geo_hidden_rates": [s.privacy_metrics.hidden_rate for s in scenarios],
    "geo_distances": len(scenarios[0].privacy_metrics.inference_distances),
    "report_job": str(report.job_id) == str(geo.id),
    "report_same": str(report.id) == str(report_again.id),
    "report_pdf": pdf[:5].decode("latin-1") if isinstance(pdf, bytes) else repr(type(pdf)),
}))
"""


def test_published_client_multi_table_and_geolocation(
    published_python: Path,  # noqa: F811 (the fixture)
    local_server: LocalServer,
    tmp_path: Path,
) -> None:
    script = tmp_path / "extended_073.py"
    script.write_text(SCRIPT)
    run = subprocess.run(
        [
            str(published_python),
            "-I",
            str(script),
            local_server.base_url,
            local_server.username,
            local_server.password,
            str(DATA),
        ],
        capture_output=True,
        env={key: value for key, value in os.environ.items() if not key.startswith("AVATAR")},
        cwd=tmp_path,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["status"] == "success"
    assert out["rows"] == {"patient": 130, "doctor": 50, "visit": 300}
    assert out["columns"]["visit"] == ["visit_id", "patient_id", "doctor_id", "day_visit", "exam"]
    assert out["patients_resolve"] and out["doctors_resolve"]
    assert out["privacy_status"] == "success"
    assert out["privacy_details"] == [
        ["standalone", "doctor", "doctor.d_id"],
        ["standalone", "patient", "patient.p_id"],
        ["to_bottom_id_propagated", "visit", "doctor.doctor_id"],
        ["to_bottom_id_propagated", "visit", "patient.patient_id"],
        ["to_top_enriched", "doctor", "doctor.doctor_id"],
        ["to_top_enriched", "patient", "patient.patient_id"],
        ["full_enriched", "visit", "doctor.doctor_id"],
        ["full_enriched", "visit", "patient.patient_id"],
    ]
    assert out["geo_status"] == "success"
    assert out["geo_hidden_rates"] == pytest.approx([5.0, 97.5])
    assert out["geo_distances"] == 200
    assert out["report_job"] and out["report_same"]
    assert out["report_pdf"] == "%PDF-"
