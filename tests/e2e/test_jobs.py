"""Jobs through the client against a real server: results, validation, isolation, listings."""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.exceptions import JobFailedError, NotFoundError, UnprocessableEntityError
from avatars.models import (
    AvatarizationJobCreate,
    AvatarizationParameters,
    ExcludeCategoricalMethod,
    ExcludeCategoricalParameters,
    ImputationParameters,
    ImputeMethod,
    JobStatus,
    PrivacyMetricsJobCreate,
    PrivacyMetricsParameters,
    RareCategoricalMethod,
    SignalMetricsJobCreate,
    SignalMetricsParameters,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
IRIS = FIXTURES / "iris.csv"
WAIT = 120.0


def _iris(client: ApiClient) -> uuid.UUID:
    with IRIS.open("rb") as handle:
        return client.datasets.create_dataset(handle).id


def _full_job(client: ApiClient, dataset_id: uuid.UUID, **knobs: object) -> uuid.UUID:
    parameters = AvatarizationParameters(k=knobs.pop("k", 20), dataset_id=dataset_id, **knobs)  # type: ignore[arg-type]
    job = client.jobs.create_full_avatarization_job(AvatarizationJobCreate(parameters=parameters))
    return job.id


@pytest.fixture
def iris_id(user_client: ApiClient) -> uuid.UUID:
    return _iris(user_client)


def test_full_job_on_iris_gives_metrics_and_typed_result_datasets(
    user_client: ApiClient, iris_id: uuid.UUID
) -> None:
    created = user_client.jobs.create_full_avatarization_job(
        AvatarizationJobCreate(parameters=AvatarizationParameters(k=20, dataset_id=iris_id))
    )
    assert created.status == JobStatus.PENDING
    assert (created.parameters.k, created.parameters.dataset_id) == (20, iris_id)
    assert created.parameters.ncp is None  # echoed as received, nulls included

    job = user_client.jobs.get_avatarization_job(created.id, per_request_timeout=10, timeout=WAIT)

    assert job.status == JobStatus.SUCCESS, job.error_message
    assert job.current_progress.completion_rate_100 == 100
    result = job.result
    original = user_client.datasets.get_dataset(iris_id)
    for dataset in (result.avatars_dataset, result.sensitive_unshuffled_avatars_datasets):
        assert dataset.nb_lines == 150
        assert [c.to_dict() for c in dataset.columns] == [c.to_dict() for c in original.columns]
        assert dataset.download_url.endswith(f"/datasets/{dataset.id}/download")
    privacy, signal = result.privacy_metrics, result.signal_metrics
    assert 0 <= privacy.hidden_rate <= 100 and math.isfinite(privacy.local_cloaking)
    assert privacy.targets.hidden_rate == "> 90%"
    assert 0 <= signal.hellinger_mean <= 1
    assert signal.targets.correlation_difference_ratio == "< 10%"
    avatars = user_client.pandas_integration.download_dataframe(result.avatars_dataset.id)
    iris = pd.read_csv(IRIS)
    assert list(avatars.columns) == list(iris.columns)
    assert set(avatars["variety"]) <= set(iris["variety"])


def test_avatarization_only_job_leaves_metrics_null(
    user_client: ApiClient, iris_id: uuid.UUID
) -> None:
    created = user_client.jobs.create_avatarization_job(
        AvatarizationJobCreate(
            parameters=AvatarizationParameters(
                k=5,
                dataset_id=iris_id,
                seed=7,
                imputation=ImputationParameters(method=ImputeMethod.MEAN),
            )
        )
    )
    job = user_client.jobs.get_avatarization_job(str(created.id), timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    assert job.result.privacy_metrics is None and job.result.signal_metrics is None
    assert job.parameters.imputation.method == ImputeMethod.MEAN


def test_metrics_jobs_accept_int_vs_float_tiny_frames_and_constant_columns(
    user_client: ApiClient,
) -> None:
    frame = pd.DataFrame(
        {
            "v1": [100, 150, 120, 100],
            "v2": [10, 30, 30, 22],
            "const": [5, 5, 5, 5],
            "cat": ["a", "b", "a", "b"],
        }
    )
    original = user_client.pandas_integration.upload_dataframe(frame)
    created = user_client.jobs.create_avatarization_job(
        AvatarizationJobCreate(parameters=AvatarizationParameters(k=3, dataset_id=original.id))
    )
    job = user_client.jobs.get_avatarization_job(created.id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    unshuffled = user_client.pandas_integration.download_dataframe(
        job.result.sensitive_unshuffled_avatars_datasets.id
    )
    assert (unshuffled["const"] == 5).all()
    # A post-processed frame: the ints come back as floats.
    floats = unshuffled.astype({"v1": float, "v2": float, "const": float})
    uploaded = user_client.pandas_integration.upload_dataframe(floats)

    privacy = user_client.jobs.create_privacy_metrics_job(
        PrivacyMetricsJobCreate(
            parameters=PrivacyMetricsParameters(
                original_id=original.id,
                unshuffled_avatars_id=uploaded.id,
                avatarization_job_id=job.id,
                seed=1,
            )
        )
    )
    signal = user_client.jobs.create_signal_metrics_job(
        SignalMetricsJobCreate(
            parameters=SignalMetricsParameters(original_id=original.id, avatars_id=uploaded.id)
        )
    )
    waited = user_client.jobs.wait(privacy.id, timeout=WAIT, progress=False)
    assert waited.kind == "privacy_metrics" and waited.result is not None
    privacy_job = user_client.jobs.get_privacy_metrics(privacy.id, timeout=WAIT)
    signal_job = user_client.jobs.get_signal_metrics(signal.id, timeout=WAIT)
    assert privacy_job.status == JobStatus.SUCCESS, privacy_job.error_message
    assert signal_job.status == JobStatus.SUCCESS, signal_job.error_message
    assert 0 <= privacy_job.result.hidden_rate <= 100
    assert math.isfinite(signal_job.result.hellinger_std)


def _post(client: ApiClient, path: str, body: dict[str, object]) -> UnprocessableEntityError:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.http.post(path, json=body)
    return caught.value


@pytest.mark.parametrize(
    ("knobs", "field", "hint"),
    [
        ({"k": 0}, "parameters.k", "between 1 and"),
        ({"k": 150}, "parameters.k", "149"),
        ({"k": 5, "ncp": 0}, "parameters.ncp", "ncp"),
        ({"k": 5, "ncp": 50}, "parameters.ncp", "= 7"),
        ({"k": 5, "column_weights": {"nope": 1.0}}, "parameters.column_weights", "nope"),
        ({"k": 5, "column_weights": {"variety": -1.0}}, "parameters.column_weights", "> 0"),
        ({"k": 5, "imputation": {"method": "magic"}}, "parameters.imputation.method", "knn"),
    ],
)
def test_avatarization_parameters_that_cannot_work_answer_422(
    user_client: ApiClient, iris_id: uuid.UUID, knobs: dict[str, object], field: str, hint: str
) -> None:
    for path in ("/jobs", "/jobs/avatarization"):
        error = _post(user_client, path, {"parameters": {"dataset_id": str(iris_id), **knobs}})
        assert error.message.startswith(f"{field}:"), error.message
        assert hint in error.message


def test_kind_other_than_the_routes_answers_422(user_client: ApiClient, iris_id: uuid.UUID) -> None:
    body = {"kind": "privacy_metrics", "parameters": {"k": 5, "dataset_id": str(iris_id)}}
    error = _post(user_client, "/jobs", body)
    assert error.message.startswith("kind:") and "POST /jobs" in error.message
    explicit_null = {"kind": None, "parameters": {"k": 5, "dataset_id": str(iris_id)}}
    assert user_client.http.post("/jobs/avatarization", json=explicit_null).status_code == 201


def test_metrics_parameters_that_cannot_work_answer_422(
    user_client: ApiClient, iris_id: uuid.UUID
) -> None:
    other = user_client.pandas_integration.upload_dataframe(pd.read_csv(IRIS).head(100))
    privacy = {"original_id": str(iris_id), "unshuffled_avatars_id": str(iris_id)}
    error = _post(
        user_client, "/jobs/metrics/privacy", {"parameters": {**privacy, "target": "variety"}}
    )
    assert error.message.startswith("parameters.target:") and "known_variables" in error.message
    error = _post(
        user_client,
        "/jobs/metrics/privacy",
        {"parameters": {"original_id": str(iris_id), "unshuffled_avatars_id": str(other.id)}},
    )
    assert "number of rows" in error.message
    renamed = user_client.pandas_integration.upload_dataframe(
        pd.read_csv(IRIS).rename(columns={"variety": "species"})
    )
    error = _post(
        user_client,
        "/jobs/metrics/signal",
        {"parameters": {"original_id": str(iris_id), "avatars_id": str(renamed.id)}},
    )
    assert error.message.startswith("parameters.avatars_id:") and "species" in error.message


def test_categorical_hidden_rate_variables_must_be_categorical(
    user_client: ApiClient, iris_id: uuid.UUID
) -> None:
    # iris' variety is categorical, sepal.length continuous: the request names the wrong one.
    privacy = {"original_id": str(iris_id), "unshuffled_avatars_id": str(iris_id)}
    body = {"parameters": {**privacy, "categorical_hidden_rate_variables": ["sepal.length"]}}
    error = _post(user_client, "/jobs/metrics/privacy", body)
    assert error.message.startswith("parameters.categorical_hidden_rate_variables:")
    assert "'sepal.length'" in error.message
    empty = {"parameters": {**privacy, "categorical_hidden_rate_variables": [], "seed": 0}}
    created = user_client.http.post("/jobs/metrics/privacy", json=empty)
    assert created.status_code == 201, created.text
    job = user_client.jobs.get_privacy_metrics(created.json()["id"], timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    # No variable: every avatar ties, 100·(1 − 1/n) (method-extended.md §6.1).
    assert job.result.categorical_hidden_rate == pytest.approx(100 * (1 - 1 / 150))


def test_unknown_and_foreign_datasets_and_jobs_answer_404(
    user_client_factory: Callable[[], ApiClient],
) -> None:
    alice, bob = user_client_factory(), user_client_factory()
    alice_iris = _iris(alice)
    for dataset_id in (uuid.uuid4(), alice_iris):
        with pytest.raises(NotFoundError):
            _full_job(bob, dataset_id)
    bob_iris = _iris(bob)
    alice_job = _full_job(alice, alice_iris, k=5)
    with pytest.raises(NotFoundError):
        bob.jobs.create_signal_metrics_job(
            SignalMetricsJobCreate(
                parameters=SignalMetricsParameters(
                    original_id=bob_iris, avatars_id=bob_iris, avatarization_job_id=alice_job
                )
            )
        )


def test_jobs_of_one_user_are_invisible_to_another(
    user_client_factory: Callable[[], ApiClient],
) -> None:
    alice, bob = user_client_factory(), user_client_factory()
    job_id = _full_job(alice, _iris(alice), k=5)
    with pytest.raises(NotFoundError):
        bob.jobs.get_avatarization_job(job_id, timeout=0)
    with pytest.raises(NotFoundError):
        bob.jobs.cancel_job(job_id)
    assert job_id not in {job.id for job in bob.jobs.find_all_jobs_by_user()}
    assert job_id in {job.id for job in alice.jobs.find_all_jobs_by_user()}


def test_kind_specific_get_on_another_kind_names_the_right_route(
    user_client: ApiClient, iris_id: uuid.UUID
) -> None:
    job_id = _full_job(user_client, iris_id, k=5)
    with pytest.raises(NotFoundError) as caught:
        user_client.jobs.get_privacy_metrics(job_id, timeout=0)
    assert f"GET /jobs/avatarization/{job_id}" in caught.value.message
    with pytest.raises(NotFoundError):
        user_client.jobs.get_avatarization_job(uuid.uuid4(), timeout=0)


def test_listing_is_newest_first_without_results(user_client: ApiClient) -> None:
    dataset_id = _iris(user_client)
    first = _full_job(user_client, dataset_id, k=5)
    second = _full_job(user_client, dataset_id, k=6)
    user_client.jobs.wait(second, timeout=WAIT, progress=False)
    jobs = user_client.jobs.find_all_jobs_by_user(nb_days=1)
    assert [job.id for job in jobs][:2] == [second, first]
    assert all(job.result is None for job in jobs)
    assert jobs[0].parameters.to_dict()["k"] == 6
    with pytest.raises(UnprocessableEntityError, match="nb_days"):
        user_client.jobs.find_all_jobs_by_user(nb_days=0)


def test_a_job_failing_at_run_time_says_why(user_client: ApiClient) -> None:
    frame = pd.DataFrame({"a": np.arange(20.0), "empty": [np.nan] * 20})
    dataset = user_client.pandas_integration.upload_dataframe(frame)
    job_id = _full_job(user_client, dataset.id, k=3)
    job = user_client.jobs.get_avatarization_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.FAILURE
    assert "empty" in job.error_message and "Traceback" not in job.error_message
    with pytest.raises(JobFailedError) as caught:
        user_client.jobs.wait(job_id, timeout=WAIT, progress=False)
    assert "empty" in str(caught.value)


def test_concurrent_jobs_of_two_users_do_not_interfere(
    user_client_factory: Callable[[], ApiClient],
) -> None:
    clients = [user_client_factory(), user_client_factory()]
    # Uploaded one after the other: this test is about concurrent jobs, not uploads.
    dataset_ids = [_iris(client) for client in clients]
    outcomes: dict[int, list[str]] = {}

    def work(index: int) -> None:
        client = clients[index]
        dataset_id = dataset_ids[index]
        ids = [_full_job(client, dataset_id, k=5 + index, seed=index) for _ in range(2)]
        jobs = [client.jobs.get_avatarization_job(i, timeout=WAIT) for i in ids]
        for job in jobs:
            assert job.parameters.k == 5 + index
            client.datasets.get_dataset(job.result.avatars_dataset.id)  # owned by this user
            other = clients[1 - index]
            with pytest.raises(NotFoundError):
                other.datasets.get_dataset(job.result.avatars_dataset.id)
        outcomes[index] = [str(job.status) for job in jobs]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert outcomes == {0: ["success", "success"], 1: ["success", "success"]}


def test_declared_types_drive_roles_and_result_types(user_client: ApiClient) -> None:
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame(
        {
            "id": [f"patient-{i}" for i in range(n)],
            "age": rng.integers(20, 80, n),
            "weight": np.round(rng.normal(70, 10, n), 1),
            "smoker": rng.integers(0, 2, n).astype(bool),
            "visit": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), "D"),
            "group": rng.choice(["a", "b", "c"], n),
        }
    )
    original = user_client.pandas_integration.upload_dataframe(frame, identifier_variables=["id"])
    job = user_client.jobs.get_avatarization_job(
        _full_job(user_client, original.id, k=5), timeout=WAIT
    )
    assert job.status == JobStatus.SUCCESS, job.error_message

    avatars_dataset = job.result.avatars_dataset
    declared = {c.label: (str(c.type_), c.is_identifier) for c in original.columns}
    assert declared["id"] == ("category", True)
    # Same metadata as the original; the identifier column holds surrogate keys
    # (method-extended.md §0.2): the position of the avatar in the released dataset.
    assert {c.label: (str(c.type_), c.is_identifier) for c in avatars_dataset.columns} == declared
    avatars = user_client.pandas_integration.download_dataframe(avatars_dataset.id)
    assert list(avatars.columns) == ["id", "age", "weight", "smoker", "visit", "group"]
    assert avatars["id"].astype(str).tolist() == [str(i) for i in range(n)]
    unshuffled = user_client.pandas_integration.download_dataframe(
        job.result.sensitive_unshuffled_avatars_datasets.id
    )
    assert sorted(unshuffled["id"].astype(str).tolist()) == sorted(str(i) for i in range(n))
    released = avatars.set_index(avatars["id"].astype(str))
    for _, row in unshuffled.head(5).iterrows():  # the same key on the same avatar
        assert released.loc[str(row["id"]), "weight"] == row["weight"]
    assert str(avatars["age"].dtype) == "int64" and avatars["age"].between(20, 79).all()
    assert avatars["smoker"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(avatars["visit"])
    assert set(avatars["group"]) <= {"a", "b", "c"}


def test_integer_identifiers_keep_their_type_and_never_their_values(
    user_client: ApiClient,
) -> None:
    rng = np.random.default_rng(2)
    n = 40
    frame = pd.DataFrame({"key": np.arange(5000, 5000 + n), "x": rng.normal(size=n)})
    original = user_client.pandas_integration.upload_dataframe(frame, identifier_variables=["key"])
    job = user_client.jobs.get_avatarization_job(
        _full_job(user_client, original.id, k=5), timeout=WAIT
    )
    assert job.status == JobStatus.SUCCESS, job.error_message
    for dataset in (job.result.avatars_dataset, job.result.sensitive_unshuffled_avatars_datasets):
        assert [(c.label, str(c.type_), c.is_identifier) for c in dataset.columns] == [
            ("key", "int", True),
            ("x", "float", False),
        ]
        result = user_client.pandas_integration.download_dataframe(dataset.id)
        assert str(result["key"].dtype) == "int64"
        assert set(result["key"]) == set(range(n))  # never 5000 + i
    # The metrics ignore the identifier columns (they carry surrogates).
    privacy = user_client.jobs.create_privacy_metrics_job(
        PrivacyMetricsJobCreate(
            parameters=PrivacyMetricsParameters(
                original_id=original.id,
                unshuffled_avatars_id=job.result.sensitive_unshuffled_avatars_datasets.id,
                seed=0,
            )
        )
    )
    waited = user_client.jobs.get_privacy_metrics(privacy.id, timeout=WAIT)
    assert waited.status == JobStatus.SUCCESS, waited.error_message
    assert waited.result.hidden_rate == pytest.approx(job.result.privacy_metrics.hidden_rate)


def _postcodes(n: int) -> pd.DataFrame:
    """A table with a high-cardinality column: 150 postcodes of Zipf-like frequencies."""
    rng = np.random.default_rng(3)
    weights = 1.0 / np.arange(1, 151)
    codes = np.array([f"{75001 + 13 * i:05d}" for i in range(150)], dtype=object)
    postcode = rng.choice(codes, n, p=weights / weights.sum())
    return pd.DataFrame(
        {
            "postcode": postcode,
            "age": rng.integers(18, 90, n),
            "income": np.round(rng.normal(30_000, 5_000, n), 2),
        }
    )


@pytest.mark.parametrize(
    ("strategy", "rare_strategy"),
    [
        (ExcludeCategoricalMethod.COORDINATE_SIMILARITY, None),
        (ExcludeCategoricalMethod.ROW_ORDER, RareCategoricalMethod.MISSING),
        (ExcludeCategoricalMethod.COORDINATE_SIMILARITY, RareCategoricalMethod.PROBABILISTIC),
    ],
)
def test_exclude_categorical_keeps_a_postcode_out_of_the_projection(
    user_client: ApiClient,
    strategy: ExcludeCategoricalMethod,
    rare_strategy: RareCategoricalMethod | None,
) -> None:
    frame = _postcodes(600)
    dataset = user_client.pandas_integration.upload_dataframe(frame)
    exclude = ExcludeCategoricalParameters(
        exclude_cardinality_threshold=30,
        exclude_replacement_strategy=strategy,
        rare_occurence_threshold=2,
        number_reference_records=100,
    )
    if rare_strategy is not None:
        exclude.rare_replacement_strategy = rare_strategy
    job_id = _full_job(user_client, dataset.id, k=10, seed=4, exclude_categorical=exclude)
    job = user_client.jobs.get_avatarization_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    assert job.result.privacy_metrics is not None
    avatars = user_client.pandas_integration.download_dataframe(job.result.avatars_dataset.id)
    counts = frame["postcode"].value_counts()
    common = {str(code) for code in counts[counts > 2].index}
    values = {str(v) for v in avatars["postcode"].dropna()}
    assert values <= common
    if rare_strategy == RareCategoricalMethod.MISSING:
        assert avatars["postcode"].isna().sum() == int((frame["postcode"].map(counts) <= 2).sum())


def test_exclude_categorical_on_an_integer_postcode_made_categorical(
    user_client: ApiClient,
) -> None:
    frame = _postcodes(500).drop(columns="age")
    frame["postcode"] = frame["postcode"].astype(int)
    assert frame["postcode"].nunique() <= 150 < frame["income"].nunique()
    dataset = user_client.pandas_integration.upload_dataframe(frame)
    exclude = ExcludeCategoricalParameters(
        exclude_cardinality_threshold=30,
        exclude_replacement_strategy=ExcludeCategoricalMethod.ROW_ORDER,
        rare_occurence_threshold=1,
        rare_replacement_strategy=RareCategoricalMethod.MISSING,
    )
    job_id = _full_job(
        user_client,
        dataset.id,
        k=10,
        seed=1,
        to_categorical_threshold=150,
        exclude_categorical=exclude,
    )
    job = user_client.jobs.get_avatarization_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    unshuffled = user_client.pandas_integration.download_dataframe(
        job.result.sensitive_unshuffled_avatars_datasets.id
    )
    once = frame["postcode"].map(frame["postcode"].value_counts()) == 1
    assert unshuffled["postcode"].isna().tolist() == once.tolist()
    kept = unshuffled["postcode"][~once]
    assert kept.astype("int64").tolist() == frame["postcode"][~once].tolist()  # row_order


def test_exclude_categorical_parameters_out_of_range_and_categorical_reduction_answer_422(
    user_client: ApiClient, iris_id: uuid.UUID
) -> None:
    exclude = {
        "exclude_cardinality_threshold": 3,
        "exclude_replacement_strategy": "coordinate_similarity",
        "rare_occurence_threshold": 0,
        "number_reference_records": 0,
    }
    body = {"parameters": {"dataset_id": str(iris_id), "k": 5, "exclude_categorical": exclude}}
    error = _post(user_client, "/jobs", body)
    assert error.message.startswith("parameters.exclude_categorical.number_reference_records:")
    reduction = {
        "parameters": {"dataset_id": str(iris_id), "k": 5, "use_categorical_reduction": True}
    }
    error = _post(user_client, "/jobs", reduction)
    assert error.message.startswith("parameters.use_categorical_reduction:")
    # iris' variety (3 modalities) excluded: D_enc = 4, so ncp = 5 is out of range at creation.
    exclude["number_reference_records"] = None
    body = {
        "parameters": {"dataset_id": str(iris_id), "k": 5, "ncp": 5, "exclude_categorical": exclude}
    }
    error = _post(user_client, "/jobs", body)
    assert error.message.startswith("parameters.ncp:") and "= 4" in error.message


def test_to_categorical_threshold_draws_existing_values_and_keeps_types(
    user_client: ApiClient,
) -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"stage": rng.choice([1, 2, 4], 80), "x": rng.normal(size=80)})
    dataset = user_client.pandas_integration.upload_dataframe(frame)
    job_id = _full_job(user_client, dataset.id, k=5, to_categorical_threshold=3)
    job = user_client.jobs.get_avatarization_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    avatars = user_client.pandas_integration.download_dataframe(job.result.avatars_dataset.id)
    assert str(avatars["stage"].dtype) == "int64"
    assert set(avatars["stage"]) <= {1, 2, 4}  # drawn like a category, never averaged
