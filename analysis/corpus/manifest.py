"""The manifest: a CSV a careful reader keeps beside the documents; its non-empty cells override inference.

One reader for ``load``, the build and ``ingest``; the checks every manifest row gets (paths stay inside the
corpus folder, ids unique) are written here once.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError, ManifestError
from .decode import decode_bytes

MANIFEST_NAME = "corpus.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "place", "level", "city", "province", "doc_type", "summary_year", "plan_year",
                    "plan_period", "published", "title", "note")
#: Manifest ``status`` values (written by ``analysis.corpus.ingest``) whose files are not loaded.
SKIP_STATUSES = ("duplicate", "near_duplicate", "rejected", "missing")
OUTSIDE = "manifest path points outside the corpus folder; refused"


def slug(stem: str) -> str:
    """A doc_id from a file stem: spaces and slashes to ``_``, other punctuation dropped."""
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


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read a manifest CSV as strings, whatever Excel saved it as (UTF-8 with or without BOM, GBK, UTF-16)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(path, f"cannot read manifest: {exc.strerror or exc}") from None
    if not data.strip():
        return pd.DataFrame(columns=list(MANIFEST_COLUMNS))
    try:
        text, _enc = decode_bytes(data, path)
    except InputError as exc:
        raise ManifestError(path, f"unreadable manifest ({exc.reason})") from None
    text = text.lstrip("\ufeff")
    try:
        first = text.split("\n", 1)[0]
        sep = "\t" if first.count("\t") > first.count(",") else ","
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
    except (ValueError, pd.errors.ParserError) as exc:
        raise ManifestError(path, f"unreadable manifest ({str(exc).splitlines()[0]})") from None
    df.columns = [str(c).strip() for c in df.columns]
    if "file" not in df.columns:
        raise ManifestError(path, "manifest has no 'file' column")
    return df


def manifest_rows(manifests: Sequence[Path], roots: Sequence[Path] = ()) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """Manifest rows keyed by resolved file path; rows pointing outside the manifest's folder (and outside the
    folders being loaded, ``roots``) are refused."""
    rows: dict[str, dict] = {}
    roots = [Path(r).resolve() for r in roots]
    rejected = []
    for mpath in manifests:
        try:
            df = read_manifest(mpath)
        except ManifestError as exc:
            rejected.append((str(mpath), exc.reason))
            continue
        base = mpath.parent.resolve()
        for rec in df.to_dict("records"):
            target = (base / rec["file"]).resolve()
            if not inside(target, [base, *roots]):
                rejected.append((f"{mpath}: {rec['file']}", OUTSIDE))
                continue
            rows[str(target)] = rec
    return rows, rejected
