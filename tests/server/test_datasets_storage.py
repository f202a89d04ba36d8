"""Dataset storage: the repository interface used by routes and the job runner."""

from __future__ import annotations

import hashlib
import uuid

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from avatars_server.api.views.datasets import dataset_schema
from avatars_server.config import Settings
from avatars_server.errors import NotFoundError
from avatars_server.storage import datasets, users


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "i": [1, 2, 3],
            "f": [0.5, np.nan, 1.0],
            "b": [True, False, True],
            "c": ["x", "y,z", None],
            "d": pd.to_datetime(["2020-01-01", None, "2021-06-01 12:30:00.25"], format="ISO8601"),
        }
    )


@pytest.mark.parametrize("filetype", ["csv", "parquet"])
def test_store_then_read_dataframe_round_trips_every_type(
    session: Session, settings: Settings, owner_id: uuid.UUID, filetype: str
) -> None:
    row = datasets.store_dataframe(
        session, settings, _frame(), owner_id=owner_id, columns=None, filetype=filetype
    )
    assert [(c["label"], c["type"]) for c in row.columns] == [
        ("i", "int"),
        ("f", "float"),
        ("b", "bool"),
        ("c", "category"),
        ("d", "datetime"),
    ]
    assert (row.nb_lines, row.nb_dimensions, row.filetype) == (3, 5, filetype)
    path = datasets.dataset_path(settings, row)
    assert row.hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not list(settings.tmp_dir.iterdir())

    frame = datasets.read_dataframe(settings, row)
    expected = _frame()
    dtypes = ["int64", "float64", "bool", "object", "datetime64[ns]"]
    assert list(frame.dtypes.astype(str)) == dtypes
    assert frame["i"].tolist() == [1, 2, 3]
    assert frame["f"].iloc[0] == 0.5 and np.isnan(frame["f"].iloc[1])
    assert frame["b"].tolist() == [True, False, True]
    assert frame["c"].iloc[:2].tolist() == ["x", "y,z"] and pd.isna(frame["c"].iloc[2])
    pd.testing.assert_series_equal(frame["d"], expected["d"].astype("datetime64[ns]"))


@pytest.mark.parametrize("filetype", ["csv", "parquet"])
def test_read_dataframe_with_categories_gives_the_same_values_as_categoricals(
    session: Session, settings: Settings, owner_id: uuid.UUID, filetype: str
) -> None:
    row = datasets.store_dataframe(
        session, settings, _frame(), owner_id=owner_id, columns=None, filetype=filetype
    )
    plain = datasets.read_dataframe(settings, row)
    frame = datasets.read_dataframe(settings, row, categories=True)
    assert isinstance(frame["c"].dtype, pd.CategoricalDtype)
    assert sorted(frame["c"].cat.categories) == ["x", "y,z"]
    pd.testing.assert_series_equal(frame["c"].astype(object), plain["c"])
    pd.testing.assert_frame_equal(frame.drop(columns="c"), plain.drop(columns="c"))


def test_store_dataframe_keeps_given_columns_and_identifiers(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    columns: list[dict[str, object]] = [
        {"label": "i", "type": "float", "is_identifier": True},
        {"label": "f", "type": "float", "is_identifier": False},
        {"label": "b", "type": "bool", "is_identifier": False},
        {"label": "c", "type": "category", "is_identifier": False},
        {"label": "d", "type": "datetime", "is_identifier": False},
    ]
    row = datasets.store_dataframe(
        session, settings, _frame(), owner_id=owner_id, columns=columns, filetype="csv", name="r"
    )
    assert row.columns == columns and row.name == "r"
    frame = datasets.read_dataframe(settings, row)
    assert frame["i"].dtype == "float64"


def test_get_owned_dataset_hides_other_users_datasets(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    row = datasets.store_dataframe(
        session, settings, _frame(), owner_id=owner_id, columns=None, filetype="parquet"
    )
    assert datasets.get_owned_dataset(session, row.id, owner_id) is row
    other = users.create_user(session, username="other", email=None, password="pw").id
    with pytest.raises(NotFoundError) as foreign:
        datasets.get_owned_dataset(session, row.id, other)
    unknown_id = uuid.uuid4()
    with pytest.raises(NotFoundError) as unknown:
        datasets.get_owned_dataset(session, unknown_id, owner_id)
    assert foreign.value.message.replace(str(row.id), "") == unknown.value.message.replace(
        str(unknown_id), ""
    )


def test_dataset_schema_builds_download_url_on_base_url(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    row = datasets.store_dataframe(
        session, settings, _frame(), owner_id=owner_id, columns=None, filetype="csv"
    )
    wire = dataset_schema(row, "https://host/api/")
    assert wire.download_url == f"https://host/api/datasets/{row.id}/download"
    assert wire.filetype == "csv" and wire.nb_lines == 3 and wire.columns is not None
    assert wire.columns[0].label == "i" and wire.columns[0].is_identifier is False


def test_a_stored_file_is_on_disk_before_its_row_exists(
    session: Session, settings: Settings, owner_id: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A crash after the row is committed must not leave a row whose file is lost or partial:
    # the file's data is flushed before the rename, the directory entry after it.
    flushed: list[str] = []
    real_fsync = datasets.os.fsync

    def recording_fsync(descriptor: int) -> None:
        flushed.append(datasets.os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(datasets.os, "fsync", recording_fsync)
    row = datasets.store_dataframe(
        session, settings, _frame(), owner_id=owner_id, columns=None, filetype="csv"
    )
    path = datasets.dataset_path(settings, row)
    assert len(flushed) == 2
    assert flushed[0].startswith(str(settings.tmp_dir))  # the data, under its temporary name
    assert flushed[1] == str(path.parent)  # then the renamed entry
