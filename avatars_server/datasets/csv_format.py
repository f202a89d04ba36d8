"""CSV dialect: separator sniffing, streamed reading as text, and the download format (§1.8)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from avatars_server.datasets.columns import (
    ColumnType,
    cast_to_declared,
    format_floats,
    may_contain_any,
    value_bounds,
)

SEPARATORS = (",", ";", "\t", "|")
_SNIFF_BYTES = 64 * 1024
# Larger blocks cost fewer Python calls per byte, but the reader keeps several in flight and
# inference runs on several threads. Measured on a 200 MB upload (peak growth, CPU time):
# 512 KiB ~90 MB +10% CPU; 768 KiB ~105 MB; 1 MiB ~130 MB, the same CPU as 768 KiB.
_BLOCK_SIZE = 768 * 1024
_BOM = codecs.BOM_UTF8


class CsvFormatError(ValueError):
    """A CSV that cannot be read; the message says what is wrong and how to fix it."""


def sniff_separator(path: Path) -> str:
    """The separator among , ; tab | that splits the first lines into equal field counts.

    The header and the next few complete lines are parsed with each candidate; the one giving
    the most fields on the header, consistently on every line, wins (default `,`).
    """
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    text = head.decode("utf-8", errors="replace")
    if len(head) == _SNIFF_BYTES and "\n" in text:
        text = text[: text.rindex("\n")]  # drop the line the sniff window cut
    best, best_fields = ",", 1
    for separator in SEPARATORS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if r][:50]
        except csv.Error:  # e.g. a NUL character: this separator tells nothing
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width > best_fields and all(len(r) == width for r in rows):
            best, best_fields = separator, width
    return best


def read_header(path: Path, separator: str) -> list[str]:
    """The header row's labels (BOM stripped), however long the header is.

    Raises:
        CsvFormatError: the header is not valid UTF-8.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle, delimiter=separator), [])
    except UnicodeDecodeError as exc:
        raise CsvFormatError(_NOT_UTF8) from exc
    except csv.Error as exc:
        raise CsvFormatError(
            f"The header row cannot be parsed ({exc}). Check its quoting."
        ) from exc


_NOT_UTF8 = (
    "The file is not valid UTF-8 text. Save it as UTF-8 (e.g. pandas "
    "df.to_csv(path, index=False, encoding='utf-8')) and upload it again."
)


def text_batches(
    path: Path, separator: str, labels: Sequence[str], *, include: Sequence[str] | None = None
) -> Iterator[pa.RecordBatch]:
    """Record batches of the data rows, every value as text; empty fields are null.

    Raises:
        CsvFormatError: invalid UTF-8, or a row with the wrong number of fields (message gives
            its line number).
    """
    ragged: list[int] = []

    def on_invalid_row(row: pa_csv.InvalidRow) -> str:
        ragged.append(row.actual_columns)
        return "error"

    reader_options = pa_csv.ReadOptions(
        block_size=_BLOCK_SIZE, column_names=list(labels), skip_rows=1, use_threads=True
    )
    parse_options = pa_csv.ParseOptions(
        delimiter=separator, newlines_in_values=True, invalid_row_handler=on_invalid_row
    )
    convert_options = pa_csv.ConvertOptions(
        column_types={label: pa.string() for label in labels},
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
        include_columns=list(include) if include is not None else None,
    )
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=reader_options,
            parse_options=parse_options,
            convert_options=convert_options,
        )
        yield from reader
    except pa.ArrowInvalid as exc:
        if ragged:
            line = _first_ragged_line(path, separator, len(labels))
            raise CsvFormatError(
                f"Line {line} has {ragged[0]} fields but the header has {len(labels)}. Give "
                "every row as many fields as the header (quote values containing the separator)."
            ) from exc
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise CsvFormatError(_NOT_UTF8) from exc
        raise CsvFormatError(
            f"The CSV file cannot be parsed ({exc}). Check its quoting and separator."
        ) from exc


def _first_ragged_line(path: Path, separator: str, width: int) -> int | str:
    """Line number (1-based, header = 1) of the first row whose field count differs."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=separator)
        try:
            for row in reader:
                if row and len(row) != width:
                    return reader.line_num
        except csv.Error:  # e.g. a field over the csv module's size limit: no line number
            return "?"
    return "?"


# -- uploads already in the stored layout ----------------------------------------------------

_SCAN_BYTES = 4 * 1024 * 1024


def canonical_data_start(path: Path) -> int | None:
    """Offset of the data rows when their bytes are laid out as the stored CSV, else None.

    That layout is: comma separated (the caller checks), `\n` line ends, no quoting, no
    empty line. Rows laid out so, whose every value is already in its stored form, are
    stored byte for byte instead of being formatted again. Memchr-speed scans only.
    """
    with path.open("rb") as handle:
        start = _header_end(handle)
        if start is None:
            return None
        handle.seek(start)
        # One reused buffer: fresh memory for every chunk costs page faults.
        buffer = bytearray(_SCAN_BYTES)
        previous = ord("\n")  # an empty first data line is an empty line too
        while count := handle.readinto(buffer):
            if (
                buffer.find(b'"', 0, count) >= 0
                or buffer.find(b"\r", 0, count) >= 0
                or buffer.find(b"\n\n", 0, count) >= 0
                or (previous == buffer[0] == ord("\n"))
            ):
                return None
            previous = buffer[count - 1]
    return start


def _header_end(handle: BinaryIO) -> int | None:
    """Offset just after the header row's line end (quoted newlines skipped), or None."""
    head = b""
    searched = quotes = 0
    while True:
        newline = head.find(b"\n", searched)
        if newline >= 0:
            quotes += head.count(b'"', searched, newline)
            # Balanced quotes before it: this newline is not inside a quoted label.
            if quotes % 2 == 0:
                return newline + 1
            searched = newline + 1
            continue
        quotes += head.count(b'"', searched)
        searched = len(head)
        chunk = handle.read(_SNIFF_BYTES)
        if not chunk:
            return None
        head += chunk


# -- writing (the download format of §1.8) --------------------------------------------------

_NEEDS_QUOTES = '[",\r\n]'
# Fields are already text in their stored form: written as they are, nulls empty.
# One write per batch (batches are far below 2^20 rows); much larger sizes overflow
# Arrow's buffer sizing ("Negative buffer resize"), which would silently take the slow path.
_UNQUOTED = pa_csv.WriteOptions(include_header=False, quoting_style="none", batch_size=1 << 20)
_SPECIAL_BYTES = (b'"', b",", b"\r", b"\n")


def header_line(labels: Sequence[str]) -> bytes:
    return (",".join(_quote_text(label) for label in labels) + "\n").encode("utf-8")


def _quote_text(text: str) -> str:
    if any(ch in text for ch in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def format_batch(
    batch: pa.RecordBatch,
    types: Sequence[ColumnType],
    verbatim: Sequence[bool] | None = None,
) -> bytes:
    """Rows of `batch` as CSV lines: comma, `\\n`, RFC 4180 quoting, missing values empty.

    Args:
        verbatim: per column, True when its values are text already in the stored form
            (they are only quoted), which saves parsing and formatting them again.
    """
    if batch.num_rows == 0:
        return b""
    keep = verbatim or [False] * len(types)
    fields = [
        _verbatim(column, ctype) if as_is else _format_column(column, ctype)
        for column, ctype, as_is in zip(batch.columns, types, keep, strict=True)
    ]
    if not fields:
        return b"\n" * int(batch.num_rows)
    try:
        # Arrow's writer joins the fields about a third faster than two joins and a copy.
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(
            pa.RecordBatch.from_arrays(fields, names=[str(n) for n in range(len(fields))]),
            sink,
            _UNQUOTED,
        )
        written: bytes = sink.getvalue().to_pybytes()
        return written
    except pa.ArrowInvalid:
        pass  # values quoted above hold quotes, which that writer refuses: join them here
    lines = pc.binary_join_element_wise(*fields, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(lines, "", "\n")
    return _concatenated_values(lines)


def _concatenated_values(strings: pa.Array) -> bytes:
    """All values of a null-free string array, back to back, without a Python loop."""
    bounds = value_bounds(strings)
    text: bytes = strings.buffers()[2][int(bounds[0]) : int(bounds[-1])].to_pybytes()
    return text


def _verbatim(text: pa.Array, ctype: ColumnType) -> pa.Array:
    # Canonical numbers, booleans and date-times never contain a quote, comma or newline.
    text = _as_string(text)
    return _quote(text) if ctype == "category" else text


def _format_column(values: pa.Array, ctype: ColumnType) -> pa.Array:
    values = cast_to_declared(values, ctype)
    kind = values.type
    if pa.types.is_boolean(kind):
        text = pc.if_else(values, "True", "False")
    elif pa.types.is_floating(kind):
        text = format_floats(values)
    elif pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        text = _format_datetimes(values)
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _quote(_as_string(values))
    elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        decoded = [None if v is None else v.decode("utf-8", "replace") for v in values.to_pylist()]
        return _quote(pa.array(decoded, pa.string()))
    else:
        # Integers, decimals, times: their text needs no quoting.
        text = pc.cast(values, pa.string())
    return _as_string(text)


def _as_string(text: pa.Array) -> pa.Array:
    if pa.types.is_string(text.type):
        return text
    # One batch is far below 2 GiB, so 32-bit offsets suffice; joins need one string type.
    return pc.cast(text, pa.string())


def _format_datetimes(values: pa.Array) -> pa.Array:
    """`YYYY-MM-DD HH:MM:SS`, plus `.ffffff` only where the value has a fraction."""
    micros = pc.cast(pc.cast(values, pa.timestamp("us"), safe=False), pa.int64())
    # Floor division, so that instants before 1970 keep a positive fraction.
    whole = pc.divide(micros, 1_000_000)
    overshoot = pc.greater(pc.multiply(whole, 1_000_000), micros)
    whole = pc.subtract(whole, pc.cast(overshoot, pa.int64()))
    fraction = pc.subtract(micros, pc.multiply(whole, 1_000_000))
    # Casting second-precision timestamps to text gives "YYYY-MM-DD HH:MM:SS" (much faster
    # than strftime).
    text = pc.cast(pc.cast(whole, pa.timestamp("s")), pa.string())
    if not pc.any(pc.not_equal(fraction, 0)).as_py():
        return text
    padded = pc.utf8_lpad(pc.cast(fraction, pa.string()), 6, "0")
    with_fraction = pc.binary_join_element_wise(text, padded, ".")
    return pc.if_else(pc.equal(fraction, 0), text, with_fraction)


def _quote(text: pa.Array) -> pa.Array:
    if not may_contain_any(text, _SPECIAL_BYTES):
        return text  # the usual case
    needs = pc.match_substring_regex(text, _NEEDS_QUOTES)
    if not pc.any(needs).as_py():
        return text
    escaped = pc.replace_substring(text, '"', '""')
    quoted = pc.binary_join_element_wise('"', escaped, '"', "")
    return pc.if_else(needs, quoted, text)
