"""The manifest: a CSV a careful reader keeps beside the documents; its non-empty cells override inference.

One reader for ``load``, the build and ``ingest``; the checks every manifest row gets are written here once:
rows with more cells than the header are an error naming the rows (every later value would be read in the wrong
column); a ``status`` is read case-insensitively and an unknown one is an error naming its row; a year may be
written ``2021``, ``２０２１``, ``2021年`` or ``二〇二一``, and one that is no year is reported with its row and not
used; a ``doc_id`` used twice is reported with both rows; paths must stay inside the corpus folder.
"""
from __future__ import annotations

import codecs
import os
import re
import unicodedata
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import AnalysisWarning, InputError, ManifestError
from ..files import csv_records, display_path
from .decode import decode_bytes

MANIFEST_NAME = "corpus.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "place", "level", "city", "province", "doc_type", "summary_year", "plan_year",
                    "plan_period", "published", "title", "note")
#: Every ``status`` a manifest row may carry (written by ``analysis.corpus.ingest``; read case-insensitively).
STATUSES = ("ok", "review", "duplicate", "near_duplicate", "rejected", "missing")
#: Manifest ``status`` values whose files are not loaded.
SKIP_STATUSES = ("duplicate", "near_duplicate", "rejected", "missing")
YEAR_FIELDS = ("summary_year", "plan_year")
OUTSIDE = "manifest path points outside the corpus folder; refused"
_HAN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def slug(stem: str) -> str:
    """A doc_id from a file stem: spaces and slashes to ``_``, other punctuation dropped.

    A name that is not UTF-8 (undecodable bytes, as Python gives them for a GBK-named file) is read as GB18030.
    """
    if any("\udc80" <= c <= "\udcff" for c in stem):
        raw = stem.encode("utf-8", "surrogateescape")
        try:
            stem = raw.decode("gb18030")
        except UnicodeDecodeError:
            stem = raw.decode("utf-8", "replace")
    s = re.sub(r"[\s/\\]+", "_", stem.strip())
    return re.sub(r"[^\w\-.]", "", s) or "doc"


def unique_id(doc_id: str, used: set[str]) -> str:
    """``doc_id``, or ``doc_id_2``, ``_3`` … if it is taken; the result is added to ``used``."""
    base, k = doc_id, 2
    while doc_id in used:
        doc_id, k = f"{base}_{k}", k + 1
    used.add(doc_id)
    return doc_id


def inside(target: Path, roots: Sequence[Path]) -> bool:
    """True when the resolved ``target`` is one of ``roots`` or lies below one of them."""
    return any(r == target or r in target.parents for r in roots)


def parse_year(value: object) -> int | None:
    """A year from a manifest cell: ``2021``, ``2021.0``, ``２０２１``, ``2021年``, ``二〇二一`` -> 2021; else None."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip().translate(_HAN_DIGITS)
    m = re.fullmatch(r"(\d{4})(\.0+)?\s*年?(度)?", text)
    if not m:
        return None
    year = int(m.group(1))
    return year if 1900 <= year <= 2200 else None


def normal_status(value: object) -> str:
    """A status as ingestion writes it (``Rejected`` -> ``rejected``, ``near-duplicate`` -> ``near_duplicate``)."""
    return re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())


def file_target(base: Path, name: str) -> Path:
    """The file a manifest ``file`` cell names below ``base`` (a name shown with ``\\xNN`` escapes is unescaped)."""
    target = base / name
    if "\\" in name and not os.path.lexists(target):
        try:
            raw = codecs.escape_decode(name.encode("utf-8"))[0]
            target = base / os.fsdecode(raw)
        except (ValueError, UnicodeError):
            pass
    return target.resolve()


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read a manifest CSV as strings, whatever Excel saved it as (UTF-8 with or without BOM, GBK, UTF-16).

    Spreadsheet escapes (``'=…``) are removed. ``df.attrs["lines"]`` holds each row's line number in the file.
    Raises ManifestError naming the rows that have more cells than the header, or an unknown status.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(path, f"cannot read manifest: {exc.strerror or exc}") from None
    if not data.strip():
        df = pd.DataFrame(columns=list(MANIFEST_COLUMNS))
        df.attrs["lines"] = []
        return df
    try:
        text, _enc = decode_bytes(data, path)
    except InputError as exc:
        raise ManifestError(path, f"unreadable manifest ({exc.reason})") from None
    text = text.lstrip("\ufeff").replace("\x00", "")
    first = text.split("\n", 1)[0]
    header, rows = csv_records(text, sep="\t" if first.count("\t") > first.count(",") else ",")
    if "file" not in header:
        raise ManifestError(path, "manifest has no 'file' column")
    width = len(header)
    ragged = [(n, len(cells)) for n, cells in rows if len(cells) > width and any(c.strip() for c in cells[width:])]
    if ragged:
        where = ", ".join(f"line {n} ({k} cells)" for n, k in ragged[:10]) + (" …" if len(ragged) > 10 else "")
        raise ManifestError(path, f"{len(ragged)} row(s) have more cells than the {width} columns of the header: "
                                  f"{where}; a comma inside an unquoted value? Quote the value or remove the extra "
                                  "cells (nothing was read or rewritten)")
    records = [[str(c) for c in (cells + [""] * width)[:width]] for _n, cells in rows]
    df = pd.DataFrame(records, columns=_unique_columns(header), dtype=object).astype(str)
    if "status" in df.columns:
        bad = [(n, v) for (n, _c), v in zip(rows, df["status"]) if v.strip() and normal_status(v) not in STATUSES]
        if bad:
            where = ", ".join(f"line {n}: {v!r}" for n, v in bad[:10])
            raise ManifestError(path, f"unknown status ({where}); use one of {', '.join(STATUSES)} "
                                      "(or leave it empty)")
    df.attrs["lines"] = [n for n, _c in rows]
    return df


def _unique_columns(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def row_problems(path: Path, df: pd.DataFrame) -> list[str]:
    """Per-row messages about values that are not used as written: duplicate doc_ids, years that are no year."""
    lines = df.attrs.get("lines") or list(range(2, len(df) + 2))
    out, first_id = [], {}
    for line, rec in zip(lines, df.to_dict("records")):
        doc_id = str(rec.get("doc_id", "")).strip()
        if doc_id and doc_id in first_id:
            out.append(f"{display_path(path)}: line {line}: doc_id {doc_id!r} is also used on line {first_id[doc_id]}; "
                       f"it is read as {doc_id}_2 (…) — give each row its own doc_id")
        elif doc_id:
            first_id[doc_id] = line
        for col in YEAR_FIELDS:
            value = str(rec.get(col, "")).strip()
            if value and parse_year(value) is None:
                out.append(f"{display_path(path)}: line {line}: {col} {value!r} is not a year; the inferred year is used "
                           "— write it as e.g. 2021")
    return out


def manifest_rows(manifests: Sequence[Path], roots: Sequence[Path] = ()) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """Manifest rows keyed by resolved file path, values normalised (status lower case, years as ``2021``); rows
    pointing outside the manifest's folder (and outside the folders being loaded, ``roots``) are refused.

    Raises ManifestError for a manifest that cannot be read without misreading it (see :func:`read_manifest`).
    """
    rows: dict[str, dict] = {}
    roots = [Path(r).resolve() for r in roots]
    rejected = []
    for mpath in manifests:
        df = read_manifest(mpath)
        for message in row_problems(mpath, df):
            warnings.warn(message, AnalysisWarning, stacklevel=2)
        base = mpath.parent.resolve()
        for rec in df.to_dict("records"):
            if not rec["file"].strip():
                continue
            target = file_target(base, rec["file"])
            if not inside(target, [base, *roots]):
                rejected.append((f"{display_path(mpath)}: {display_path(rec['file'])}", OUTSIDE))
                continue
            if rec.get("status"):
                rec["status"] = normal_status(rec["status"])
            for col in YEAR_FIELDS:
                if rec.get(col):
                    year = parse_year(rec[col])
                    rec[col] = str(year) if year is not None else ""
            rows[str(target)] = rec
    return rows, rejected
