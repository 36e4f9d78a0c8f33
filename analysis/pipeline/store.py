"""The build's store: one zstd Arrow IPC file per document, stage and table, under a content key.

``<cache>/store/<stage>/<key>.<table>.arrow``; writing and reading these costs a fraction of Parquet for small
per-document tables. Files are written atomically, so a crashed worker never leaves half a file under a key, and
each starts with a header holding the length and SHA-256 of the Arrow data: a file damaged later (a full disk, a
copy cut short, a bad sector) is detected on reading (:class:`StoreDamaged`) and recomputed by the build.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import struct
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import AnalysisError
from ..files import atomic_path, atomic_write, clean_temp_files, pid_alive
from .options import STAGES

#: header of a store file: magic, length of the Arrow data (8 bytes, little endian), its SHA-256 (32 bytes)
MAGIC = b"ASTORE01"
HEADER = len(MAGIC) + 8 + 32


class StoreDamaged(AnalysisError):
    """A store file whose header, length or checksum does not match its data: the cache's fault, not the source's."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

IPC_COMPRESSION = "zstd"  # 2.5x smaller than lz4 on token tables, ~1 ms/document slower to read

def store_file(store: Path, stage: str, key: str, table: str) -> Path:
    """Where one table of one stage of one document is stored."""
    return store / stage / f"{key}.{table}.arrow"


def has(store: Path, stage: str, key: str, listing: dict[str, set[str]] | None = None) -> bool:
    """True when the stage's last table is stored (tables are written in order, so the stage is complete)."""
    last = f"{key}.{STAGES[stage][-1]}.arrow"
    if listing is not None:
        return last in listing.get(stage, ())
    return (store / stage / last).exists()


def write_table(path: Path, table) -> None:
    """Write an Arrow table as a compressed IPC file, atomically."""
    import pyarrow as pa

    opts = pa.ipc.IpcWriteOptions(compression=IPC_COMPRESSION)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=opts) as writer:
        writer.write_table(table)
    data = sink.getvalue().to_pybytes()
    header = MAGIC + struct.pack("<Q", len(data)) + hashlib.sha256(data).digest()
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(header)
        fh.write(data)


def _verified(path: Path):
    """The Arrow data of a store file as a buffer, after checking its header; raises StoreDamaged."""
    import pyarrow as pa

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise StoreDamaged(path, "store file missing") from None
    if len(raw) < HEADER or not raw.startswith(MAGIC):
        raise StoreDamaged(path, "store file has no valid header (damaged or from another version)")
    (size,) = struct.unpack("<Q", raw[len(MAGIC):len(MAGIC) + 8])
    data = memoryview(raw)[HEADER:]
    if len(data) != size:
        raise StoreDamaged(path, f"store file truncated ({len(data)} of {size} bytes)")
    if hashlib.sha256(data).digest() != raw[len(MAGIC) + 8:HEADER]:
        raise StoreDamaged(path, "store file checksum mismatch (damaged)")
    return pa.py_buffer(data)


def read_table(path: Path):
    """Read a stored IPC file into an Arrow table, verified by its length and checksum (raises StoreDamaged)."""
    import pyarrow as pa

    # a plain read beats memory-mapping for these small compressed files, and one thread beats Arrow's pool
    buf = _verified(path)
    try:
        return pa.ipc.open_file(pa.BufferReader(buf), options=pa.ipc.IpcReadOptions(use_threads=False)).read_all()
    except (pa.ArrowInvalid, OSError) as exc:
        raise StoreDamaged(path, f"store file unreadable ({exc})") from None


def read_schema(path: Path):
    """The schema of a stored IPC file (verified like :func:`read_table`)."""
    import pyarrow as pa

    try:
        return pa.ipc.open_file(pa.BufferReader(_verified(path))).schema
    except (pa.ArrowInvalid, OSError) as exc:
        raise StoreDamaged(path, f"store file unreadable ({exc})") from None


def verify(path: Path) -> None:
    """Raise StoreDamaged unless the store file's length and checksum match its header."""
    _verified(path)


def to_arrow(df: pd.DataFrame):
    """A DataFrame as an Arrow table (no index)."""
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


def split_by_doc(df: pd.DataFrame, doc_ids: Sequence[str]) -> dict[str, object]:
    """One Arrow table per document of a batch result (an empty one for a document without rows)."""
    table = to_arrow(df)
    if not len(df):
        return {d: table for d in doc_ids}
    groups = df.groupby("doc_id", sort=False).indices
    out = {}
    for d in doc_ids:
        pos = groups.get(d)
        if pos is None:
            out[d] = table.slice(0, 0)
        elif pos[-1] - pos[0] + 1 == len(pos):  # contiguous (always, for the stages here): zero-copy
            out[d] = table.slice(int(pos[0]), len(pos))
        else:
            out[d] = table.take(pos)
    return out


#: rows and bytes buffered per output table before a Parquet row group is written
FLUSH_ROWS = 250_000
FLUSH_BYTES = 64 << 20


def concat_to_parquet(files: list[tuple[str, Path]], target: Path, *, set_path: bool) -> None:
    """Concatenate Arrow IPC files (schemas unified: a column that is all null in one document is not a
    different type) into one Parquet file, writing a row group per ~250k rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [read_schema(path) for _given, path in files]
    if not schemas:
        pq.write_table(pa.table({}), target)
        return
    meta = next((s.metadata for s in schemas if len(s)), schemas[0].metadata)
    schema = pa.unify_schemas([s.remove_metadata() for s in schemas], promote_options="permissive")
    if set_path and "path" in schema.names:
        schema = schema.set(schema.get_field_index("path"), pa.field("path", pa.string()))
    schema = non_null(schema).with_metadata(meta)
    buffer, rows, size = [], 0, 0
    with pq.ParquetWriter(target, schema, compression="zstd", compression_level=1) as writer:
        for given, path in files:
            t = read_table(path).replace_schema_metadata(None)
            if set_path and "path" in t.column_names:
                t = t.set_column(t.column_names.index("path"), "path", pa.array([given] * len(t), pa.string()))
            buffer.append(conform(t, schema))
            rows += len(t)
            size += t.nbytes
            if rows >= FLUSH_ROWS or size >= FLUSH_BYTES:
                writer.write_table(pa.concat_tables(buffer))
                buffer, rows, size = [], 0, 0
        if buffer:
            writer.write_table(pa.concat_tables(buffer))


def non_null(schema):
    """A column that is null in every document is written as (null) strings, the type pandas reads it back as."""
    import pyarrow as pa

    for i, f in enumerate(schema):
        if pa.types.is_null(f.type):
            schema = schema.set(i, f.with_type(pa.string()))
    return schema


def conform(t, schema):
    """Table ``t`` with ``schema``'s columns, in its order and types (missing columns as nulls)."""
    import pyarrow as pa

    if t.schema.equals(schema, check_metadata=False):
        return t.replace_schema_metadata(schema.metadata)
    cols = []
    for f in schema:
        if f.name in t.column_names:
            col = t.column(f.name)
            cols.append(col if col.type == f.type else col.cast(f.type))
        else:
            cols.append(pa.nulls(len(t), f.type))
    return pa.Table.from_arrays(cols, schema=schema)


# --- builds: finished folders and the pointer that names the current one --------------------------------------------
#
# ``<cache>/builds/<id>.json`` names the current folder ``<id>.<tag>/`` of a build and the size and SHA-256 of its
# tables. A finished build becomes visible by one ``os.replace`` of that pointer, so a reader sees the old build or
# the new one, never none; a superseded folder is kept for GRACE seconds for readers that resolved the pointer just
# before, and removed by a later build. Assembly happens in ``.<id>.tmp-p<pid>-<random>/``; what a killed build left
# (its process gone) is removed by the next build.

#: seconds a superseded build folder is kept for readers that are still reading it
GRACE = 120.0
_BUILD_DIR = re.compile(r"^([0-9a-f]{16})(\.[0-9a-z-]+)?$")
_TEMP_DIR = re.compile(r"^\.([0-9a-f]{16})\.(?:tmp|old)-p?(\d+)-")


def pointer_path(builds: Path, build_id: str) -> Path:
    """The pointer file of a build."""
    return builds / f"{build_id}.json"


def read_pointer(builds: Path, build_id: str) -> dict | None:
    """The pointer of a build (``folder``, ``tables``: name -> [size, sha256]), or None if there is none."""
    try:
        ptr = json.loads(pointer_path(builds, build_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ptr if isinstance(ptr, dict) and "folder" in ptr else None


def file_digest(path: Path) -> list:
    """[size, sha256] of a file."""
    with open(path, "rb") as fh:
        return [os.fstat(fh.fileno()).st_size, hashlib.file_digest(fh, "sha256").hexdigest()]


def publish(builds: Path, build_id: str, folder: Path, tables: Sequence[str]) -> None:
    """Make ``folder`` the current build: write the pointer (with its tables' sizes and checksums) in one step."""
    ptr = {"folder": folder.name, "tables": {t: file_digest(folder / f"{t}.parquet") for t in tables}}
    old = read_pointer(builds, build_id)
    if old is not None and old["folder"] != folder.name:  # the grace period of the superseded folder starts now
        with contextlib.suppress(OSError):
            os.utime(builds / old["folder"])
    atomic_write(pointer_path(builds, build_id), json.dumps(ptr, indent=1))


def verified_folder(builds: Path, build_id: str, tables: Sequence[str]) -> tuple[Path | None, str | None]:
    """The current folder if its tables match the pointer's sizes and checksums; else (None, what is wrong)."""
    ptr = read_pointer(builds, build_id)
    if ptr is None:
        return None, None
    folder = builds / ptr["folder"]
    for t in tables:
        path = folder / f"{t}.parquet"
        try:
            if file_digest(path) != list(ptr["tables"].get(t, [])):
                return None, f"{path}: build table damaged (size or checksum differs); rebuilt"
        except OSError:
            return None, f"{path}: build table missing; rebuilt"
    return folder, None


def tidy(root: Path) -> None:
    """Remove what killed builds left (temporary folders and files of ended processes) and superseded folders
    older than :data:`GRACE`."""
    builds = root / "builds"
    for stage in STAGES:
        clean_temp_files(root / "store" / stage)
    clean_temp_files(builds)
    try:
        entries = list(os.scandir(builds))
    except OSError:
        return
    current = {}
    for e in entries:
        if e.name.endswith(".json"):
            ptr = read_pointer(builds, e.name[:-5])
            current[e.name[:-5]] = ptr["folder"] if ptr else None
    now = time.time()
    for e in entries:
        if not e.is_dir(follow_symlinks=False):
            continue
        m, t = _BUILD_DIR.match(e.name), _TEMP_DIR.match(e.name)
        if t and not pid_alive(int(t.group(2))) or m and e.name != current.get(m.group(1)) and now - e.stat(follow_symlinks=False).st_mtime > GRACE:
            shutil.rmtree(e.path, ignore_errors=True)
