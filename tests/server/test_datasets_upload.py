"""The streaming multipart receiver and the ingestion of uploaded parts (no HTTP)."""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from avatars_server.datasets import csv_format, ingest, upload
from avatars_server.datasets.ingest import ingest_parts
from avatars_server.datasets.upload import UploadReceiver, boundary_of
from avatars_server.errors import InvalidInputError, PayloadTooLargeError, UnavailableError
from avatars_server.storage import files
from avatars_server.storage.files import disk_full_as_unavailable

BOUNDARY = b"xyzzy"


def _body(*parts: tuple[str, bytes], field: tuple[str, str] | None = None) -> bytes:
    chunks = []
    for filename, content in parts:
        chunks.append(
            b'--xyzzy\r\nContent-Disposition: form-data; name="file"; filename="'
            + filename.encode()
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + content
            + b"\r\n"
        )
    if field:
        chunks.append(
            b'--xyzzy\r\nContent-Disposition: form-data; name="'
            + field[0].encode()
            + b'"\r\n\r\n'
            + field[1].encode()
            + b"\r\n"
        )
    return b"".join(chunks) + b"--xyzzy--\r\n"


def _feed(receiver: UploadReceiver, body: bytes, chunk: int = 7) -> None:
    for start in range(0, len(body), chunk):
        receiver.write(body[start : start + chunk])


def test_parts_are_written_in_order_and_hashed(tmp_path: Path) -> None:
    receiver = UploadReceiver(BOUNDARY, tmp_path, max_bytes=1000)
    _feed(receiver, _body(("a.csv", b"x\n1\n"), ("b.csv", b"x\n2\n"), field=("name", "n")))
    upload = receiver.finish()
    assert [p.read_bytes() for p in upload.parts] == [b"x\n1\n", b"x\n2\n"]
    assert upload.sha256 == hashlib.sha256(b"x\n1\nx\n2\n").hexdigest()
    assert upload.fields == {"name": "n"} and upload.size == 8
    upload.discard()
    assert list(tmp_path.iterdir()) == []


def test_limit_stops_writing_and_removes_the_parts(tmp_path: Path) -> None:
    receiver = UploadReceiver(BOUNDARY, tmp_path, max_bytes=100)
    body = _body(("a.csv", b"a\n" + b"1\n" * 50), ("b.csv", b"a\n" + b"2\n" * 50))
    _feed(receiver, body, chunk=16)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(PayloadTooLargeError, match="limit of 100 bytes"):
        receiver.finish()


def test_non_multipart_content_type_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="multipart/form-data"):
        boundary_of("text/csv")
    assert boundary_of("multipart/form-data; boundary=abc") == b"abc"


def test_single_parquet_part_is_stored_as_uploaded(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pd.DataFrame({"x": [1, 2]}).to_parquet(path, index=False)
    table = ingest_parts([path], tmp_path / "tmp")
    assert table.is_upload and table.path == path and table.nb_lines == 2


@pytest.mark.parametrize(
    ("name", "content", "flushed"),
    [
        ("p.parquet", None, True),  # a single parquet part: stored as it is
        ("c.csv", b"a,b\n1,x\n", True),  # already in the stored form
        ("c.csv", b"a;b\n1;x\n", False),  # reformatted: the part is only read
    ],
)
def test_parts_stored_as_they_are_start_going_to_disk_early(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes | None,
    flushed: bool,
) -> None:
    path = tmp_path / name
    if content is None:
        pd.DataFrame({"x": [1, 2]}).to_parquet(path, index=False)
    else:
        path.write_bytes(content)
    hinted: list[Path] = []
    monkeypatch.setattr(ingest, "flush_soon", hinted.append)
    ingest_parts([path], tmp_path / "tmp")
    assert hinted == ([path] if flushed else [])


def test_flush_soon_writes_in_the_background_and_ignores_a_removed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = threading.Event()
    real_fsync = os.fsync

    def recording_fsync(descriptor: int) -> None:
        real_fsync(descriptor)
        done.set()

    monkeypatch.setattr(files.os, "fsync", recording_fsync)
    files.flush_soon(tmp_path / "gone.csv")  # no error, nothing flushed
    path = tmp_path / "kept.csv"
    path.write_bytes(b"a\n1\n")
    files.flush_soon(path)
    assert done.wait(timeout=30)


def test_parquet_with_index_is_rewritten_without_it(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pd.DataFrame({"x": [1, 2]}, index=[4, 5]).to_parquet(path)
    table = ingest_parts([path], tmp_path / "tmp")
    assert not table.is_upload and pq.read_table(table.path).column_names == ["x"]
    assert table.columns == [{"label": "x", "type": "int", "is_identifier": False}]


def test_csv_is_stored_in_the_download_format(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"a;b\r\n1;TRUE\r\n2;false\r\n")
    table = ingest_parts([path], tmp_path / "tmp")
    assert table.path.read_bytes() == b"a,b\n1,True\n2,False\n"
    assert [c["type"] for c in table.columns] == ["int", "bool"]


def test_failed_ingest_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"a,b\n1,2\n3\n")
    (tmp_path / "tmp").mkdir()
    with pytest.raises(InvalidInputError, match="Line 3"):
        ingest_parts([path], tmp_path / "tmp")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_csv_types_settled_late_rewrite_the_whole_file(tmp_path: Path) -> None:
    # Several MB, so that the reader yields many batches before the last row turns the
    # int column into a float one (a missing value) and the bool column into a category.
    rows = 300_000
    lines = [f"{i},True,x{i % 7}" for i in range(rows - 1)] + [",maybe,x"]
    path = tmp_path / "late.csv"
    path.write_text("n,flag,s\n" + "\n".join(lines) + "\n")
    table = ingest_parts([path], tmp_path / "tmp")
    assert [c["type"] for c in table.columns] == ["float", "category", "category"]
    stored = pd.read_csv(table.path, keep_default_na=False, dtype=str)
    assert stored["n"].iloc[:3].tolist() == ["0.0", "1.0", "2.0"]
    assert stored["n"].iloc[-1] == "" and stored["flag"].iloc[-1] == "maybe"
    assert table.nb_lines == rows
    assert table.path.read_text().count("\n") == rows + 1


def test_full_disk_answers_unavailable_and_removes_the_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int, data: memoryview) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(upload, "_write_all", disk_full)
    receiver = UploadReceiver(BOUNDARY, tmp_path, max_bytes=10_000)
    _feed(receiver, _body(("a.csv", b"a\n" + b"1\n" * 50)), chunk=16)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UnavailableError, match="out of disk space"):
        receiver.finish()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "writer"),
    [
        # Rows that need formatting: the output is written by the formatting pass.
        (b"a;b\n1.50;x\n2;y\n", "header_line"),
        # Rows already in the stored form: they are copied after a new header.
        (b'"a","b"\n1,x\n2,y\n', "_copy_range"),
    ],
)
def test_full_disk_while_ingesting_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, writer: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    tmp_dir = tmp_path / "tmp"
    tmp_dir.mkdir()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv_format if writer == "header_line" else ingest, writer, disk_full)
    with pytest.raises(UnavailableError, match="out of disk space"), disk_full_as_unavailable():
        ingest_parts([path], tmp_dir)
    assert list(tmp_dir.iterdir()) == []


def test_csv_already_in_the_stored_form_is_kept_byte_for_byte(tmp_path: Path) -> None:
    content = b"n,x,ok,at,s\n1,0.5,True,2020-01-02 03:04:05,a b\n2,1.0,False,,\n"
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    table = ingest_parts([path], tmp_path / "tmp")
    assert table.is_upload and table.path == path and table.nb_lines == 2
    assert [c["type"] for c in table.columns] == ["int", "float", "bool", "datetime", "category"]


@pytest.mark.parametrize(
    ("parts", "stored"),
    [
        # A quoted header gets the stored header; a missing last newline is added.
        ([b'"n","x"\n1,0.5\n2,-3.0'], b"n,x\n1,0.5\n2,-3.0\n"),
        # Parts are concatenated under one header.
        ([b"n,x\n1,0.5\n", b"n,x\n2,1e+20"], b"n,x\n1,0.5\n2,1e+20\n"),
    ],
)
def test_csv_rows_in_the_stored_form_are_copied(
    tmp_path: Path, parts: list[bytes], stored: bytes
) -> None:
    paths = []
    for number, content in enumerate(parts):
        paths.append(tmp_path / f"{number}.csv")
        paths[-1].write_bytes(content)
    table = ingest_parts(paths, tmp_path / "tmp")
    assert not table.is_upload and table.path.read_bytes() == stored


@pytest.mark.parametrize(
    ("content", "stored"),
    [
        # Values that are not their own stored form: formatted, whatever the layout.
        (b"x\n1.50\n2\n", b"x\n1.5\n2.0\n"),
        (b"x,y\n1,2020-01-02T03:04:05\n", b"x,y\n1,2020-01-02 03:04:05\n"),
        (b"x,y\n1,2020-01-02 03:04:05Z\n", b"x,y\n1,2020-01-02 03:04:05\n"),
        (b"x,y\n1,true\n", b"x,y\n1,True\n"),
        (b"x,y\n1,nan\n", b"x,y\n1,\n"),
        # Layouts that are not the stored one: quotes, CRLF, empty lines.
        (b'x,y\n1,"a"\n', b"x,y\n1,a\n"),
        (b"x,y\r\n1,a\r\n", b"x,y\n1,a\n"),
        (b"x\n1\n\n2\n", b"x\n1\n2\n"),
    ],
)
def test_csv_values_not_in_the_stored_form_are_formatted(
    tmp_path: Path, content: bytes, stored: bytes
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    table = ingest_parts([path], tmp_path / "tmp")
    assert table.path.read_bytes() == stored
