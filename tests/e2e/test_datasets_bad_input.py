"""Every bad dataset input answers a clear 4xx and stores nothing (own server: the data dir
is inspected)."""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from avatars.client import ApiClient
from avatars.exceptions import NotFoundError, UnprocessableEntityError
from avatars.local import LocalServer
from avatars.models import ColumnDetail, ColumnType, PatchDataset


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


@pytest.fixture(scope="module")
def client(server: LocalServer) -> Iterator[ApiClient]:
    with server.client() as api:
        yield api


def _stored_files(server: LocalServer) -> set[Path]:
    datasets_dir = server.data_dir / "datasets"
    tmp_dir = server.data_dir / "tmp"
    found = {p for p in datasets_dir.rglob("*") if p.is_file()}
    return found | {p for p in tmp_dir.rglob("*") if p.is_file()}


@pytest.fixture
def nothing_stored(server: LocalServer, client: ApiClient) -> Iterator[None]:
    """Checks that the test leaves the dataset list and the data directory as they were."""
    datasets_before = [d.id for d in client.datasets.find_all_datasets_by_user()]
    files_before = _stored_files(server)
    yield
    assert [d.id for d in client.datasets.find_all_datasets_by_user()] == datasets_before
    assert _stored_files(server) == files_before


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


_GOOD_PARQUET = _parquet_bytes(pa.table({"x": [1, 2, 3]}))

# (id, body parts, words the message must contain)
BAD_UPLOADS: list[tuple[str, list[bytes], tuple[str, ...]]] = [
    ("empty part", [b""], ("empty",)),
    ("header only", [b"a,b,c\n"], ("no data rows",)),
    ("binary garbage", [random.Random(0).randbytes(4096)], ("UTF-8",)),
    ("nul bytes", [b"a,b\n1,\x00\x01\x02\n"], ("binary", "CSV")),
    ("truncated parquet", [_GOOD_PARQUET[: len(_GOOD_PARQUET) // 2]], ("truncated",)),
    ("corrupt parquet", [b"PAR1" + b"\x00" * 64 + b"PAR1"], ("parquet",)),
    ("ragged rows", [b"a,b\n1,2\n3,4\n5,6,7\n"], ("Line 4", "3 fields", "header has 2")),
    ("not utf-8", ["name,city\nzoé,Besançon\n".encode("latin-1")], ("UTF-8",)),
    ("duplicate names", [b"a,b,a\n1,2,3\n"], ("Duplicate", "'a'")),
    ("empty column name", [b",a\n0,1\n"], ("empty name", "index=False")),
    (
        "nested parquet column",
        [_parquet_bytes(pa.table({"x": [[1, 2], [3]]}))],
        ("'x'", "cannot be typed", "Flatten"),
    ),
    ("mixed formats", [b"x\n1\n", _GOOD_PARQUET], ("mixes parquet and CSV",)),
    ("different CSV headers", [b"a,b\n1,2\n", b"a,c\n3,4\n"], ("same header",)),
    (
        "different parquet columns",
        [_GOOD_PARQUET, _parquet_bytes(pa.table({"y": [1]}))],
        ("same columns",),
    ),
    (
        "incompatible parquet types",
        [_GOOD_PARQUET, _parquet_bytes(pa.table({"x": ["a"]}))],
        ("different types",),
    ),
]


@pytest.mark.parametrize(
    ("parts", "words"), [(p, w) for _, p, w in BAD_UPLOADS], ids=[i for i, _, _ in BAD_UPLOADS]
)
@pytest.mark.usefixtures("nothing_stored")
def test_bad_upload_is_refused_with_a_helpful_message(
    client: ApiClient, tmp_path: Path, parts: list[bytes], words: tuple[str, ...]
) -> None:
    paths = []
    for number, content in enumerate(parts):
        path = tmp_path / f"part-{number}"
        path.write_bytes(content)
        paths.append(path)
    with pytest.raises(UnprocessableEntityError) as caught:
        client.datasets.create_dataset(source=paths)
    message = caught.value.message
    for word in words:
        assert word in message
    assert caught.value.status_code == 422


@pytest.mark.usefixtures("nothing_stored")
def test_request_without_a_file_part_is_refused(client: ApiClient) -> None:
    with pytest.raises(UnprocessableEntityError, match="part named 'file'"):
        client.http.post("/datasets/stream", files=[("other", ("x.csv", b"a\n1\n"))])
    with pytest.raises(UnprocessableEntityError, match="multipart/form-data"):
        client.http.post("/datasets/stream", content=b"a\n1\n")
    with pytest.raises(UnprocessableEntityError, match="part named 'file'"):
        client.http.post(
            "/datasets",
            content=b"--b--\r\n",
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )


@pytest.mark.usefixtures("nothing_stored")
def test_truncated_multipart_body_is_refused(client: ApiClient) -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\na,b\n1,2\n'
    with pytest.raises(UnprocessableEntityError, match="malformed or incomplete"):
        client.http.post(
            "/datasets/stream",
            content=body,
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )


def test_create_dataset_form_field_name_is_used(client: ApiClient) -> None:
    answer = client.http.post(
        "/datasets", files=[("file", ("a.csv", b"a\n1\n"))], data={"name": "from form"}
    )
    assert answer.status_code == 201 and answer.json()["name"] == "from form"


@pytest.fixture(scope="module")
def dataset_id(client: ApiClient) -> uuid.UUID:
    raw = b"n,x,flag,when,label\n1,1.5,0,2020-01-01,a\n2,,1,2020-01-02,b\n3,2.0,1,,c\n"
    return client.datasets.create_dataset(source=raw).id


def _patch(client: ApiClient, dataset_id: uuid.UUID, *columns: tuple[str, ColumnType]) -> None:
    client.datasets.patch_dataset(
        dataset_id,
        PatchDataset(columns=[ColumnDetail(type_=t, label=label) for label, t in columns]),
    )


@pytest.mark.parametrize(
    ("columns", "words"),
    [
        ((("nope", ColumnType.INT), ("gone", ColumnType.FLOAT)), ("unknown", "'nope'", "'gone'")),
        ((("n", ColumnType.INT), ("n", ColumnType.FLOAT)), ("listed twice", "'n'")),
        ((("x", ColumnType.INT),), ("'x'", "missing values")),
        ((("label", ColumnType.FLOAT),), ("'label'", "'a'", "not a number")),
        ((("n", ColumnType.BOOL),), ("'n'", "2", "boolean")),
        ((("label", ColumnType.DATETIME),), ("'label'", "ISO-8601")),
        ((("when", ColumnType.BOOL),), ("'when'", "missing values")),
    ],
    ids=["unknown", "duplicate", "int-missing", "float-text", "bool-2", "datetime", "bool-missing"],
)
def test_patch_refuses_columns_and_types_that_do_not_fit(
    client: ApiClient,
    dataset_id: uuid.UUID,
    columns: tuple[tuple[str, ColumnType], ...],
    words: tuple[str, ...],
) -> None:
    before = client.datasets.get_dataset(dataset_id).to_dict()
    with pytest.raises(UnprocessableEntityError) as caught:
        _patch(client, dataset_id, *columns)
    for word in words:
        assert word in caught.value.message
    assert client.datasets.get_dataset(dataset_id).to_dict() == before


def test_patch_accepts_types_that_fit(client: ApiClient, dataset_id: uuid.UUID) -> None:
    _patch(client, dataset_id, ("flag", ColumnType.BOOL), ("n", ColumnType.FLOAT))
    _patch(client, dataset_id, ("when", ColumnType.CATEGORY), ("n", ColumnType.INT))
    types = {c.label: c.type_ for c in client.datasets.get_dataset(dataset_id).columns or []}
    assert types["flag"] == ColumnType.BOOL and types["when"] == ColumnType.CATEGORY


def test_unknown_filetype_is_a_json_422(server: LocalServer, client: ApiClient) -> None:
    dataset = client.datasets.create_dataset(source=b"a\n1\n")
    for route in ("download", "download/stream"):
        answer = httpx.get(
            f"{server.base_url}/datasets/{dataset.id}/{route}",
            params={"filetype": "xlsx"},
            headers={"Authorization": client.http.headers["Authorization"]},
        )
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/json"
        assert "filetype" in answer.json()["message"]


CALLS: dict[str, Callable[[ApiClient, str], object]] = {
    "get": lambda c, i: c.datasets.get_dataset(i),
    "patch": lambda c, i: c.datasets.patch_dataset(i, PatchDataset(columns=None)),
    "download": lambda c, i: c.datasets.download_dataset(i, io.BytesIO()),
    "analyze": lambda c, i: c.datasets.analyze_dataset(i),
    "correlations": lambda c, i: c.datasets.get_dataset_correlations(i),
}


@pytest.mark.parametrize("call", list(CALLS.values()), ids=list(CALLS))
def test_unknown_id_is_404_and_malformed_id_is_422(
    server: LocalServer, client: ApiClient, call: Callable[[ApiClient, str], object]
) -> None:
    with pytest.raises(NotFoundError, match="was not found"):
        call(client, str(uuid.uuid4()))
    answer = httpx.get(
        f"{server.base_url}/datasets/not-a-uuid",
        headers={"Authorization": client.http.headers["Authorization"]},
    )
    assert answer.status_code == 422 and "id" in answer.json()["message"]


def test_client_refuses_an_unknown_source_before_sending(client: ApiClient) -> None:
    with pytest.raises(TypeError, match="Cannot upload"):
        client.datasets.create_dataset(source=12)
    with pytest.raises(ValueError, match="Nothing to upload"):
        client.datasets.create_dataset()
    with pytest.raises(ValueError, match="once"):
        client.datasets.create_dataset(b"a", source=b"a")
    with pytest.raises(TypeError, match="timedelta"):
        client.pandas_integration.upload_dataframe(pd.DataFrame({"t": pd.to_timedelta([1])}))


@pytest.mark.parametrize("method", ["GET", "PATCH", "PUT", "DELETE"])
def test_wrong_verb_on_the_upload_route_is_405(
    server: LocalServer, client: ApiClient, method: str
) -> None:
    answer = httpx.request(
        method,
        f"{server.base_url}/datasets/stream",
        headers={"Authorization": client.http.headers["Authorization"]},
    )
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/json"
    assert method in answer.json()["message"]
