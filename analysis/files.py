"""Files the package writes and paths it shows: whole or not at all, safe to open, safe to print.

- Atomic writes: data is written to a temporary file in the same folder (its name carries the writer's process
  id, so a later run can tell a killed writer's leftovers from a live one's) and renamed over the target with
  :func:`os.replace`, atomic on POSIX and Windows. Permissions of a file that already exists are kept.
- CSV: one writer/reader pair for every CSV the package writes (manifest, ``--format csv``, figure index). Cells
  that a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage return) get a leading
  ``'`` the way OWASP recommends; the reader takes it off again, so a value survives the round trip.
- Paths: :func:`display_path` shows any path the operating system gives (bytes that are not UTF-8, newlines,
  control characters) escaped on one line; :func:`os_error_message` turns an ``OSError`` into one line naming
  the path and what to do.
"""
from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd

# --- atomic writes ----------------------------------------------------------------------------------------------

_TEMP = re.compile(r"^\..+\.p(\d+)\.[^.]+\.tmp$")


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.p{os.getpid()}.", suffix=".tmp", dir=path.parent)
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


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale(name: str, pid: int | None, mtime: float, *, grace: float = 3600.0) -> bool:
    """True for a leftover of a writer that is gone: its process has ended, or (no process id) it is old."""
    if pid is not None:
        return not pid_alive(pid)
    return time.time() - mtime > grace


def clean_temp_files(folder: str | Path) -> int:
    """Remove the temporary files that killed writers left in ``folder`` (not those of live processes)."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m and entry.is_file(follow_symlinks=False) and stale(entry.name, int(m.group(1)), 0):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def backup(path: str | Path) -> Path | None:
    """Copy ``path`` to ``<path>.bak`` (permissions and times kept) before it is rewritten; None if it is absent."""
    path = Path(path)
    if not path.is_file():
        return None
    target = path.with_name(path.name + ".bak")
    with atomic_path(target) as tmp:
        shutil.copy2(path, tmp)
    return target


# --- CSV ----------------------------------------------------------------------------------------------------------

#: first characters that make a spreadsheet treat a cell as a formula (OWASP: CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def escape_cell(value: object) -> object:
    """A cell value a spreadsheet shows as text: ``'`` before a leading ``= + - @``, tab or CR (numbers kept)."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_START and not _NUMBER.match(value):
        return "'" + value
    if value[0] == "'" and len(value) > 1 and (value[1] in FORMULA_START or value[1] == "'"):
        return "'" + value  # so that unescape_cell gives back exactly this value
    return value


def unescape_cell(value: object) -> object:
    """The value :func:`escape_cell` was given."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and (value[1] in FORMULA_START or value[1] == "'"):
        return value[1:]
    return value


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell escaped (numeric columns untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(escape_cell)
    out.columns = [escape_cell(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, target: str | Path | IO[str], *, encoding: str = "utf-8",
              lineterminator: str = "\n", mode: int | None = None) -> None:
    """Write a table as CSV, formula-escaped; a path is written atomically, a text stream directly.

    Parameters
    ----------
    target : a file path, or an open text stream such as ``sys.stdout``.
    encoding : of a file path (``utf-8-sig`` writes a BOM so that Excel reads UTF-8).
    mode : permission bits of a new file (an existing file keeps its own).
    """
    safe = escape_frame(df)
    if isinstance(target, (str, Path)):
        with atomic_path(target, mode=mode) as tmp, open(tmp, "w", encoding=encoding, newline="") as fh:
            safe.to_csv(fh, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator=lineterminator)
    else:
        safe.to_csv(target, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator=lineterminator)


def csv_records(text: str, *, sep: str = ",") -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Parse CSV text into (header, [(line number, cells), …]) with cells unescaped; blank lines skipped.

    The line number is that of the row's first line in the file (1 = the header), for messages a person can act on.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if header is None:
            header = [str(unescape_cell(c)).strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((start, [unescape_cell(c) for c in cells]))
    return header or [], rows


def read_csv(path: str | Path, *, encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` (all values as strings, escapes removed)."""
    text = Path(path).read_text(encoding=encoding)
    header, rows = csv_records(text)
    return pd.DataFrame([(cells + [""] * len(header))[:len(header)] for _n, cells in rows], columns=header,
                        dtype=object).fillna("").astype(str) if header else pd.DataFrame()


# --- paths and operating-system errors ----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def display_path(path: str | Path | bytes) -> str:
    """A path as one printable line of valid UTF-8: undecodable bytes as ``\\xNN``, control characters escaped."""
    raw = path if isinstance(path, bytes) else os.fsencode(os.fspath(path))
    text = raw.decode("utf-8", errors="backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def readable_name(path: str | Path) -> str:
    """A file stem for ids: UTF-8 as is; a name that is not UTF-8 read as GB18030 (Chinese Windows archives)."""
    raw = os.fsencode(Path(path).stem)
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


_ADVICE = {
    errno.EACCES: "permission denied; make it writable (chmod) or choose another folder",
    errno.EPERM: "operation not permitted; make it writable or choose another folder",
    errno.EROFS: "read-only file system; choose a writable folder (--cache / --out, or $ANALYSIS_CACHE)",
    errno.ENOSPC: "no space left on the device; free some space or choose a folder on another disk",
    errno.EDQUOT: "disk quota exceeded; free some space or choose a folder on another disk",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
    errno.EISDIR: "is a folder where a file was expected; check the path",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n) or use fewer --jobs",
}


def os_error_message(exc: OSError, path: str | Path | None = None) -> str:
    """One line for an ``OSError``: the path it concerns, what happened and what to do."""
    where = path if path is not None else (exc.filename if exc.filename is not None else "(unknown path)")
    what = _ADVICE.get(exc.errno or -1) or f"{exc.strerror or exc}; check the path and try again"
    return f"{display_path(where)}: {what}"
