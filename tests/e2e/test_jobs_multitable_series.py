"""Multi-table entries given with time series (method-extended §3.4, last paragraph), through the
client against a real server: the vanilla is the graph node, its enriched table the vanilla of a
§2 avatarization with its series, and the series avatars are output datasets of the job."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.models import (
    AvatarizationMultiTableJob,
    AvatarizationMultiTableJobCreate,
    AvatarizationMultiTableParameters,
    JobStatus,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "extended"
WAIT = 300.0


def _upload(client: ApiClient, name: str, frame: pd.DataFrame, ids: list[str]) -> str:
    return str(
        client.pandas_integration.upload_dataframe(
            frame, name, identifier_variables=ids, progress=False
        ).id
    )


def _series(ids: np.ndarray, points: int, seed: int, column: str) -> pd.DataFrame:
    """`points` measures of `column` per individual, a trend plus noise."""
    rng = np.random.default_rng(seed)
    level = rng.normal(size=len(ids))
    t = np.tile(np.arange(points), len(ids))
    values = np.repeat(level, points) + 0.1 * t + rng.normal(scale=0.2, size=len(t))
    return pd.DataFrame({"id": np.repeat(ids, points), "t": t, column: values})


@pytest.fixture(scope="module")
def owner(local_server, request) -> ApiClient:  # type: ignore[no-untyped-def]
    from tests.factories import create_user, logged_in_client

    with local_server.client() as admin:
        client = logged_in_client(local_server, create_user(admin))
    request.addfinalizer(client.close)
    return client


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    tables = {name: pd.read_csv(DATA / f"{name}.csv") for name in ("patient", "doctor", "visit")}
    # A root table (patient) and a child table (visit) each carry a series.
    tables["weights"] = _series(tables["patient"]["p_id"].to_numpy(), 8, 0, "weight")
    tables["pressure"] = _series(tables["visit"]["visit_id"].to_numpy(), 5, 1, "pressure")
    return tables


@pytest.fixture(scope="module")
def ids(owner: ApiClient, data: dict[str, pd.DataFrame]) -> dict[str, str]:
    keys = {
        "patient": ["p_id"],
        "doctor": ["d_id"],
        "visit": ["visit_id", "patient_id", "doctor_id"],
        "weights": ["id"],
        "pressure": ["id"],
    }
    return {name: _upload(owner, name, frame, keys[name]) for name, frame in data.items()}


def _links(ids: dict[str, str]) -> list[dict[str, Any]]:
    def link(parent: str, key: str, fk: str) -> dict[str, Any]:
        return {
            "parent_table": {"dataset_id": ids[parent], "is_individual_level": True},
            "child_table": {"dataset_id": ids["visit"], "is_individual_level": False},
            "parent_link_key": key,
            "child_link_key": fk,
            "link_method": "linear_sum_assignement",
        }

    return [link("patient", "p_id", "patient_id"), link("doctor", "d_id", "doctor_id")]


def _run(owner: ApiClient, ids: dict[str, str], *, series: bool) -> AvatarizationMultiTableJob:
    def entry(name: str, k: int, series_name: str | None) -> dict[str, Any]:
        if not series or series_name is None:
            return {"dataset_id": ids[name], "k": k}
        return {
            "vanilla_dataset_id": ids[name],
            "k": k,
            "time_series": [{"dataset_id": ids[series_name], "projection_parameters": {"nf": 2}}],
        }

    request = AvatarizationMultiTableJobCreate(
        parameters=AvatarizationMultiTableParameters.from_dict(
            {
                "table_links": _links(ids),
                "table_parameters": [
                    entry("patient", 15, "weights"),
                    entry("doctor", 5, None),
                    entry("visit", 30, "pressure"),
                ],
                "seed": 7,
            }
        )
    )
    created = owner.jobs.create_avatarization_multi_table_job(request)
    job = owner.jobs.get_avatarization_multi_table_job(created.id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    return job


def test_tables_with_series_are_avatarized_with_their_series(
    owner: ApiClient, ids: dict[str, str], data: dict[str, pd.DataFrame]
) -> None:
    job = _run(owner, ids, series=True)
    assert job.result is not None
    outputs = job.result.datasets
    # table_parameters order; a time-series entry: its vanilla, then its series.
    assert [str(o.original_id) for o in outputs] == [
        ids[n] for n in ("patient", "weights", "doctor", "visit", "pressure")
    ]
    download = owner.pandas_integration.download_dataframe
    names = ("patient", "weights", "doctor", "visit", "pressure")
    released = {
        name: download(o.avatars_dataset.id, progress=False)
        for name, o in zip(names, outputs, strict=True)
    }
    unshuffled = {
        name: download(o.sensitive_unshuffled_avatars_datasets.id, progress=False)
        for name, o in zip(names, outputs, strict=True)
    }
    for name, frame in data.items():
        assert list(released[name].columns) == list(frame.columns)
    patient, visit = released["patient"], released["visit"]
    assert len(patient) == 130 and len(released["doctor"]) == 50 and len(visit) == 300
    # Referential integrity, LSA totals.
    assert set(visit["patient_id"]) <= set(patient["p_id"])
    assert set(visit["doctor_id"]) <= set(released["doctor"]["d_id"])
    assert np.bincount(visit["patient_id"], minlength=130).sum() == 300
    # Every series row belongs to an avatar individual of its table, by surrogate key; every
    # avatar individual has a series (no individual is absent in the originals).
    for series, table, key in (("weights", patient, "p_id"), ("pressure", visit, "visit_id")):
        rows = released[series]
        assert set(rows["id"]) == set(table[key])
        assert rows.groupby("id").size().min() >= 2
        assert rows[rows.columns[-1]].notna().all()
        # The sensitive copy holds the same rows, by individual in source order.
        same = unshuffled[series].sort_values(["id", "t"], kind="stable").reset_index(drop=True)
        ordered = rows.sort_values(["id", "t"], kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(same, ordered)
    # The avatar weights keep the originals' scale (barycentres of real curves).
    original = data["weights"]["weight"]
    assert released["weights"]["weight"].between(original.min() - 1, original.max() + 1).all()


def test_a_table_without_series_keeps_its_avatars_when_others_get_series(
    owner: ApiClient, ids: dict[str, str]
) -> None:
    """Child seeds per table (§0.1, §3.4): doctor's avatars (own columns) do not depend on
    whether patient and visit carry series."""
    with_series = _run(owner, ids, series=True)
    plain = _run(owner, ids, series=False)
    download = owner.pandas_integration.download_dataframe

    def doctors(job: AvatarizationMultiTableJob) -> pd.DataFrame:
        assert job.result is not None
        (doctor,) = [o for o in job.result.datasets if str(o.original_id) == ids["doctor"]]
        return download(doctor.sensitive_unshuffled_avatars_datasets.id, progress=False)

    pd.testing.assert_frame_equal(doctors(with_series), doctors(plain))
    assert uuid.UUID(str(with_series.id)) != uuid.UUID(str(plain.id))


def test_the_pipeline_helper_takes_tables_with_series(
    owner: ApiClient, data: dict[str, pd.DataFrame]
) -> None:
    """`client.pipelines.avatarization_multi_table` with `Table.series`: the avatar series come
    back by name next to the tables, keyed by their table's surrogate keys."""
    from avatars.models import LinkMethod
    from avatars.multitable import Link, Series, Table

    tables = {
        "patient": Table(
            data["patient"],
            ["p_id"],
            parameters={"k": 15},
            series={"weights": Series(data["weights"], "id", {"nf": 2})},
        ),
        "doctor": Table(data["doctor"], ["d_id"], parameters={"k": 5}),
        "visit": Table(data["visit"], ["visit_id", "patient_id", "doctor_id"], False, {"k": 30}),
    }
    links = [
        Link("patient", "p_id", "visit", "patient_id", LinkMethod.BOTTOM_PROJECTION),
        Link("doctor", "d_id", "visit", "doctor_id", LinkMethod.BOTTOM_PROJECTION),
    ]
    result = owner.pipelines.avatarization_multi_table(tables, links, seed=5, timeout=WAIT)
    assert set(result.avatars) == {"patient", "weights", "doctor", "visit"}
    weights, patient = result.avatars["weights"], result.avatars["patient"]
    assert list(weights.columns) == list(data["weights"].columns)
    assert set(weights["id"]) == set(patient["p_id"])
    assert set(result.avatars["visit"]["patient_id"]) <= set(patient["p_id"])
    with pytest.raises(ValueError, match="series names"):
        owner.pipelines.avatarization_multi_table(
            {**tables, "weights": tables["doctor"]}, links, timeout=WAIT
        )


def test_privacy_of_tables_with_series(owner: ApiClient, ids: dict[str, str]) -> None:
    """§3.7: an entry with time series is its vanilla pair in the table graph; its series get
    §2.9 entries, appended after the multi-table entries in request order."""
    from avatars.models import PrivacyMetricsMultiTableJobCreate, PrivacyMetricsMultiTableParameters

    job = _run(owner, ids, series=True)
    assert job.result is not None
    unshuffled = {
        str(o.original_id): str(o.sensitive_unshuffled_avatars_datasets.id)
        for o in job.result.datasets
    }

    def entry(name: str, series_name: str | None) -> dict[str, Any]:
        if series_name is None:
            return {"original_id": ids[name], "unshuffled_avatars_id": unshuffled[ids[name]]}
        return {
            "vanilla_original_id": ids[name],
            "vanilla_unshuffled_avatars_id": unshuffled[ids[name]],
            "time_series": [
                {
                    "dataset_id": ids[series_name],
                    "unshuffled_avatar_dataset_id": unshuffled[ids[series_name]],
                    "projection_parameters": {"nf": 2},
                }
            ],
        }

    def create(table_parameters: list[dict[str, Any]]) -> Any:
        return owner.jobs.create_privacy_metrics_multi_table_job(
            PrivacyMetricsMultiTableJobCreate(
                parameters=PrivacyMetricsMultiTableParameters.from_dict(
                    {"table_links": _links(ids), "table_parameters": table_parameters, "seed": 2}
                )
            )
        )

    with_series = [entry("patient", "weights"), entry("doctor", None), entry("visit", "pressure")]
    plain = [entry("patient", None), entry("doctor", None), entry("visit", None)]
    results = []
    for table_parameters in (with_series, plain):
        created = create(table_parameters)
        done = owner.jobs.get_privacy_metrics_multi_table_job(created.id, timeout=WAIT)
        assert done.status == JobStatus.SUCCESS, done.error_message
        assert done.result is not None
        results.append(done.result.details)
    series_details, plain_details = results
    multi = [d for d in series_details if str(d.metrics_type) == "multi_table"]
    assert [d.to_dict() for d in multi] == [d.to_dict() for d in plain_details]
    appended = series_details[len(multi) :]
    assert [str(d.metrics_type) for d in appended] == ["time_series", "time_series"]
    assert [str(d.original_id) for d in appended] == [ids["weights"], ids["pressure"]]
    assert all(0 <= d.hidden_rate <= 100 for d in appended)

    # An entry with series but no vanilla pair: nothing started, a 422 naming the field.
    from avatars.exceptions import UnprocessableEntityError

    broken = dict(with_series[0])
    del broken["vanilla_unshuffled_avatars_id"]
    with pytest.raises(UnprocessableEntityError, match="vanilla_unshuffled_avatars_id"):
        create([broken, with_series[1], with_series[2]])
