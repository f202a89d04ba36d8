"""Column types: inference from CSV text and Arrow types, casts to declared types, fit checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypedDict, get_args

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from avatars_server.errors import InvalidInputError

ColumnType = Literal["int", "bool", "category", "float", "datetime"]
COLUMN_TYPES: tuple[ColumnType, ...] = get_args(ColumnType)

TRUE_TEXT = ("True", "true", "TRUE")
FALSE_TEXT = ("False", "false", "FALSE")
_BOOL_TEXT = pa.array(TRUE_TEXT + FALSE_TEXT)
_BOOL_SET = frozenset(TRUE_TEXT + FALSE_TEXT)
_CANONICAL_BOOL = pa.array(["True", "False"])
# The download format of date-times: a fraction only when it is not zero.
_NONZERO_MICROS = "|".join("0" * zeros + "[1-9]" + "[0-9]" * (5 - zeros) for zeros in range(6))
_CANONICAL_DATETIME = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}" + f"(\\.({_NONZERO_MICROS}))?$"
)
_UTC_SUFFIX = r"[Zz]$"
_OFFSET_SUFFIX = r"[T ][0-9]{2}(:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?[+-][0-9]{2}(:?[0-9]{2})?$"
_TIMESTAMP = pa.timestamp("ns")
_TIMESTAMP_UTC = pa.timestamp("ns", tz="UTC")


class ColumnCastError(ValueError):
    """Values of a column that do not fit a type; `value` is the first offending one."""

    def __init__(self, value: object) -> None:
        super().__init__(f"value {value!r} does not fit")
        self.value = value


class ColumnDescriptor(TypedDict):
    """One column's metadata, as stored (`DatasetRow.columns`) and sent (`ColumnDetail`)."""

    label: str
    type: ColumnType
    is_identifier: bool


def column_detail(
    label: str, ctype: ColumnType, *, is_identifier: bool = False
) -> ColumnDescriptor:
    """The descriptor of one column."""
    return {"label": label, "type": ctype, "is_identifier": is_identifier}


# -- inference ------------------------------------------------------------------------------


@dataclass
class TextColumnInference:
    """Types still possible for one CSV column, narrowed batch by batch (values are text)."""

    candidates: set[ColumnType] = field(
        default_factory=lambda: {"bool", "int", "float", "datetime"}
    )
    has_missing: bool = False
    # Whether the text already is the stored form (§1.8) of a bool / datetime column.
    bool_canonical: bool = True
    datetime_canonical: bool = True
    float_canonical: bool = True

    def update(self, values: pa.Array) -> None:
        if values.null_count:
            self.has_missing = True
        present = values.drop_null() if values.null_count else values
        if len(present) == 0 or not self.candidates:
            return
        # Each check first looks at one value, so a column that is plainly not of a type
        # costs no full pass for it.
        first = present.slice(0, 1)
        if "bool" in self.candidates:
            self._check_bool(first, present)
        if "int" in self.candidates and not (_all_int_text(first) and _all_int_text(present)):
            self.candidates.discard("int")
        if "int" in self.candidates:
            # Integer text ("5") is never the stored form of a float ("5.0").
            self.float_canonical = False
        # Canonical integers are floats too: the float check waits until int is ruled out.
        elif "float" in self.candidates:
            self._check_float(first, present)
        if "datetime" in self.candidates:
            self._check_datetime(first, present)

    def _check_bool(self, first: pa.Array, present: pa.Array) -> None:
        if first[0].as_py() not in _BOOL_SET:
            self.candidates.discard("bool")
        elif self.bool_canonical and pc.all(pc.is_in(present, _CANONICAL_BOOL)).as_py():
            pass  # the usual case settles both questions in one pass
        elif pc.all(pc.is_in(present, _BOOL_TEXT)).as_py():
            self.bool_canonical = False
        else:
            self.candidates.discard("bool")

    def _check_float(self, first: pa.Array, present: pa.Array) -> None:
        if _float_values(first) is None or (numbers := _float_values(present)) is None:
            self.candidates.discard("float")
            return
        if self.float_canonical:
            # Text that equals its own formatting is kept as is (no formatting when stored);
            # such text is never zero-padded, so the padding scan is only needed otherwise.
            canonical = pc.equal(format_floats(numbers), present).fill_null(False)
            if pc.all(canonical).as_py():
                return
            self.float_canonical = False
        if _any_zero_padded(present):
            self.candidates.discard("float")

    def _check_datetime(self, first: pa.Array, present: pa.Array) -> None:
        if _parse_datetime_text(first) is None:
            self.candidates.discard("datetime")
            return
        try:
            # Arrow refuses zones when parsing naive timestamps, so this succeeds only on
            # zone-less text: the common case, without the suffix rewriting below.
            pc.cast(present, _TIMESTAMP)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if _parse_datetime_text(present) is None:
                self.candidates.discard("datetime")
            else:
                self.datetime_canonical = False  # a "Z" or an offset is not the stored form
            return
        if self.datetime_canonical:
            self.datetime_canonical = _canonical_datetimes(present)

    def result(self) -> ColumnType:
        """The first rule of the API reference's table (§1.7) that matches."""
        if "bool" in self.candidates and not self.has_missing:
            return "bool"
        if "int" in self.candidates and not self.has_missing:
            return "int"
        if "int" in self.candidates or "float" in self.candidates:
            return "float"
        if "datetime" in self.candidates:
            return "datetime"
        return "category"

    def verbatim(self) -> bool:
        """Whether the column's text can be stored as is for its inferred type."""
        kind = self.result()
        return (
            kind in ("int", "category")
            or (kind == "bool" and self.bool_canonical)
            or (kind == "float" and self.float_canonical)
            or (kind == "datetime" and self.datetime_canonical)
        )


def _all_int_text(values: pa.Array) -> bool:
    try:
        as_int = pc.cast(values, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    # "007", "+5", "-0" and "0x1f" parse too, but their text would not survive normalisation.
    # Parsed text is the integer's own decimal form exactly when it is as long as that form,
    # which is far cheaper to check than formatting; hex alone can match a length by chance.
    if may_contain_any(values, (b"x", b"X")):
        return bool(pc.all(pc.equal(pc.cast(as_int, pa.string()), values)).as_py())
    numbers = as_int.to_numpy()
    magnitudes = np.abs(numbers).view(np.uint64)  # abs(INT64_MIN) wraps to 2**63 unsigned
    digits = np.searchsorted(_POWERS_OF_TEN, magnitudes, side="right") + 1
    lengths = pc.binary_length(values).to_numpy()
    return bool(np.array_equal(lengths, digits + (numbers < 0)))


_POWERS_OF_TEN = np.array([10**exponent for exponent in range(1, 20)], dtype=np.uint64)


def may_contain_any(text: pa.Array, needles: Sequence[bytes]) -> bool:
    """Whether some value may contain one of `needles` (a few memchr scans of the bytes)."""
    data = text.buffers()[2]
    raw = data.to_pybytes() if data is not None else b""
    return any(needle in raw for needle in needles)


def value_bounds(text: pa.Array) -> npt.NDArray[np.int64]:
    """Where each value of a string array starts in its data buffer, then where the last ends
    (len + 1 offsets, read from Arrow's offsets buffer without a copy)."""
    wide = pa.types.is_large_string(text.type) or pa.types.is_large_binary(text.type)
    offsets = np.frombuffer(
        text.buffers()[1], dtype=np.int64 if wide else np.int32, count=text.offset + len(text) + 1
    )
    bounds: npt.NDArray[np.int64] = offsets[text.offset :].astype(np.int64, copy=False)
    return bounds


def _value_bytes(
    text: pa.Array, starts: npt.NDArray[np.int64], position: int
) -> npt.NDArray[np.uint8]:
    """Byte `position` of every value of a null-free string array whose values start at
    `starts` (each long enough, except that a position past the whole buffer reads its last
    byte)."""
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)
    picked: npt.NDArray[np.uint8] = data[np.minimum(starts + position, len(data) - 1)]
    return picked


def _any_zero_padded(numbers_text: pa.Array) -> bool:
    """Whether some value (text that parsed as a number) is zero-padded: `[+-]?0[0-9]...`.

    Zero-padded numbers ("007", "-01.5") are codes, not quantities: typing them as numbers
    would lose the padding for good, so their column stays `category`.
    """
    if len(numbers_text) == 0:
        return False
    bounds = value_bounds(numbers_text)
    starts, lengths = bounds[:-1], np.diff(bounds)
    first, second, third = (_value_bytes(numbers_text, starts, n) for n in range(3))
    signed = (first == ord("+")) | (first == ord("-"))
    lead = np.where(signed, second, first)
    after = np.where(signed, third, second)
    padded = (
        (lengths - signed >= 2) & (lead == ord("0")) & (after >= ord("0")) & (after <= ord("9"))
    )
    return bool(padded.any())


def _float_values(values: pa.Array) -> pa.Array | None:
    try:
        numbers: pa.Array = pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return numbers


def _canonical_datetimes(text: pa.Array) -> bool:
    """Whether parsed, zone-less date-time text already is `YYYY-MM-DD HH:MM:SS[.ffffff]`."""
    lengths = pc.min_max(pc.binary_length(text)).as_py()
    if lengths["min"] == lengths["max"] == len("YYYY-MM-DD HH:MM:SS"):
        # Arrow parses no other 19-character form than these two: checking the separator
        # byte is much cheaper than the regex.
        separators = _value_bytes(text, value_bounds(text)[:-1], len("YYYY-MM-DD"))
        return bool(np.all(separators == ord(" ")))
    return bool(pc.all(pc.match_substring_regex(text, _CANONICAL_DATETIME)).as_py())


def format_floats(values: pa.Array) -> pa.Array:
    """Floats as stored text (§1.8): shortest round trip, NaN missing, integral with ".0"."""
    from avatars_server.datasets import float_text

    if float_text.in_use() and (fast := float_text.fixed_point_text(values)) is not None:
        return fast
    if pc.any(pc.is_nan(values)).as_py():
        values = pc.if_else(pc.is_nan(values), pa.scalar(None, values.type), values)
    text = pc.cast(values, pa.string())
    whole = pc.and_(pc.is_finite(values), pc.equal(pc.floor(values), values))
    rows = np.flatnonzero(whole.fill_null(False).to_numpy(zero_copy_only=False))
    if rows.size:
        # Large or tiny values print in exponent form ("1e+20"), which must not get a ".0".
        exponent = pc.match_substring(text.take(pa.array(rows)), "e")
        rows = rows[~exponent.to_numpy(zero_copy_only=False)]
    if not rows.size:
        return text
    return _with_suffix(text, rows, b".0")


def _with_suffix(text: pa.Array, rows: npt.NDArray[np.intp], suffix: bytes) -> pa.Array:
    """``text`` (a string array) with ``suffix`` appended to the values at ``rows`` (increasing,
    non-null): the new data and offsets buffers built at once, instead of joining every value
    and choosing between the two arrays."""
    bounds = value_bounds(text)
    start = int(bounds[0])
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[start : int(bounds[-1])]
    added = np.zeros(len(bounds), dtype=np.int64)
    added[rows + 1] = len(suffix)
    offsets = bounds - start + np.cumsum(added)
    if offsets[-1] > np.iinfo(np.int32).max:  # pragma: no cover - batches are far smaller
        suffixed = pc.binary_join_element_wise(text, suffix.decode(), "")
        chosen = np.zeros(len(text), dtype=bool)
        chosen[rows] = True
        return pc.if_else(pa.array(chosen), suffixed, text)
    ends = bounds[1:][rows] - start
    inserted = np.insert(
        data,
        np.repeat(ends, len(suffix)),
        np.tile(np.frombuffer(suffix, dtype=np.uint8), len(rows)),
    )
    validity = pc.is_valid(text).buffers()[1] if text.null_count else None
    return pa.StringArray.from_buffers(
        len(text),
        pa.py_buffer(offsets.astype(np.int32)),
        pa.py_buffer(inserted),
        validity,
        text.null_count,
    )


def _parse_datetime_text(values: pa.Array) -> pa.Array | None:
    """ISO-8601 text as naive UTC timestamps[ns], or None when some value does not parse.

    Values may end in "Z" or carry an offset ("+01:00"): those are converted to UTC.
    """
    naive_text = pc.replace_substring_regex(values, _UTC_SUFFIX, "")
    try:
        parsed: pa.Array = pc.cast(naive_text, _TIMESTAMP)
        return parsed
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    has_offset = pc.match_substring_regex(values, _OFFSET_SUFFIX)
    try:
        naive = pc.cast(
            pc.if_else(has_offset, pa.scalar(None, pa.string()), naive_text), _TIMESTAMP
        )
        aware = pc.cast(
            pc.if_else(has_offset, values, pa.scalar(None, pa.string())), _TIMESTAMP_UTC
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    combined: pa.Array = pc.coalesce(naive, pc.cast(aware, _TIMESTAMP))
    return combined


class UntypableColumnError(ValueError):
    """A column whose Arrow type cannot be one of the column types (lists, structs, ...)."""


def infer_arrow_column(
    arrow_type: pa.DataType, *, has_missing: bool, pandas_type: str | None = None
) -> ColumnType:
    """The column type of typed (parquet) data, per the API reference's table (§1.7)."""
    if pa.types.is_dictionary(arrow_type) or pandas_type == "categorical":
        return "category"
    if pa.types.is_boolean(arrow_type):
        return "category" if has_missing else "bool"
    if pa.types.is_integer(arrow_type):
        return "float" if has_missing else "int"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "float"
    if pa.types.is_timestamp(arrow_type) or pa.types.is_date(arrow_type):
        return "datetime"
    if is_flat_type(arrow_type):
        return "category"
    raise UntypableColumnError(str(arrow_type))


def is_flat_type(arrow_type: pa.DataType) -> bool:
    """Whether values of this type are scalars a table cell can hold."""
    if pa.types.is_dictionary(arrow_type):
        return is_flat_type(arrow_type.value_type)
    return not (
        pa.types.is_nested(arrow_type)
        or pa.types.is_union(arrow_type)
        or isinstance(arrow_type, pa.ExtensionType)
    )


# -- casts to declared types ----------------------------------------------------------------


def cast_to_declared(values: pa.Array, ctype: ColumnType) -> pa.Array:
    """Values (CSV text or any flat Arrow type) as the Arrow type of `ctype`.

    int -> int64, float -> float64, bool -> bool, datetime -> timestamp[ns] (naive, UTC),
    category -> unchanged (dictionaries decoded).

    Raises:
        ColumnCastError: a value does not fit (its first offender is attached).
    """
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if ctype == "category":
        return values
    try:
        return _CASTS[ctype](values)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise ColumnCastError(_first_offender(values, ctype)) from exc


def _to_int(values: pa.Array) -> pa.Array:
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        try:
            return pc.cast(values, pa.int64())
        except pa.ArrowInvalid:
            values = pc.cast(values, pa.float64())
    if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
        raise pa.ArrowInvalid("dates are not integers")
    # safe casts refuse fractional floats and NaN instead of truncating them.
    return pc.cast(values, pa.int64())


def _to_float(values: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
        raise pa.ArrowInvalid("dates are not numbers")
    return pc.cast(values, pa.float64())


def _to_bool(values: pa.Array) -> pa.Array:
    if pa.types.is_boolean(values.type):
        return values
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        truth = pc.is_in(values, pa.array([*TRUE_TEXT, "1", "1.0"]))
        falsity = pc.is_in(values, pa.array([*FALSE_TEXT, "0", "0.0"]))
        if not pc.all(pc.or_(truth, falsity)).as_py():
            raise pa.ArrowInvalid("not a boolean")
        return pc.if_else(values.is_null(), pa.scalar(None, pa.bool_()), truth)
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        if not pc.all(pc.is_in(values, pa.array([0, 1], values.type))).as_py():
            raise pa.ArrowInvalid("not 0 or 1")
        return pc.not_equal(values, pa.scalar(0, values.type))
    raise pa.ArrowInvalid("not a boolean")


def _to_datetime(values: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
        return pc.cast(values, _TIMESTAMP)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        parsed = _parse_datetime_text(values)
        if parsed is None:
            raise pa.ArrowInvalid("not ISO-8601")
        return parsed
    raise pa.ArrowInvalid("not a date-time")


_CASTS = {"int": _to_int, "float": _to_float, "bool": _to_bool, "datetime": _to_datetime}


def _first_offender(values: pa.Array, ctype: ColumnType) -> object:
    """The first value that does not cast on its own (slow path, for error messages)."""
    cast = _CASTS[ctype]
    for start in range(0, len(values), 1024):
        chunk = values.slice(start, 1024)
        try:
            cast(chunk)
            continue
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            pass
        for item in chunk:
            try:
                cast(pa.array([item.as_py()], chunk.type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                return item.as_py()
    return None


def check_fits(values: pa.Array, ctype: ColumnType) -> str | None:
    """Why `values` cannot be declared `ctype` (a sentence fragment), or None when they fit."""
    if ctype == "category":
        return None
    if ctype in ("int", "bool") and values.null_count:
        return "it has missing values"
    try:
        cast_to_declared(values, ctype)
    except ColumnCastError as exc:
        return f"the value {_short(exc.value)} is not {_ARTICLE[ctype]}"
    return None


_ARTICLE = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean (True/False or 0/1)",
    "datetime": "an ISO-8601 date or date-time",
}


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def declared_types(columns: Sequence[ColumnDescriptor]) -> dict[str, ColumnType]:
    """Label -> declared type, from stored column metadata."""
    return {c["label"]: c["type"] for c in columns}


def check_labels(labels: Sequence[str]) -> None:
    """Refuse a table without columns, with an unnamed column or with duplicate names.

    Raises:
        InvalidInputError: the message names the problem and the fix.
    """
    if not labels:
        raise InvalidInputError("The table has no columns. Upload a table with a header row.")
    if any(label.strip() == "" for label in labels):
        raise InvalidInputError(
            "A column has an empty name. Name every column in the header; if the file was "
            "written by pandas, save it without its index: df.to_csv(path, index=False).",
            detail={"labels": list(labels)},
        )
    seen: set[str] = set()
    duplicates: list[str] = []
    for label in labels:
        if label in seen and label not in duplicates:
            duplicates.append(label)
        seen.add(label)
    if duplicates:
        raise InvalidInputError(
            f"Duplicate column names: {', '.join(repr(d) for d in duplicates)}. Give every "
            "column a distinct name.",
            detail={"duplicates": duplicates},
        )
