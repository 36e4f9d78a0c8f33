"""Writing files safely: every file the package writes appears whole or not at all.

A reader (another process, a notebook, a spreadsheet) never sees half a file, and a crash never leaves one: data
is written to a temporary file in the same folder and renamed over the target with :func:`os.replace`, which is
atomic on POSIX and Windows. Permissions of a file that already exists are kept.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path, *, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step, on error it is removed.

    Parameters
    ----------
    path : the file to write.
    mode : permission bits of a new file (default: those of the file it replaces, else 0o644).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        try:
            keep = os.stat(path).st_mode & 0o7777
        except OSError:
            keep = 0o644 if mode is None else mode
        os.chmod(tmp, keep if mode is None else mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write(path: str | Path, data: bytes | str, *, encoding: str = "utf-8", mode: int | None = None) -> Path:
    """Write ``data`` (bytes, or text in ``encoding``) to ``path`` atomically; return the path."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(path, mode=mode) as tmp:
        tmp.write_bytes(raw)
    return Path(path)
