"""Multi-table jobs through the client against a real server (method-extended §3): the
tutorial's patient/doctor/visit schema end to end, and every bad input of reference §3.10."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.exceptions import NotFoundError, UnprocessableEntityError
from avatars.models import (
    AvatarizationMultiTableJobCreate,
    AvatarizationMultiTableParameters,
    BasePrivacyMetricsParameters,
    JobStatus,
    LinkMethod,
    PrivacyMetricsMultiTableJobCreate,
    PrivacyMetricsMultiTableParameters,
)
from avatars.multitable import Link, Table

DATA = Path(__file__).resolve().parents[1] / "data" / "extended"
WAIT = 300.0


@pytest.fixture(scope="module")
def tutorial() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(DATA / f"{name}.csv") for name in ("patient", "doctor", "visit")}


def test_patient_doctor_visit_end_to_end(
    user_client: ApiClient, tutorial: dict[str, pd.DataFrame]
) -> None:
    tables = {
        "patient": Table(tutorial["patient"], ["p_id"], parameters={"k": 15}),
        "doctor": Table(tutorial["doctor"], ["d_id"], parameters={"k": 5}),
        "visit": Table(
            tutorial["visit"], ["visit_id", "patient_id", "doctor_id"], False, {"k": 30}
        ),
    }
    lsa = LinkMethod.LINEAR_SUM_ASSIGNEMENT
    links = [
        Link("patient", "p_id", "visit", "patient_id", lsa),
        Link("doctor", "d_id", "visit", "doctor_id", lsa),
    ]
    result = user_client.pipelines.avatarization_multi_table(tables, links, seed=3, timeout=WAIT)
    for name, frame in tutorial.items():
        for copy in (result.avatars[name], result.sensitive_unshuffled_avatars[name]):
            assert list(copy.columns) == list(frame.columns)
            assert len(copy) == len(frame)
    patient, doctor, visit = (result.avatars[n] for n in ("patient", "doctor", "visit"))
    assert patient["p_id"].tolist() == list(range(130))
    assert doctor["d_id"].tolist() == list(range(50))
    assert visit["visit_id"].tolist() == list(range(300))
    # Referential integrity: every visit resolves to a patient and a doctor avatar.
    assert set(visit["patient_id"]) <= set(patient["p_id"])
    assert set(visit["doctor_id"]) <= set(doctor["d_id"])
    # LSA: every parent keeps at least the smallest original number of children.
    original = tutorial["visit"]
    for key, parent in (("patient_id", 130), ("doctor_id", 50)):
        counts = np.bincount(visit[key], minlength=parent)
        assert counts.sum() == 300
        assert counts.min() >= np.bincount(original[key], minlength=parent).min()
    assert set(visit["exam"]) <= set(original["exam"])
    # The sensitive copy carries the same avatars and keys in source order.
    unshuffled = result.sensitive_unshuffled_avatars["visit"]
    assert sorted(unshuffled["visit_id"]) == list(range(300))
    merged = unshuffled.set_index("visit_id").loc[visit["visit_id"]].reset_index()
    assert merged[list(visit.columns)].equals(visit)

    # Privacy of the linked avatars: the tutorial's 8 entries in its order.
    job = result.job
    assert job.result is not None
    by_original = {entry.original_id: entry for entry in job.result.datasets}
    parameters = job.parameters
    request = PrivacyMetricsMultiTableJobCreate(
        parameters=PrivacyMetricsMultiTableParameters(
            table_links=parameters.table_links,
            table_parameters=[
                BasePrivacyMetricsParameters(
                    original_id=entry.dataset_id,  # type: ignore[union-attr]
                    unshuffled_avatars_id=by_original[
                        entry.dataset_id  # type: ignore[union-attr]
                    ].sensitive_unshuffled_avatars_datasets.id,
                )
                for entry in parameters.table_parameters
            ],
            seed=1,
        )
    )
    created = user_client.jobs.create_privacy_metrics_multi_table_job(request)
    privacy = user_client.jobs.get_privacy_metrics_multi_table_job(created.id, timeout=WAIT)
    assert privacy.status == JobStatus.SUCCESS, privacy.error_message
    assert privacy.result is not None
    labels = [
        (d.computation_type.value, d.dataset_name, d.individual_identifier_variable)  # type: ignore[union-attr]
        for d in privacy.result.details
    ]
    assert labels == [
        ("standalone", "doctor", "doctor.d_id"),
        ("standalone", "patient", "patient.p_id"),
        ("to_bottom_id_propagated", "visit", "doctor.doctor_id"),
        ("to_bottom_id_propagated", "visit", "patient.patient_id"),
        ("to_top_enriched", "doctor", "doctor.doctor_id"),
        ("to_top_enriched", "patient", "patient.patient_id"),
        ("full_enriched", "visit", "doctor.doctor_id"),
        ("full_enriched", "visit", "patient.patient_id"),
    ]
    for detail in privacy.result.details:
        assert 0 <= detail.hidden_rate <= 100
        assert detail.targets.hidden_rate == "> 90%"


# --- bad input: each a 4xx naming what to fix, nothing started ------------------------------------


def _upload(client: ApiClient, name: str, frame: pd.DataFrame, ids: list[str]) -> uuid.UUID:
    return client.pandas_integration.upload_dataframe(
        frame, name, identifier_variables=ids, progress=False
    ).id


def _link(parent: uuid.UUID, child: uuid.UUID, pk: str, fk: str, **flags: bool) -> dict[str, Any]:
    return {
        "parent_table": {
            "dataset_id": str(parent),
            "is_individual_level": flags.get("parent_individual", True),
        },
        "child_table": {
            "dataset_id": str(child),
            "is_individual_level": flags.get("child_individual", False),
        },
        "parent_link_key": pk,
        "child_link_key": fk,
    }


@pytest.fixture
def small(user_client: ApiClient) -> dict[str, uuid.UUID]:
    rng = np.random.default_rng(0)
    a = pd.DataFrame({"id": range(10), "x": rng.normal(size=10)})
    b = pd.DataFrame({"id": range(10), "y": rng.normal(size=10)})
    c = pd.DataFrame({"id": range(30), "a_id": np.arange(30) % 10, "z": rng.normal(size=30)})
    both = c.assign(b_id=np.arange(30) % 10)
    series = pd.DataFrame(
        {"id": np.repeat(np.arange(10), 4), "t": np.tile(np.arange(4), 10), "v": rng.random(40)}
    )
    return {
        "a": _upload(user_client, "a", a, ["id"]),
        "b": _upload(user_client, "b", b, ["id"]),
        "c": _upload(user_client, "c", c, ["id", "a_id"]),
        "both": _upload(user_client, "both", both, ["id", "a_id", "b_id"]),
        "c3": _upload(user_client, "c3", c.assign(extra=1), ["id", "a_id", "extra"]),
        "dup": _upload(user_client, "dup", a.assign(id=[0, 0, *range(2, 10)]), ["id"]),
        **{
            name: _upload(
                user_client, name, pd.DataFrame({"id": range(10), key: range(10)}), ["id", key]
            )
            for name, key in (("p", "r_id"), ("q", "p_id"), ("r", "q_id"))
        },
        "orphan": _upload(
            user_client, "orphan", c.assign(a_id=np.arange(30) % 10 + 5), ["id", "a_id"]
        ),
        "series": _upload(user_client, "series", series, ["id"]),
        "stray": _upload(user_client, "stray", series.assign(id=series["id"] + 20), ["id"]),
    }


def _series(dataset: uuid.UUID, nf: int = 2) -> dict[str, Any]:
    return {"dataset_id": str(dataset), "projection_parameters": {"nf": nf}}


def _with_series(
    ids: dict[str, uuid.UUID], vanilla: str, series: uuid.UUID, nf: int = 2
) -> dict[str, Any]:
    return {"k": 3, "vanilla_dataset_id": str(ids[vanilla]), "time_series": [_series(series, nf)]}


def _tables(ids: dict[str, uuid.UUID], *names: str) -> list[dict[str, Any]]:
    return [{"k": 3, "dataset_id": str(ids[name])} for name in names]


CASES: dict[str, Callable[[dict[str, uuid.UUID]], tuple[list[Any], list[Any], str]]] = {
    "dataset-in-parameters-not-in-links": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        _tables(i, "a", "c", "b"),
        "must appear in table_links",
    ),
    "dataset-in-links-not-in-parameters": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        _tables(i, "a"),
        "only appear in table_links",
    ),
    "disagreeing-references": lambda i: (
        [
            _link(i["a"], i["both"], "id", "a_id"),
            _link(i["b"], i["both"], "id", "b_id", child_individual=True),
        ],
        _tables(i, "a", "b", "both"),
        "must agree",
    ),
    "cycle": lambda i: (
        [
            _link(i["p"], i["q"], "id", "p_id", child_individual=True),
            _link(i["q"], i["r"], "id", "q_id", child_individual=True),
            _link(i["r"], i["p"], "id", "r_id", child_individual=True),
        ],
        _tables(i, "p", "q", "r"),
        "cycle",
    ),
    "wrong-number-of-identifiers": lambda i: (
        [_link(i["a"], i["c3"], "id", "a_id")],
        _tables(i, "a", "c3"),
        "needs 2 identifier columns",
    ),
    "child-column-in-two-links": lambda i: (
        [_link(i["a"], i["both"], "id", "a_id"), _link(i["b"], i["both"], "id", "a_id")],
        _tables(i, "a", "b", "both"),
        "child_link_key of two links",
    ),
    "pair-linked-twice": lambda i: (
        [_link(i["a"], i["both"], "id", "a_id"), _link(i["a"], i["both"], "id", "b_id")],
        _tables(i, "a", "both"),
        "linked twice",
    ),
    "root-not-individual": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id", parent_individual=False)],
        _tables(i, "a", "c"),
        "must be individual-level",
    ),
    "unknown-column": lambda i: (
        [_link(i["a"], i["c"], "id", "patient")],
        _tables(i, "a", "c"),
        "'patient' is not a column of 'c'",
    ),
    "duplicate-parent-key": lambda i: (
        [_link(i["dup"], i["c"], "id", "a_id")],
        _tables(i, "dup", "c"),
        "must be unique; '0' is repeated",
    ),
    "orphan-child-row": lambda i: (
        [_link(i["a"], i["orphan"], "id", "a_id")],
        _tables(i, "a", "orphan"),
        "row 5 of 'orphan'",
    ),
    "time-series-entry-without-series": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        [{"k": 3, "vanilla_dataset_id": str(i["a"]), "time_series": []}, *_tables(i, "c")],
        r"table_parameters\.0\.time_series: give at least one time-series dataset",
    ),
    "time-series-entry-without-vanilla": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        [{"k": 3, "time_series": [_series(i["series"])]}, *_tables(i, "c")],
        r"table_parameters\.0\.vanilla_dataset_id: a table given with time series needs",
    ),
    "series-that-is-a-graph-table": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        [_with_series(i, "a", i["c"]), *_tables(i, "c")],
        "is a table of the graph",
    ),
    "series-of-unknown-individuals": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        [_with_series(i, "a", i["stray"]), *_tables(i, "c")],
        "UNKNOWN_INDIVIDUAL|absent from",
    ),
    "series-nf-too-large": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        [_with_series(i, "a", i["series"], nf=9), *_tables(i, "c")],
        r"table_parameters\.0\.time_series",
    ),
    "k-too-large": lambda i: (
        [_link(i["a"], i["c"], "id", "a_id")],
        [{"k": 10, "dataset_id": str(i["a"])}, *_tables(i, "c")],
        r"table_parameters\.0\.k",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_multi_table_input_is_a_422_and_starts_nothing(
    user_client: ApiClient, small: dict[str, uuid.UUID], case: str
) -> None:
    links, tables, expected = CASES[case](small)
    request = AvatarizationMultiTableJobCreate(
        parameters=AvatarizationMultiTableParameters.from_dict(
            {"table_links": links, "table_parameters": tables}
        )
    )
    before = len(user_client.jobs.find_all_jobs_by_user())
    with pytest.raises(UnprocessableEntityError, match=expected):
        user_client.jobs.create_avatarization_multi_table_job(request)
    assert len(user_client.jobs.find_all_jobs_by_user()) == before


def test_another_users_table_is_a_404(
    user_client_factory: Callable[[], ApiClient], small: dict[str, uuid.UUID]
) -> None:
    other = user_client_factory()
    mine = _upload(other, "a", pd.DataFrame({"id": range(10), "x": range(10)}), ["id"])
    request = AvatarizationMultiTableJobCreate(
        parameters=AvatarizationMultiTableParameters.from_dict(
            {
                "table_links": [_link(mine, small["c"], "id", "a_id")],
                "table_parameters": [
                    {"k": 3, "dataset_id": str(mine)},
                    {"k": 3, "dataset_id": str(small["c"])},
                ],
            }
        )
    )
    with pytest.raises(NotFoundError):
        other.jobs.create_avatarization_multi_table_job(request)


def test_privacy_job_needs_avatar_tables_matching_their_originals(
    user_client: ApiClient, small: dict[str, uuid.UUID]
) -> None:
    def request(avatars_of_a: uuid.UUID) -> PrivacyMetricsMultiTableJobCreate:
        return PrivacyMetricsMultiTableJobCreate(
            parameters=PrivacyMetricsMultiTableParameters.from_dict(
                {
                    "table_links": [_link(small["a"], small["c"], "id", "a_id")],
                    "table_parameters": [
                        {
                            "original_id": str(small["a"]),
                            "unshuffled_avatars_id": str(avatars_of_a),
                        },
                        {"original_id": str(small["c"]), "unshuffled_avatars_id": str(small["c"])},
                    ],
                }
            )
        )

    with pytest.raises(UnprocessableEntityError, match=r"missing from table_parameters\.0"):
        user_client.jobs.create_privacy_metrics_multi_table_job(request(small["b"]))
    fewer = _upload(user_client, "a2", pd.DataFrame({"id": range(12), "x": range(12)}), ["id"])
    with pytest.raises(UnprocessableEntityError, match="same number of rows; the original has 10"):
        user_client.jobs.create_privacy_metrics_multi_table_job(request(fewer))
