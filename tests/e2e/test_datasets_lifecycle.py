"""Datasets across users, server restarts and the upload size limit."""

from __future__ import annotations

import io
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.exceptions import FileTooLarge, NotFoundError
from avatars.local import LocalServer
from avatars.models import PatchDataset

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "fixtures" / "iris.csv"

FOREIGN_CALLS: dict[str, Callable[[ApiClient, str], object]] = {
    "get": lambda c, i: c.datasets.get_dataset(i),
    "patch": lambda c, i: c.datasets.patch_dataset(i, PatchDataset(columns=[])),
    "download": lambda c, i: c.datasets.download_dataset(i, io.BytesIO()),
    "download parquet": lambda c, i: c.datasets.download_dataset(i, io.BytesIO(), "parquet"),
    "analyze": lambda c, i: c.datasets.analyze_dataset(i),
    "correlations": lambda c, i: c.datasets.get_dataset_correlations(i),
    "dataframe": lambda c, i: c.pandas_integration.download_dataframe(i),
}


@pytest.mark.parametrize("call", list(FOREIGN_CALLS.values()), ids=list(FOREIGN_CALLS))
def test_another_users_dataset_is_404_everywhere(
    user_client_factory: Callable[[], ApiClient], call: Callable[[ApiClient, str], object]
) -> None:
    owner, stranger = user_client_factory(), user_client_factory()
    dataset = owner.datasets.create_dataset(source=IRIS)
    with pytest.raises(NotFoundError) as caught:
        call(stranger, str(dataset.id))
    assert str(dataset.id) in caught.value.message
    assert dataset.id not in [d.id for d in stranger.datasets.find_all_datasets_by_user()]
    assert owner.datasets.get_dataset(dataset.id).nb_lines == 150


def test_restart_keeps_datasets_readable(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    with LocalServer(data_dir=tmp_path / "data", password="restart-pw-123") as server:
        client = server.client()
        csv = client.datasets.create_dataset(source=IRIS, name="iris")
        parquet = client.pandas_integration.upload_dataframe(frame, "frame")
        client.close()
    with LocalServer(data_dir=tmp_path / "data", password="restart-pw-123") as server:
        client = server.client()
        listed = {d.name: d for d in client.datasets.find_all_datasets_by_user()}
        assert set(listed) == {"iris", "frame"}
        assert listed["iris"].hash_ == csv.hash_
        back = client.pandas_integration.download_dataframe(parquet.id)
        pd.testing.assert_frame_equal(back, frame.astype({"b": object}))
        assert client.pandas_integration.download_dataframe(csv.id).shape == (150, 5)
        client.close()


def test_upload_over_the_limit_is_413_and_fills_nothing() -> None:
    limit = 64 * 1024
    with LocalServer(env={"AVATARS_MAX_UPLOAD_BYTES": str(limit)}) as server:
        client = server.client()
        small = client.datasets.create_dataset(source=IRIS)
        assert small.nb_lines == 150
        big = b"a,b\n" + b"123456,abcdef\n" * 200_000  # ~2.8 MB
        with pytest.raises(FileTooLarge) as caught:
            client.datasets.create_dataset(source=big)
        assert caught.value.status_code == 413
        assert str(limit) in caught.value.message
        assert "AVATARS_MAX_UPLOAD_BYTES" in caught.value.message
        # A chunked upload (size unknown in advance) is stopped the same way.
        with pytest.raises(FileTooLarge):
            client.datasets.create_dataset(source=io.StringIO(big.decode()))
        assert [d.id for d in client.datasets.find_all_datasets_by_user()] == [small.id]
        leftovers = [p for p in (server.data_dir / "tmp").rglob("*") if p.is_file()]
        assert leftovers == []
        stored = [p for p in (server.data_dir / "datasets").rglob("*") if p.is_file()]
        assert len(stored) == 1 and os.path.getsize(stored[0]) < limit
        client.close()


def test_download_url_includes_the_configured_root_path() -> None:
    with LocalServer(env={"AVATARS_ROOT_PATH": "/api"}) as server:
        client = server.client()
        dataset = client.datasets.create_dataset(source=b"a\n1\n")
        expected = f"{server.base_url}/api/datasets/{dataset.id}/download"
        assert dataset.download_url == expected
        assert client.datasets.get_dataset(dataset.id).download_url == expected
        client.close()


def test_an_upload_cut_off_midway_leaves_nothing_behind() -> None:
    with LocalServer() as server:
        client = server.client()
        token = client.http.headers["Authorization"]
        content = b"a,b\n" + b"123456,abcdef\n" * 1_000_000  # ~14 MB, several feeds
        head = b'--cut\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\n\r\n'
        announced = len(head) + len(content) + len(b"\r\n--cut--\r\n")
        with socket.create_connection(("127.0.0.1", server.port)) as connection:
            connection.sendall(
                b"POST /datasets/stream HTTP/1.1\r\n"
                + f"Host: 127.0.0.1\r\nAuthorization: {token}\r\n".encode()
                + b"Content-Type: multipart/form-data; boundary=cut\r\n"
                + f"Content-Length: {announced}\r\n\r\n".encode()
                + head
                + content[: len(content) // 2]
            )
            assert _wait_for(lambda: _temporary_files(server) != [])  # the part is being written
        # The server notices the closed connection, drops the part and keeps serving.
        assert _wait_for(lambda: _temporary_files(server) == [])
        assert client.datasets.find_all_datasets_by_user() == []
        assert client.datasets.create_dataset(source=IRIS).nb_lines == 150
        client.close()


def _temporary_files(server: LocalServer) -> list[Path]:
    return [p for p in (server.data_dir / "tmp").rglob("*") if p.is_file()]


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
