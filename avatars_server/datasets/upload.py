"""Streaming multipart receiver: `file` parts go straight to temporary files, hashed and capped.

Starlette's form parser would spool the whole body before the route sees it; this one writes
each chunk as it arrives, so the size limit stops the upload early and memory stays flat.
`receive` feeds a request body to an `UploadReceiver` without blocking the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header

from avatars_server.errors import InvalidInputError, PayloadTooLargeError, UnavailableError
from avatars_server.storage.files import disk_full_as_unavailable

FILE_FIELD = "file"
_MAX_FIELD_BYTES = 64 * 1024
# Bytes handed to the parser thread at once: big enough to amortise the thread hop (and the
# parser's per-call Python work), small enough to keep a few in memory.
_FEED_BYTES = 4 * 1024 * 1024


def _write_all(fd: int, data: memoryview) -> None:
    """Write every byte (os.write may write less than asked)."""
    while data:
        data = data[os.write(fd, data) :]


@dataclass
class ReceivedUpload:
    """The file parts of one request, in order, with the SHA-256 of their bytes."""

    parts: list[Path]
    fields: dict[str, str]
    sha256: str
    size: int

    def discard(self) -> None:
        """Delete the temporary part files (idempotent)."""
        for part in self.parts:
            part.unlink(missing_ok=True)


@dataclass
class _Part:
    name: str | None = None
    # A raw descriptor: chunks go to the kernel without an extra buffer copy.
    fd: int | None = None
    path: Path | None = None
    text: bytearray = field(default_factory=bytearray)


def boundary_of(content_type: str | None) -> bytes:
    """The multipart boundary of a Content-Type header.

    Raises:
        InvalidInputError: not multipart/form-data, or no boundary.
    """
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInputError(
            "Send the dataset as multipart/form-data with the table in a part named 'file' "
            f"(got Content-Type {content_type or 'none'!r})."
        )
    return boundary


class _StopParsing(Exception):
    """Raised by a parser callback to drop the rest of the body."""


class UploadReceiver:
    """Feed it the request body chunk by chunk with `write`, then call `finish`."""

    def __init__(
        self, boundary: bytes, tmp_dir: Path, max_bytes: int, max_parts: int | None = None
    ) -> None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        self._tmp_dir = tmp_dir
        self._max_bytes = max_bytes
        self._max_parts = max_parts
        self._part_count = 0
        self._too_many_parts = False
        self._digest = hashlib.sha256()
        # SHA-256 runs on its own thread while this one writes the same bytes: hashlib
        # releases the GIL on large updates, so hashing adds no time on a spare core.
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-hash")
        self._hashing: Future[None] | None = None
        self._size = 0
        self._parts: list[Path] = []
        self._fields: dict[str, str] = {}
        self._current = _Part()
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._too_large = False
        self._malformed: str | None = None
        self._disk_full: UnavailableError | None = None
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._on_part_begin,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
            },
        )

    # -- feeding ----------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Parse one chunk; after the size limit is hit or the disk fills up, the parts are
        removed and the rest of the body is read and dropped (the client gets the answer
        rather than a broken connection)."""
        if self._too_large or self._too_many_parts or self._malformed or self._disk_full:
            return
        try:
            with disk_full_as_unavailable():
                self._parser.write(data)
        except _StopParsing:
            pass
        except MultipartParseError as exc:
            self._malformed = str(exc)
            self._close_current()
        except UnavailableError as exc:
            self._disk_full = exc
            self.abort()

    def finish(self) -> ReceivedUpload:
        """The received parts.

        Raises:
            PayloadTooLargeError: the file parts exceed the size limit, or the body has more
                parts than allowed (nothing is kept).
            InvalidInputError: a malformed multipart body (nothing is kept).
            UnavailableError: the disk filled up while receiving (nothing is kept).
        """
        if self._disk_full is not None:
            raise self._disk_full
        if not (self._too_large or self._too_many_parts or self._malformed):
            try:
                self._parser.finalize()
            except MultipartParseError as exc:
                self._malformed = str(exc)
        self._close_current()
        self._stop_hashing()
        if self._too_large:
            self.abort()
            raise PayloadTooLargeError(
                f"The upload is larger than this server's limit of {self._max_bytes} bytes "
                f"({_human(self._max_bytes)}). Upload a smaller table, or ask the "
                "administrator to raise AVATARS_MAX_UPLOAD_BYTES.",
                detail={"max_upload_bytes": self._max_bytes},
            )
        if self._too_many_parts:
            self.abort()
            raise PayloadTooLargeError(
                f"The upload has more than {self._max_parts} multipart parts, this server's "
                "limit. Send the table in fewer 'file' parts (one is enough), or ask the "
                "administrator to raise AVATARS_MAX_UPLOAD_PARTS.",
                detail={"max_upload_parts": self._max_parts},
            )
        if self._malformed or (self._current.name is not None):
            self.abort()
            raise InvalidInputError(
                "The multipart body is malformed or incomplete"
                f"{f' ({self._malformed})' if self._malformed else ''}. Send the table as a "
                "complete multipart/form-data part named 'file'."
            )
        return ReceivedUpload(
            list(self._parts), dict(self._fields), self._digest.hexdigest(), self._size
        )

    def abort(self) -> None:
        """Drop everything written so far."""
        self._close_current()
        self._stop_hashing()
        for part in self._parts:
            part.unlink(missing_ok=True)
        self._parts.clear()

    # -- parser callbacks -------------------------------------------------------------------
    def _on_part_begin(self) -> None:
        self._part_count += 1
        if self._max_parts is not None and self._part_count > self._max_parts:
            # Stop here: no more temporary files; the rest of the body is read and dropped.
            self._too_many_parts = True
            self.abort()
            raise _StopParsing
        self._current = _Part()
        self._headers = {}

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", errors="replace")
        self._current.name = name
        if name == FILE_FIELD:
            fd, path = tempfile.mkstemp(dir=self._tmp_dir, suffix=".part")
            self._current.fd = fd
            self._current.path = Path(path)
            self._parts.append(self._current.path)

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current
        if part.fd is not None:
            self._size += end - start
            if self._size > self._max_bytes:
                # Stop writing at once: the disk never holds more than the limit.
                self._too_large = True
                self.abort()
                return
            # A view, not a slice: hashing and writing read the parser's buffer in place.
            chunk = memoryview(data)[start:end]
            self._wait_hashing()  # one chunk in flight: order kept, memory bounded
            self._hashing = self._hasher.submit(self._digest.update, chunk)
            _write_all(part.fd, chunk)
        elif len(part.text) + (end - start) <= _MAX_FIELD_BYTES:
            part.text += data[start:end]
        else:
            self._malformed = f"form field {part.name!r} is longer than {_MAX_FIELD_BYTES} bytes"

    def _on_part_end(self) -> None:
        part = self._current
        if part.fd is not None:
            os.close(part.fd)
            part.fd = None
        elif part.name:
            self._fields[part.name] = part.text.decode("utf-8", errors="replace")
        self._current = _Part()

    def _wait_hashing(self) -> None:
        if self._hashing is not None:
            self._hashing.result()
            self._hashing = None

    def _stop_hashing(self) -> None:
        """Finish the pending hash update and end the hashing thread (idempotent)."""
        self._wait_hashing()
        self._hasher.shutdown(wait=True)

    def _close_current(self) -> None:
        if self._current.fd is not None:
            # Unbuffered: closing flushes nothing, so it cannot fail on a full disk.
            with contextlib.suppress(OSError):
                os.close(self._current.fd)
            self._current.fd = None


async def receive(
    body: AsyncIterable[bytes],
    content_type: str | None,
    tmp_dir: Path,
    max_bytes: int,
    max_parts: int | None = None,
) -> ReceivedUpload:
    """Receive a multipart request body into temporary part files.

    Raises:
        InvalidInputError: not multipart/form-data, or a malformed body (nothing is kept).
        PayloadTooLargeError: the file parts exceed `max_bytes`, or the body has more than
            `max_parts` parts (nothing is kept).
        UnavailableError: the disk filled up while receiving (nothing is kept).
    """
    receiver = UploadReceiver(boundary_of(content_type), tmp_dir, max_bytes, max_parts)
    # One feed is parsed and written on a worker thread while this loop reads the next one
    # from the socket, so receiving and writing overlap (one feed in flight: order kept).
    feeder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-feed")
    loop = asyncio.get_running_loop()
    in_flight: asyncio.Future[None] | None = None
    # Chunks are gathered in a list and joined once: a single copy per feed.
    pending: list[bytes] = []
    size = 0
    try:
        async for chunk in body:
            pending.append(chunk)
            size += len(chunk)
            if size >= _FEED_BYTES:
                data, pending, size = b"".join(pending), [], 0
                if in_flight is not None:
                    await in_flight
                in_flight = loop.run_in_executor(feeder, receiver.write, data)
        if in_flight is not None:
            await in_flight
        if pending:
            await loop.run_in_executor(feeder, receiver.write, b"".join(pending))
        return receiver.finish()
    except BaseException:
        # The write in flight must end before its files are removed.
        feeder.shutdown(wait=True)
        receiver.abort()
        raise
    finally:
        feeder.shutdown(wait=False)


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:g} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover
