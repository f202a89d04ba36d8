"""Streamed uploads and downloads: the one module that builds requests by hand on `client.http`.

The generated client reads whole bodies into memory; datasets can be gigabytes, so uploads are
sent from their files chunk by chunk and downloads written to their destination as they come.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from avatars._constants import PROGRESS_MIN_BYTES
from avatars._progress import transfer_bar

if TYPE_CHECKING:
    from tqdm import tqdm

    from avatars.client import ApiClient

_READ_BYTES = 1024 * 1024
# Downloads arrive in 64 KiB network reads; a larger file buffer turns them into fewer writes.
WRITE_BUFFER_BYTES = 1024 * 1024
_PART_FIELD = "file"
_PART_TYPE = "application/octet-stream"
# A conservative rate at which a server validates an upload after receiving it.
_SERVER_BYTES_PER_SECOND = 10 * 1024 * 1024


class _Progress:
    """A byte counter that draws a bar only once the transfer proves large."""

    def __init__(self, total: int | None, *, enabled: bool, desc: str) -> None:
        self._total = total
        self._enabled = enabled
        self._desc = desc
        self._done = 0
        self._bar: tqdm[Any] | None = None

    def update(self, count: int) -> None:
        self._done += count
        if self._bar is None and self._enabled and self._worth_a_bar():
            self._bar = transfer_bar(self._total, enabled=True, desc=self._desc)
            self._bar.update(self._done)
        elif self._bar is not None:
            self._bar.update(count)

    def _worth_a_bar(self) -> bool:
        size = self._total if self._total is not None else self._done
        return size >= PROGRESS_MIN_BYTES

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class _CountingReader:
    """A binary reader over a file object that reports progress and reads large chunks.

    It delegates `seek`/`tell` so httpx can size seekable files (fixed Content-Length);
    text files are encoded to UTF-8 on the fly (their size is unknown: chunked upload).
    """

    def __init__(self, source: IO[Any], progress: _Progress) -> None:
        self._source = source
        self._progress = progress
        self._is_text = isinstance(source, io.TextIOBase)
        if not self._is_text and _seekable(source):
            self.seek = source.seek
            self.tell = source.tell

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(max(size, _READ_BYTES) if size >= 0 else -1)
        data = chunk.encode("utf-8") if self._is_text else bytes(chunk)
        self._progress.update(len(data))
        return data


def _seekable(source: IO[Any]) -> bool:
    try:
        return bool(source.seekable())
    except (AttributeError, ValueError, OSError):
        return False


@dataclass
class UploadPart:
    """One `file` part: a path, bytes, or an open (binary or text) file object."""

    source: str | os.PathLike[str] | bytes | IO[Any]
    filename: str

    def size(self) -> int | None:
        if isinstance(self.source, bytes):
            return len(self.source)
        if isinstance(self.source, str | os.PathLike):
            return Path(self.source).stat().st_size
        if isinstance(self.source, io.TextIOBase) or not _seekable(self.source):
            return None
        here = self.source.tell()
        end = self.source.seek(0, os.SEEK_END)
        self.source.seek(here)
        return int(end)


def upload(
    client: ApiClient,
    path: str,
    parts: Sequence[UploadPart],
    *,
    params: Mapping[str, str] | None = None,
    data: Mapping[str, str] | None = None,
    timeout: float | None = None,
    progress: bool = True,
) -> Any:
    """POST `parts` as multipart `file` fields, streamed from their sources; the JSON answer."""
    sizes = [part.size() for part in parts]
    total = None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)
    if timeout is None and total is not None and client.timeout is not None:
        # The server reads and types the whole table before it answers: give large uploads
        # time in proportion to their size rather than failing (and tempting a duplicate).
        timeout = client.timeout + total / _SERVER_BYTES_PER_SECOND
    meter = _Progress(total, enabled=progress, desc="Uploading")
    with ExitStack() as stack:
        files: list[tuple[str, tuple[str, BinaryIO, str]]] = []
        for part in parts:
            source = part.source
            if isinstance(source, bytes):
                source = io.BytesIO(source)
            elif isinstance(source, str | os.PathLike):
                source = stack.enter_context(Path(source).open("rb"))
            reader: Any = _CountingReader(source, meter)
            files.append((_PART_FIELD, (part.filename, reader, _PART_TYPE)))
        stack.callback(meter.close)
        with client.request_options(timeout):
            response = client.http.post(path, params=params, data=data, files=files)
    return response.json()


@contextmanager
def _download_stream(
    client: ApiClient, path: str, params: Mapping[str, str], timeout: float | None
) -> Iterator[tuple[Iterator[bytes], int | None]]:
    with client.request_options(timeout), client.http.stream("GET", path, params=params) as answer:
        length = answer.headers.get("content-length")
        yield answer.iter_bytes(), int(length) if length and length.isdigit() else None


def download(
    client: ApiClient,
    path: str,
    destination: IO[Any],
    *,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
    progress: bool = True,
) -> int:
    """GET `path` and write the body into `destination` as it arrives; bytes written.

    A text destination receives the body decoded from UTF-8.
    """
    is_text = isinstance(destination, io.TextIOBase)
    utf8 = codecs.getincrementaldecoder("utf-8")() if is_text else None
    written = 0
    with _download_stream(client, path, dict(params or {}), timeout) as (chunks, length):
        meter = _Progress(length, enabled=progress, desc="Downloading")
        try:
            for chunk in chunks:
                if utf8 is not None:
                    destination.write(utf8.decode(chunk))
                else:
                    destination.write(chunk)
                written += len(chunk)
                meter.update(len(chunk))
            if utf8 is not None:
                destination.write(utf8.decode(b"", final=True))
        finally:
            meter.close()
    return written
