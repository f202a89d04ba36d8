"""Datasets through the client against a real server: uploads, downloads, round trips."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from avatars import pandas_integration
from avatars.client import ApiClient
from avatars.local import LocalServer
from avatars.models import ColumnDetail, ColumnType, FileType, PatchDataset

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "fixtures" / "iris.csv"


def _types(dataset: object) -> list[tuple[str, str]]:
    columns = dataset.columns  # type: ignore[attr-defined]
    return [(c.label, c.type_.value) for c in columns]


def _every_dtype() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "int": [3, -1, 7, 0],
            "nullable_int": pd.array([1, 2, 3, 4], dtype="Int64"),
            "nullable_int_missing": pd.array([1, None, 3, None], dtype="Int64"),
            "float": [0.1, np.nan, 2.5, 1e20],
            "bool": [True, False, False, True],
            "category": pd.Series(["a", "b,c", None, "01234"], dtype=object),
            "pandas_category": pd.Categorical(["x", "y", "x", "x"]),
            "datetime": pd.to_datetime(
                ["2020-01-01", None, "2021-06-01 12:30:00.25", "1999-12-31 23:59:59"],
                format="ISO8601",
            ),
        }
    )


# -- the tutorial ---------------------------------------------------------------------------


def test_tutorial_uploads_iris_from_a_text_file(user_client: ApiClient) -> None:
    with IRIS.open("r") as handle:
        dataset = user_client.datasets.create_dataset(handle)
    assert dataset.nb_lines == 150 and dataset.nb_dimensions == 5
    assert dataset.filetype == FileType.CSV
    assert _types(dataset) == [
        ("sepal.length", "float"),
        ("sepal.width", "float"),
        ("petal.length", "float"),
        ("petal.width", "float"),
        ("variety", "category"),
    ]
    assert dataset.hash_ == hashlib.sha256(IRIS.read_bytes()).hexdigest()
    assert dataset.download_url.endswith(f"/datasets/{dataset.id}/download")
    assert dataset.download_url.startswith("http://127.0.0.1:")

    frame = user_client.pandas_integration.download_dataframe(dataset.id)
    expected = pd.read_csv(IRIS)
    expected["variety"] = expected["variety"].astype(object)
    pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("kind", ["path", "str path", "binary file", "bytes"])
def test_create_dataset_accepts_every_source_kind(user_client: ApiClient, kind: str) -> None:
    sources = {
        "path": lambda: IRIS,
        "str path": lambda: str(IRIS),
        "binary file": lambda: IRIS.open("rb"),
        "bytes": lambda: IRIS.read_bytes(),
    }
    source = sources[kind]()
    dataset = user_client.datasets.create_dataset(source=source, name=f"iris {kind}")
    if isinstance(source, io.IOBase):
        source.close()
    assert dataset.name == f"iris {kind}" and dataset.nb_lines == 150


def test_create_dataset_from_stream_and_a_dataframe_source(user_client: ApiClient) -> None:
    streamed = user_client.datasets.create_dataset_from_stream(IRIS.read_bytes(), "s")
    assert streamed.nb_lines == 150 and streamed.name == "s"
    from_frame = user_client.datasets.create_dataset(source=_every_dtype())
    assert from_frame.filetype == FileType.PARQUET and from_frame.nb_lines == 4


# -- pandas round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("filetype", [None, "csv", "parquet"])
def test_dataframe_round_trips_every_dtype(user_client: ApiClient, filetype: str | None) -> None:
    original = _every_dtype()
    dataset = user_client.pandas_integration.upload_dataframe(original, "every dtype")
    assert dataset.filetype == FileType.PARQUET
    assert _types(dataset) == [
        ("int", "int"),
        ("nullable_int", "int"),
        ("nullable_int_missing", "float"),
        ("float", "float"),
        ("bool", "bool"),
        ("category", "category"),
        ("pandas_category", "category"),
        ("datetime", "datetime"),
    ]
    frame = user_client.pandas_integration.download_dataframe(dataset.id, filetype=filetype)
    assert list(frame.columns) == list(original.columns)
    assert frame["int"].dtype == "int64" and frame["int"].tolist() == [3, -1, 7, 0]
    assert frame["nullable_int"].dtype == "int64"
    assert frame["nullable_int"].tolist() == [1, 2, 3, 4]
    assert frame["nullable_int_missing"].dtype == "float64"
    np.testing.assert_array_equal(frame["nullable_int_missing"], [1.0, np.nan, 3.0, np.nan])
    np.testing.assert_array_equal(frame["float"], original["float"])
    assert frame["bool"].dtype == bool and frame["bool"].tolist() == [True, False, False, True]
    assert frame["category"].dtype == object
    assert frame["category"].iloc[[0, 1, 3]].tolist() == ["a", "b,c", "01234"]
    assert pd.isna(frame["category"].iloc[2])
    assert frame["pandas_category"].tolist() == ["x", "y", "x", "x"]
    assert frame["datetime"].dtype == "datetime64[ns]"
    pd.testing.assert_series_equal(frame["datetime"], original["datetime"].astype("datetime64[ns]"))
    assert isinstance(frame.index, pd.RangeIndex)


def test_csv_download_keeps_na_like_text_as_values(user_client: ApiClient) -> None:
    dataset = user_client.datasets.create_dataset(source=b"country,n\nNA,1\nFR,\nNone,3\n")
    frame = user_client.pandas_integration.download_dataframe(dataset.id)
    assert frame["country"].tolist() == ["NA", "FR", "None"]
    assert frame["n"].isna().tolist() == [False, True, False]


def test_upload_dataframe_marks_identifiers_and_drops_the_index(user_client: ApiClient) -> None:
    frame = pd.DataFrame({"id": ["p1", "p2", "p3"], "x": [1.5, 2.5, 3.5]}, index=[10, 20, 30])
    dataset = user_client.pandas_integration.upload_dataframe(frame, identifier_variables=["id"])
    assert dataset.columns is not None
    assert [(c.label, c.is_identifier) for c in dataset.columns] == [("id", True), ("x", False)]
    back = user_client.pandas_integration.download_dataframe(dataset.id)
    assert back["x"].tolist() == [1.5, 2.5, 3.5] and list(back.index) == [0, 1, 2]


def test_upload_dataframe_sends_parquet_parts_of_bounded_size(
    user_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pandas_integration, "ROWS_PER_PART", 4)
    frame = pd.DataFrame({"n": range(10), "s": [f"v{i}" for i in range(10)]})
    dataset = user_client.pandas_integration.upload_dataframe(frame)
    assert dataset.nb_lines == 10
    back = user_client.pandas_integration.download_dataframe(dataset.id)
    assert back["n"].tolist() == list(range(10)) and back["s"].tolist() == frame["s"].tolist()


def test_upload_dataframe_refuses_mixed_columns_before_any_request(
    user_client: ApiClient,
) -> None:
    before = len(user_client.datasets.find_all_datasets_by_user())
    frame = pd.DataFrame({"mixed": ["a", 1, 2.5]})
    with pytest.raises(ValueError, match="mixes strings and numbers"):
        user_client.pandas_integration.upload_dataframe(frame)
    assert len(user_client.datasets.find_all_datasets_by_user()) == before


# -- multi-part uploads ---------------------------------------------------------------------


def test_csv_parts_are_concatenated_in_order(user_client: ApiClient, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("x;y\n1;a\n2;b\n")
    second.write_text("x,y\n3,c\n")  # each part's separator is sniffed on its own
    dataset = user_client.datasets.create_dataset(source=[first, second])
    assert dataset.nb_lines == 3 and _types(dataset) == [("x", "int"), ("y", "category")]
    content = user_client.datasets.download_dataset(dataset.id, io.BytesIO())
    assert content is None
    out = io.BytesIO()
    user_client.datasets.download_dataset(dataset.id, out)
    assert out.getvalue() == b"x,y\n1,a\n2,b\n3,c\n"
    expected = hashlib.sha256(first.read_bytes() + second.read_bytes()).hexdigest()
    assert dataset.hash_ == expected


def test_parquet_parts_are_concatenated_and_types_unified(
    user_client: ApiClient, tmp_path: Path
) -> None:
    first, second = tmp_path / "0.parquet", tmp_path / "1.parquet"
    pq.write_table(pa.table({"n": pa.array([1, 2], pa.int32()), "s": ["a", "b"]}), first)
    pq.write_table(pa.table({"n": pa.array([3], pa.int64()), "s": ["c"]}), second)
    dataset = user_client.datasets.create_dataset(source=[str(first), str(second)])
    assert dataset.filetype == FileType.PARQUET and dataset.nb_lines == 3
    frame = user_client.pandas_integration.download_dataframe(dataset.id)
    assert frame["n"].tolist() == [1, 2, 3] and frame["s"].tolist() == ["a", "b", "c"]


def test_pandas_index_columns_are_not_data(user_client: ApiClient, tmp_path: Path) -> None:
    unnamed, named = tmp_path / "unnamed.parquet", tmp_path / "named.parquet"
    pd.DataFrame({"x": [1, 2]}, index=[5, 6]).to_parquet(unnamed)
    pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="key")).to_parquet(named)
    for path in (unnamed, named):
        dataset = user_client.datasets.create_dataset(source=path)
        assert _types(dataset) == [("x", "int")]
        frame = user_client.pandas_integration.download_dataframe(dataset.id, filetype="csv")
        assert list(frame.columns) == ["x"] and frame["x"].tolist() == [1, 2]


# -- CSV dialects and the download format ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"a;b;c\n1;x;2020-01-01\n2;y;2020-01-02\n",
        b"a\tb\tc\n1\tx\t2020-01-01\n2\ty\t2020-01-02\n",
        b"a|b|c\r\n1|x|2020-01-01\r\n2|y|2020-01-02\r\n",
        b'\xef\xbb\xbfa,b,c\n1,x,2020-01-01T00:00:00\n2,"y",2020-01-02\n',
    ],
    ids=["semicolon", "tab", "pipe-crlf", "bom-quoted"],
)
def test_csv_dialects_are_detected(user_client: ApiClient, raw: bytes) -> None:
    dataset = user_client.datasets.create_dataset(source=raw)
    assert _types(dataset) == [("a", "int"), ("b", "category"), ("c", "datetime")]
    out = io.BytesIO()
    user_client.datasets.download_dataset(dataset.id, out)
    assert out.getvalue() == b"a,b,c\n1,x,2020-01-01 00:00:00\n2,y,2020-01-02 00:00:00\n"


def test_csv_download_follows_the_reference_format(
    local_server: LocalServer, user_client: ApiClient
) -> None:
    raw = (
        b"flag,num,when,text\n"
        b'true,1.50,2020-01-01T10:00:00Z,"say ""hi"", then\nleave"\n'
        b"FALSE,,2020-01-01 10:00:00.5,\n"
        b"True,3,,plain\n"
    )
    dataset = user_client.datasets.create_dataset(source=raw)
    assert _types(dataset) == [
        ("flag", "bool"),
        ("num", "float"),
        ("when", "datetime"),
        ("text", "category"),
    ]
    token = user_client.http.headers["Authorization"]
    for route in ("download", "download/stream"):
        answer = httpx.get(
            f"{local_server.base_url}/datasets/{dataset.id}/{route}",
            headers={"Authorization": token},
        )
        assert answer.status_code == 200
        assert answer.headers["content-type"].split(";")[0] == "text/csv"
        assert answer.content == (
            b"flag,num,when,text\n"
            b'True,1.5,2020-01-01 10:00:00,"say ""hi"", then\nleave"\n'
            b"False,,2020-01-01 10:00:00.500000,\n"
            b"True,3.0,,plain\n"
        )
    frame = pd.read_csv(io.BytesIO(answer.content))
    assert frame["flag"].dtype == bool and frame["num"].dtype == "float64"


@pytest.mark.parametrize("route", ["download", "download/stream"])
def test_parquet_download_is_one_complete_file(
    local_server: LocalServer, user_client: ApiClient, route: str
) -> None:
    with IRIS.open("rb") as handle:
        dataset = user_client.datasets.create_dataset(source=handle)
    answer = httpx.get(
        f"{local_server.base_url}/datasets/{dataset.id}/{route}",
        params={"filetype": "parquet"},
        headers={"Authorization": user_client.http.headers["Authorization"]},
    )
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.content.startswith(b"PAR1") and answer.content.count(b"PAR1") == 2
    table = pq.read_table(io.BytesIO(answer.content))
    assert table.num_rows == 150 and table.schema.field("sepal.length").type == pa.float64()


def test_download_into_paths_and_file_objects(user_client: ApiClient, tmp_path: Path) -> None:
    dataset = user_client.datasets.create_dataset(source=IRIS)
    target = tmp_path / "iris.csv"
    assert user_client.datasets.download_dataset(dataset.id, target, progress=False) is None
    assert pd.read_csv(target).shape == (150, 5)

    as_text = io.StringIO()
    user_client.datasets.download_dataset(str(dataset.id), as_text)
    assert as_text.getvalue() == target.read_text()

    parquet_path = tmp_path / "iris.parquet"
    user_client.datasets.download_dataset(dataset.id, parquet_path, FileType.PARQUET)
    assert pd.read_parquet(parquet_path).shape == (150, 5)

    with pytest.warns(DeprecationWarning):
        content = user_client.datasets.download_dataset(dataset.id)
    assert content == target.read_text()
    with pytest.warns(DeprecationWarning):
        stream = user_client.datasets.download_dataset_as_stream(dataset.id)
    assert stream is not None and stream.read() == target.read_bytes()


def test_parquet_into_a_text_file_raises_invalid_file_type(user_client: ApiClient) -> None:
    from avatars.exceptions import InvalidFileType

    dataset = user_client.pandas_integration.upload_dataframe(pd.DataFrame({"x": [1]}))
    with pytest.raises(InvalidFileType):
        user_client.datasets.download_dataset(dataset.id, io.StringIO())


# -- metadata, patch, analysis --------------------------------------------------------------


def test_list_shows_own_datasets_newest_first(user_client: ApiClient) -> None:
    first = user_client.datasets.create_dataset(source=b"a\n1\n", name="first")
    second = user_client.datasets.create_dataset(source=b"a\n2\n", name="second")
    listed = [d.id for d in user_client.datasets.find_all_datasets_by_user()]
    assert listed.index(second.id) < listed.index(first.id)
    assert user_client.datasets.get_dataset(str(first.id)).name == "first"


def test_patch_changes_listed_columns_only(user_client: ApiClient) -> None:
    dataset = user_client.datasets.create_dataset(source=b"code,x,flag\n1,1.0,0\n2,2.0,1\n")
    assert _types(dataset) == [("code", "int"), ("x", "float"), ("flag", "int")]
    patched = user_client.datasets.patch_dataset(
        dataset.id,
        PatchDataset(
            columns=[
                ColumnDetail(type_=ColumnType.CATEGORY, label="code", is_identifier=True),
                ColumnDetail(type_=ColumnType.INT, label="x"),
                ColumnDetail(type_=ColumnType.BOOL, label="flag"),
            ]
        ),
    )
    assert _types(patched) == [("code", "category"), ("x", "int"), ("flag", "bool")]
    assert patched.columns is not None and patched.columns[0].is_identifier is True
    unchanged = user_client.datasets.patch_dataset(dataset.id, PatchDataset(columns=None))
    assert _types(unchanged) == _types(patched)
    frame = user_client.pandas_integration.download_dataframe(dataset.id)
    assert frame["x"].dtype == "int64" and frame["flag"].tolist() == [False, True]
    assert frame["code"].tolist() == ["1", "2"]


def test_analyze_fills_the_summary(user_client: ApiClient) -> None:
    dataset = user_client.datasets.create_dataset(source=IRIS)
    analysed = user_client.datasets.analyze_dataset(dataset.id)
    assert analysed.analysis_status is not None and analysed.analysis_status.value == "done"
    assert isinstance(analysed.analysis_duration, float) and analysed.analysis_duration >= 0
    summary = analysed.summary
    assert summary is not None and len(summary.stats) == 5
    assert summary.stats[0].label == "sepal.length"
    first = summary.stats[0]
    assert first.dtype == "float" and first.missing_number == 0
    assert first.mean == pytest.approx(pd.read_csv(IRIS)["sepal.length"].mean())
    variety = summary.stats[4]
    assert variety.unique_number == 3 and variety.mode in ("Setosa", "Versicolor", "Virginica")
    assert user_client.datasets.get_dataset(dataset.id).summary is not None


def test_correlations_cover_every_pair_with_null_when_undefined(user_client: ApiClient) -> None:
    raw = b"id,x,y,c,k\n" + b"".join(
        f"p{i},{i},{2 * i + 1},{'ab'[i % 2]},7\n".encode() for i in range(20)
    )
    dataset = user_client.datasets.create_dataset(source=raw)
    user_client.datasets.patch_dataset(
        dataset.id,
        PatchDataset(
            columns=[ColumnDetail(type_=ColumnType.CATEGORY, label="id", is_identifier=True)]
        ),
    )
    matrix = user_client.datasets.get_dataset_correlations(dataset.id)
    assert set(matrix) == {"x", "y", "c", "k"}
    assert matrix["x"]["x"] == 1.0 and matrix["x"]["y"] == pytest.approx(1.0)
    assert 0 <= matrix["x"]["c"] <= 1 and matrix["c"]["x"] == matrix["x"]["c"]
    assert matrix["x"]["k"] is None and matrix["c"]["k"] is None


def test_download_url_follows_forwarded_headers(
    local_server: LocalServer, user_client: ApiClient
) -> None:
    dataset = user_client.datasets.create_dataset(source=b"a\n1\n")
    answer = httpx.get(
        f"{local_server.base_url}/datasets/{dataset.id}",
        headers={
            "Authorization": user_client.http.headers["Authorization"],
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "example.org",
            "X-Forwarded-Prefix": "/api",
        },
    )
    url = answer.json()["download_url"]
    assert url == f"https://example.org/api/datasets/{dataset.id}/download"


@pytest.fixture
def big_csv(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.integers(0, 1000, 200_000), "b": rng.normal(size=200_000)}).to_csv(
        path, index=False
    )
    yield path


def test_a_multi_megabyte_upload_streams_with_and_without_a_bar(
    user_client: ApiClient, big_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = user_client.datasets.create_dataset(source=big_csv, progress=False)
    assert quiet.nb_lines == 200_000
    assert "Uploading" not in capsys.readouterr().err
    shown = user_client.datasets.create_dataset(source=big_csv)
    assert shown.hash_ == quiet.hash_
    assert "Uploading" in capsys.readouterr().err
