"""CSV dialect sniffing, text reading and the download format (API reference §1.7, §1.8)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from avatars_server.datasets import csv_format
from avatars_server.datasets.csv_format import (
    CsvFormatError,
    format_batch,
    header_line,
    read_header,
    sniff_separator,
    text_batches,
)


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "separator"),
    [
        (b"a,b\n1,2\n", ","),
        (b"a;b\n1,5;2\n", ";"),
        (b"a\tb\n1\t2\n", "\t"),
        (b"a|b\n1|2\n", "|"),
        (b'a,b\n"x;y",2\n', ","),
        (b"single\n1\n", ","),
        (b"\xef\xbb\xbfa;b\r\n1;2\r\n", ";"),
    ],
)
def test_separator_is_sniffed(tmp_path: Path, content: bytes, separator: str) -> None:
    assert sniff_separator(_write(tmp_path, content)) == separator


def test_header_strips_the_bom_and_refuses_bad_utf8(tmp_path: Path) -> None:
    assert read_header(_write(tmp_path, b"\xef\xbb\xbfa,b\n1,2\n"), ",") == ["a", "b"]
    with pytest.raises(CsvFormatError, match="UTF-8"):
        read_header(_write(tmp_path, b"caf\xe9,b\n"), ",")


def test_text_batches_keep_text_and_null_empty_fields(tmp_path: Path) -> None:
    path = _write(tmp_path, b'a,b\n007,"x,\ny"\n,z\n')
    table = pa.Table.from_batches(list(text_batches(path, ",", ["a", "b"])))
    assert table.to_pydict() == {"a": ["007", None], "b": ["x,\ny", "z"]}


def test_ragged_row_reports_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, b'a,b\n1,"multi\nline"\n2\n')
    with pytest.raises(CsvFormatError, match="Line 4 has 1 fields but the header has 2"):
        list(text_batches(path, ",", ["a", "b"]))


def test_format_batch_writes_the_download_format() -> None:
    batch = pa.record_batch(
        {
            "b": [True, False],
            "f": [1.0, float("nan")],
            "g": [0.1, 1e-7],
            "d": [dt.datetime(2020, 1, 1, 0, 0, 0, 500), None],
            "c": ['q"x', None],
        }
    )
    text = header_line(["b", "f", "g", "d", 'c"']) + format_batch(
        batch, ["bool", "float", "float", "datetime", "category"]
    )
    assert text == (
        b'b,f,g,d,"c"""\nTrue,1.0,0.1,2020-01-01 00:00:00.000500,"q""x"\nFalse,,1e-7,,\n'
    )
    frame = pd.read_csv(io.BytesIO(text))
    assert frame["g"].tolist() == [0.1, 1e-7] and frame["b"].dtype == bool


def test_format_batch_uses_arrows_writer_when_nothing_is_quoted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The element-wise join is the fallback for quoted values only; Arrow's writer is about
    # twice as fast, and an option it refuses would otherwise go unnoticed.
    def no_join(*args: object, **kwargs: object) -> None:
        raise AssertionError("format_batch fell back to the element-wise join")

    monkeypatch.setattr(csv_format.pc, "binary_join_element_wise", no_join)
    batch = pa.record_batch({"i": ["1", "2"], "f": ["0.5", None], "c": ["a", "b"]})
    out = format_batch(batch, ["int", "float", "category"], [True, True, True])
    assert out == b"1,0.5,a\n2,,b\n"


def test_format_batch_floats_round_trip_shortest() -> None:
    values = [0.1 + 0.2, 1 / 3, 123456789.123, -2.5e-300, 2.0**60]
    out = format_batch(pa.record_batch({"x": values}), ["float"])
    assert [float(line) for line in out.decode().splitlines()] == values
    assert out.decode().splitlines()[0] == repr(0.1 + 0.2)


def test_a_header_longer_than_the_sniff_window_is_read_whole(tmp_path: Path) -> None:
    labels = [f"column_{i:05d}" for i in range(8000)]  # ~100 KB of header
    path = _write(tmp_path, (",".join(labels) + "\n" + ",".join("1" * 8000) + "\n").encode())
    assert sniff_separator(path) == ","
    assert read_header(path, ",") == labels


def test_nul_characters_do_not_break_sniffing(tmp_path: Path) -> None:
    path = _write(tmp_path, b"a;b\n" + b"1;2\n" * 3000 + b"3;\x00\n")
    assert sniff_separator(path) == ";"
