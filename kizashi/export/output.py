"""Writing an export or a report file so that it is whole or absent.

The text goes to a temporary file in the target's own folder (so the rename
stays on one file system), is flushed and fsynced, and only then renamed over
the target: a SIGKILL, a full disk or an error in the writer leaves the old
file (or none), never half a file. The target is checked before anything is
read from the store, so a bad path costs nothing.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..exc import OutputError
from ..ingest.files import os_reason


def check_target(path: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> None:
    """Refuse a target that is one of ``protected`` (the store's own files, whatever ``force``
    says), a directory, an existing file without ``force``, or a file in a missing folder."""
    shown = str(path)
    for kept in protected:
        if _same_file(path, kept):
            raise OutputError(f"{shown}: refusing to write over the store's own file {kept}")
    if path.is_dir():
        raise OutputError(f"{shown}: is a directory")
    if path.exists() and not force:
        raise OutputError(f"{shown}: file exists (use --force to replace it)")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{shown}: no such folder {folder}")


@contextmanager
def atomic_text(path: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> Iterator[IO[str]]:
    """A text stream that becomes ``path`` when the block ends without an error."""
    protected = list(protected)
    check_target(path, force=force, protected=protected)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"{path}: cannot write in {path.parent}: {os_reason(err)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        check_target(path, force=force, protected=protected)  # nothing appeared there meanwhile
        os.replace(temp, path)
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {os_reason(err)}") from None
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)
    _fsync_folder(path.parent)


def _same_file(path: Path, other: Path) -> bool:
    """The same file by identity when both exist (links, other spellings), else by resolved path."""
    try:
        return os.path.samefile(path, other)
    except OSError:
        return path.resolve() == other.resolve()


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
