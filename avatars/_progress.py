"""Progress bars for byte transfers (uploads and downloads): shown only for large ones."""

from typing import NoReturn

from tqdm import tqdm

from avatars._constants import PROGRESS_MIN_BYTES

__all__ = ["transfer_bar"]


def transfer_bar(total: int | None, *, enabled: bool, desc: str) -> "tqdm[NoReturn]":
    """Return a tqdm bar counting bytes, disabled (a no-op) when not worth showing.

    Args:
        total: Size of the transfer in bytes, or None when unknown (e.g. a chunked download).
        enabled: False to never show a bar (e.g. the caller asked for no progress).
        desc: Label shown before the bar, e.g. "Uploading iris.csv".

    Returns:
        A bar to `update(n_bytes)` as chunks go and to `close()` at the end (use it as a context
        manager). It is disabled when `enabled` is False or `total` is known and below
        `PROGRESS_MIN_BYTES`; a disabled bar accepts the same calls and draws nothing.
    """
    small = total is not None and total < PROGRESS_MIN_BYTES
    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=not enabled or small,
        leave=False,
    )
