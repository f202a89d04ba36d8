"""The avatarization job's result datasets, pinned byte for byte for both stored formats.

The job reads a dataset's text categories as pandas categoricals (job-overhead work, branch
``overhead3``); the digests below were computed with the code before that change (main
f67bbeb), so that the stored files, CSV and parquet (which keeps pandas' dtypes), are proven
unchanged: the pinned table (identifier, missing values, int, bool, datetime, two text
categories), seeded, also with high-cardinality exclusion and ``to_categorical_threshold``.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.jobs.execute import run_job
from avatars_server.storage import datasets, jobs
from avatars_server.storage.tables import DatasetRow, JobRow
from tests.evidence_table import COLUMNS, pinned_table

_EXCLUDE = {
    "exclude_cardinality_threshold": 10,
    "exclude_replacement_strategy": "coordinate_similarity",
    "rare_occurence_threshold": 5,
    "rare_replacement_strategy": "probabilistic",
}
CASES: dict[str, dict[str, Any]] = {
    "plain": {"k": 10, "seed": 7},
    "excluded": {"k": 8, "seed": 2, "exclude_categorical": _EXCLUDE},
    "to_categorical": {"k": 10, "seed": 3, "to_categorical_threshold": 12},
}
PINNED: dict[tuple[str, str], tuple[str, str]] = {
    ("plain", "csv"): (
        "ef101ffa07991b8da6fe07a66a35e1ce3ea85270628a7e21cc210e43ddc323a3",
        "be13a6a68ed5e8be36e0bc604208cddded2e8f1c453757f3e4c150b2485e5bda",
    ),
    ("plain", "parquet"): (
        "3e096dcff0b6e47bfc9843a291cd494e666e7e13aaa4a688a1baf3f3dc8411a8",
        "54fe8d850790fc29036c8f495f94d064dec9d43ed70842661d565af6be64aad8",
    ),
    ("excluded", "csv"): (
        "67b8c04e40923e6d47feabd1868870afd19d6945e5eb55b07acdc5e3080038b1",
        "9b037f92bcef0e9882365594287482ca8cb857abdf4ae212c263d22405007aeb",
    ),
    ("excluded", "parquet"): (
        "5142a9acb37fb3aac0fabf659b97795f9060617dbe827c1e58da48ca7fc6c01a",
        "58423b983fb1ef1c185886aa85d419437b9430cdbaadcc485657bae8c5ee71c0",
    ),
    ("to_categorical", "csv"): (
        "bbd5137f18d7311591b523b85a7b25ee9559d281df0612de80c25c1160653602",
        "f3f3d8a50420dfabc89e2e2186314797f74291516f709a0115fce677a3cff536",
    ),
    ("to_categorical", "parquet"): (
        "972c5a13d0e0bef5e45e6c5869e9f5d16d093438acddd305d08149ee22e451a4",
        "9940e0b2300569b9e4925cd47668871903f77d517ccc9d5be9d2af3a997af173",
    ),
}


@pytest.mark.parametrize("filetype", ["csv", "parquet"])
@pytest.mark.parametrize("case", list(CASES))
def test_result_datasets_are_stored_as_before(
    session: Session, settings: Settings, owner_id: uuid.UUID, filetype: str, case: str
) -> None:
    original = datasets.store_dataframe(
        session, settings, pinned_table(), owner_id=owner_id, columns=COLUMNS, filetype=filetype
    )
    row = jobs.create_job(
        session,
        owner_id=owner_id,
        kind="avatarization",
        parameters={**CASES[case], "dataset_id": str(original.id)},
        runner_id="me",
        with_metrics=False,
    )
    session.commit()
    assert run_job(str(row.id), settings.model_dump(mode="json")) == "success"
    session.expire_all()
    done = session.get(JobRow, row.id)
    assert done is not None and done.result is not None
    stored = []
    for key in ("avatars_dataset_id", "sensitive_unshuffled_avatars_datasets_id"):
        dataset = session.get(DatasetRow, uuid.UUID(done.result[key]))
        assert dataset is not None
        stored.append(str(dataset.hash))
    assert tuple(stored) == PINNED[(case, filetype)]
