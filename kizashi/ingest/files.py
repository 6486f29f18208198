"""Walk the paths a user names into the files to ingest, in a fixed order.

Problems with single entries (a dangling link, a loop, a FIFO, an unreadable
directory) are yielded as ``IngestError`` values so that one bad entry is
reported and the rest of the corpus is still read.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..exc import IngestError


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    """Files under ``paths``: given order at the top, sorted by name below, hidden entries skipped.

    A file reached twice (through a symlink, or named twice) is yielded once;
    a directory link that points back at one of its ancestors is reported as
    a symlink loop instead of being followed.
    """
    seen: set[tuple[int, int]] = set()
    for path in paths:
        yield from _walk(Path(path), ancestors=(), seen=seen)


def _walk(path: Path, ancestors: tuple[tuple[int, int], ...],
          seen: set[tuple[int, int]]) -> Iterator[Path | IngestError]:
    problem = path_problem(str(path))
    if problem:
        yield IngestError(str(path), problem)
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        yield IngestError(str(path), "broken symlink" if path.is_symlink() else "no such file or directory")
        return
    except OSError as err:
        yield IngestError(str(path), os_reason(err))
        return
    identity = (info.st_dev, info.st_ino)
    if stat.S_ISDIR(info.st_mode):
        if identity in ancestors:
            yield IngestError(str(path), "symlink loop (links back to a parent directory)")
            return
        if identity in seen:
            return
        seen.add(identity)
        yield from _walk_directory(path, (*ancestors, identity), seen)
    elif not stat.S_ISREG(info.st_mode):
        yield IngestError(str(path), f"not a regular file ({file_kind(info.st_mode)})")
    elif not os.access(path, os.R_OK):
        yield IngestError(str(path), "permission denied")
    elif identity not in seen:
        seen.add(identity)
        yield path


def _walk_directory(path: Path, ancestors: tuple[tuple[int, int], ...],
                    seen: set[tuple[int, int]]) -> Iterator[Path | IngestError]:
    try:
        with os.scandir(path) as entries:
            names = sorted(entry.name for entry in entries if not entry.name.startswith("."))
    except OSError as err:
        yield IngestError(str(path), f"cannot list directory: {os_reason(err)}")
        return
    for name in names:
        yield from _walk(path / name, ancestors, seen)


def path_problem(name: str) -> str | None:
    """A path the store cannot keep as text, or the OS cannot open."""
    if "\x00" in name:
        return "invalid path (contains a NUL character)"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 (rename the file)"
    return None


def os_reason(err: OSError) -> str:
    """One line from an OSError, without the path it would repeat."""
    if isinstance(err, PermissionError):
        return "permission denied"
    if err.errno == errno.ELOOP:
        return "symlink loop"
    return (err.strerror or str(err)).lower()


def file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
             (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))
    return next((name for test, name in kinds if test(mode)), "special file")
