"""Private files on disk: the data directory is 0700 and every file in it 0600, whatever the
umask, and the server refuses a data directory that other accounts can write to.

Patient tables, the database and the signing key live under the data directory; another local
account able to read them, or to swap a file in, would defeat the access checks of the API.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600


class UnsafeDataDirError(Exception):
    """The data directory is writable by other accounts (or owned by one)."""


def make_private_dir(path: Path, *, check: bool = False) -> None:
    """Create `path` (and missing parents) with mode 0700, whatever the umask.

    An existing directory keeps its mode: it is only checked, when `check` is true.

    Raises:
        UnsafeDataDirError: `check` and the directory is writable by another account.
    """
    if not path.is_dir():
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        # mkdir applies the umask (it can only remove bits) and parents get the default mode;
        # the leaf is set explicitly.
        with contextlib.suppress(OSError):
            os.chmod(path, DIR_MODE)
    if check:
        check_not_shared(path)


def check_not_shared(path: Path) -> None:
    """Refuse a directory that another account can write to, or that another account owns.

    Raises:
        UnsafeDataDirError: with a message saying what is wrong and the command that fixes it.
    """
    if os.name != "posix":  # pragma: no cover - modes mean nothing elsewhere
        return
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeDataDirError(
            f"The data directory {path} (mode {mode:04o}) can be written by other accounts, "
            f"who could read or replace the datasets, database and secret key. Make it private "
            f"with `chmod 700 {path}` (or point AVATARS_DATA_DIR elsewhere), then start again."
        )
    if info.st_uid != os.geteuid():
        raise UnsafeDataDirError(
            f"The data directory {path} belongs to another account (uid {info.st_uid}), who can "
            f"change it at will. Run the server as its owner, or `chown` it to this account "
            f"(uid {os.geteuid()}), then start again."
        )


def create_private_file(path: Path, content: bytes) -> bool:
    """Create `path` with mode 0600 holding `content`, unless it exists (then tighten its mode).

    The file never exists with a wider mode, nor half written, not even for an instant: the
    content goes to a private temporary file that is then linked to `path` (which fails if
    `path` exists, so two processes starting at once agree on one content). Returns True when
    this call created it.
    """
    if path.exists():
        make_private_file(path)
        return False
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(descriptor, FILE_MODE)
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
        os.close(descriptor)
        descriptor = -1
        try:
            os.link(temporary, path)
        except FileExistsError:
            make_private_file(path)
            return False
        except OSError:  # no hard links on this filesystem: O_EXCL, then the content
            return _create_exclusive(path, content)
        return True
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _create_exclusive(path: Path, content: bytes) -> bool:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        make_private_file(path)
        return False
    try:
        os.fchmod(descriptor, FILE_MODE)
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return True


def make_private_file(path: Path) -> None:
    """Set mode 0600 on an existing file when group or others have any access to it."""
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, FILE_MODE)


def touch_private_file(path: Path) -> None:
    """Make sure `path` exists with mode 0600 (empty if it was missing)."""
    create_private_file(path, b"")


def tighten_tree(root: Path) -> int:
    """Set 0700 on the directories and 0600 on the files under `root` that are looser.

    Data written by an older version (0644 files, 0755 directories) is fixed on start. Returns
    how many entries were changed.
    """
    changed = 0
    if not root.is_dir():
        return 0
    for directory, subdirs, names in os.walk(root):
        for name in subdirs:
            changed += _tighten(Path(directory) / name, DIR_MODE)
        for name in names:
            changed += _tighten(Path(directory) / name, FILE_MODE)
    if changed:
        logger.warning("Made %d entries under %s private (0600 files, 0700 dirs).", changed, root)
    return changed


def _tighten(path: Path, mode: int) -> int:
    try:
        current = stat.S_IMODE(path.lstat().st_mode)
        if stat.S_ISLNK(path.lstat().st_mode) or not current & 0o077:
            return 0
        os.chmod(path, mode)
    except OSError:
        return 0
    return 1
